//go:build !amd64 || purego

package tensor

// goroutineKey identifies the calling goroutine by its id (see
// goroutineID), where no assembly reads the runtime's goroutine pointer.
func goroutineKey() uint64 { return goroutineID() }
