//go:build !purego

package kernel

// fmaPeakLoop runs n iterations of 12 independent 8-wide float32 FMAs
// (192 flops each); BenchmarkFMAPeak uses it to measure one core's AVX2
// peak.
func fmaPeakLoop(n int)

// fmaPeakLoop512 runs n iterations of 24 independent 16-wide float32 FMAs
// (768 flops each): one core's AVX-512 peak.
func fmaPeakLoop512(n int)
