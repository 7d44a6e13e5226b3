package kernel

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkGemmParts1T splits the single-threaded square product of 1024
// into the three parts of the blocked driver (gemmSerial), each timed
// alone over the whole product on the kernel set in use: packing A
// (every mc×kc block), packing B (every kc×nc block) and the macro-kernel
// (gemmMacro with beta = 1, as for every k block after the first, on
// blocks packed once). Each part reports the rate of the whole product if
// that part were all of it ("GFLOP/s"), so 1/Σ(1/rate) bounds the product
// and each part's share of the time is rate_total/rate_part. On a shared
// machine the mean is mostly preemption: "best-GFLOP/s" scales the fastest
// k block (one pass over the part, a millisecond or two) to the product. The leading
// dimension is 1024 (a row stride of 4 or 8 KiB, whose C rows fall into
// one L1 set) or padded by one cache line.
func BenchmarkGemmParts1T(b *testing.B) {
	const n = 1024
	for _, ld := range []int{n, n + 16} {
		b.Run(fmt.Sprintf("float32/ld%d", ld), func(b *testing.B) { benchGemmParts(b, sgemmImpl, n, ld) })
	}
	for _, ld := range []int{n, n + 8} {
		b.Run(fmt.Sprintf("float64/ld%d", ld), func(b *testing.B) { benchGemmParts(b, dgemmImpl, n, ld) })
	}
}

func benchGemmParts[T float32 | float64](b *testing.B, g *gemmKernel[T], n, ld int) {
	kc := gemmBalance(n, g.kc, 1)
	mc := gemmBalance(n, g.mc, g.mr)
	nc := min(g.nc, gemmRoundUp(n, g.nr))
	a, bm, c := make([]T, n*ld), make([]T, n*ld), make([]T, n*ld)
	for i := range a {
		a[i], bm[i] = T(i%7)*0.25, T(i%5)*0.5
	}
	packA := make([]T, mc*kc)
	packB := make([]T, kc*gemmRoundUp(nc, g.nr))
	tile := make([]T, g.mr*g.nr)
	flops := 2 * float64(n) * float64(n) * float64(n)
	passes := float64((n + kc - 1) / kc)
	var best time.Duration
	pass := func(t0 time.Time) {
		if d := time.Since(t0); best == 0 || d < best {
			best = d
		}
	}
	report := func(b *testing.B) {
		b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		b.ReportMetric(flops/passes/best.Seconds()/1e9, "best-GFLOP/s")
		best = 0
	}
	b.Run("packA", func(b *testing.B) {
		oneThread(b)
		for b.Loop() {
			for jc := 0; jc < n; jc += nc {
				for pc := 0; pc < n; pc += kc {
					t0 := time.Now()
					for ic := 0; ic < n; ic += mc {
						gemmPackA(packA, a, ld, false, ic, pc, min(mc, n-ic), min(kc, n-pc), g.mr, g.packA, g.packAT)
					}
					pass(t0)
				}
			}
		}
		report(b)
	})
	b.Run("packB", func(b *testing.B) {
		oneThread(b)
		for b.Loop() {
			for jc := 0; jc < n; jc += nc {
				for pc := 0; pc < n; pc += kc {
					t0 := time.Now()
					gemmPackB(packB, bm, ld, false, pc, jc, min(kc, n-pc), min(nc, n-jc), g.nr, g.packBT)
					pass(t0)
				}
			}
		}
		report(b)
	})
	b.Run("macro", func(b *testing.B) {
		oneThread(b)
		gemmPackB(packB, bm, ld, false, 0, 0, kc, nc, g.nr, g.packBT)
		gemmPackA(packA, a, ld, false, 0, 0, mc, kc, g.mr, g.packA, g.packAT)
		for b.Loop() {
			for jc := 0; jc < n; jc += nc {
				ncur := min(nc, n-jc)
				for pc := 0; pc < n; pc += kc {
					kcur := min(kc, n-pc)
					t0 := time.Now()
					for ic := 0; ic < n; ic += mc {
						gemmMacro(g, min(mc, n-ic), ncur, kcur, 1, packA, nil, ld, packB, nil, ld, 1, c[ic*ld+jc:], ld, tile)
					}
					pass(t0)
				}
			}
		}
		report(b)
	})
}
