//go:build !purego

package kernel

// fmaPeakLoop runs n iterations of 12 independent 8-wide float32 FMAs
// (192 flops each); BenchmarkFMAPeak uses it to measure one core's peak.
func fmaPeakLoop(n int)
