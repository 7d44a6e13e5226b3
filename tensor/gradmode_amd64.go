//go:build !purego

package tensor

// getg returns the address of the calling goroutine's runtime descriptor
// (gradmode_amd64.s): unique among live goroutines, so a valid key for a
// goroutine that stays inside a NoGrad scope while it is used.
func getg() uintptr

// goroutineKey identifies the calling goroutine (see getg).
func goroutineKey() uint64 { return uint64(getg()) }
