//go:build !purego

package kernel

import (
	"runtime"
	"testing"
)

// BenchmarkFMAPeak measures one core's float32 FMA peak (GFLOP/s) with a
// register-only loop of independent 256-bit FMAs: the ceiling for the
// single-threaded GEMM benchmarks.
func BenchmarkFMAPeak(b *testing.B) {
	if !hasAVX2FMA {
		b.Skip("no AVX2/FMA")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const iters = 1 << 16
	for b.Loop() {
		fmaPeakLoop(iters)
	}
	b.ReportMetric(float64(b.N)*iters*192/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
