//go:build purego || !amd64

package kernel

// FMAPeakLoop reports ok false: this build has no assembly FMA loops.
func FMAPeakLoop(path string) (loop func(n int), flops float64, ok bool) {
	return nil, 0, false
}
