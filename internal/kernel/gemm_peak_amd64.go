//go:build !purego

package kernel

// fmaPeakLoop runs n iterations of 12 independent 8-wide float32 FMAs
// (192 flops each); BenchmarkFMAPeak uses it to measure one core's AVX2
// peak.
func fmaPeakLoop(n int)

// fmaPeakLoop512 runs n iterations of 24 independent 16-wide float32 FMAs
// (768 flops each): one core's AVX-512 peak.
func fmaPeakLoop512(n int)

// FMAPeakLoop returns the register-only FMA loop of the kernel path named
// "avx2" or "avx512" and the float32 flops one of its iterations does, for
// measuring one core's peak beside Sgemm (bench/peak); ok is false for any
// other name.
func FMAPeakLoop(path string) (loop func(n int), flops float64, ok bool) {
	switch path {
	case pathAVX2.String():
		return fmaPeakLoop, 192, true
	case pathAVX512.String():
		return fmaPeakLoop512, 768, true
	}
	return nil, 0, false
}
