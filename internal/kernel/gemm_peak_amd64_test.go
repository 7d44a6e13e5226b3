//go:build !purego

package kernel

import (
	"runtime"
	"testing"
)

// BenchmarkFMAPeak measures one core's float32 FMA peak (GFLOP/s) with
// register-only loops of independent FMAs, 256-bit (avx2) and 512-bit
// (avx512): the ceilings for the single-threaded GEMM benchmarks of each
// path (bench/peak sets the same loops beside Sgemm at 1024³).
func BenchmarkFMAPeak(b *testing.B) {
	for _, c := range []struct {
		path  cpuPath
		loop  func(int)
		flops float64
	}{{pathAVX2, fmaPeakLoop, 192}, {pathAVX512, fmaPeakLoop512, 768}} {
		b.Run(c.path.String(), func(b *testing.B) {
			if c.path > cpuBest {
				b.Skipf("this CPU supports at most %s", cpuBest)
			}
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			const iters = 1 << 16
			for b.Loop() {
				c.loop(iters)
			}
			b.ReportMetric(float64(b.N)*iters*c.flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
