package kernel

import "testing"

// The tests in this file pin the GEMM driver's choices that only show in
// the speed (which path, which block sizes): each rule at its boundaries,
// as its comment states it, so that a changed threshold or a flipped
// comparison fails a test instead of only slowing the products down.

// TestGemmDirectRules checks when A and B are read in place: B with at
// most 32 rows of A, or at most 512 with a row stride that is not a
// multiple of 1 KiB; A whenever its row stride is not a multiple of 1 KiB.
func TestGemmDirectRules(t *testing.T) {
	for _, c := range []struct {
		m, stride int
		want      bool
	}{
		{1, 1024, true}, {32, 1024, true}, {33, 1024, false}, {33, 2048, false},
		{33, 1028, true}, {512, 1028, true}, {513, 1028, false}, {512, 4, true},
		{100000, 4, false},
	} {
		if got := gemmDirectB(c.m, c.stride); got != c.want {
			t.Errorf("gemmDirectB(%d, %d) = %v, want %v", c.m, c.stride, got, c.want)
		}
	}
	for _, c := range []struct {
		stride int
		want   bool
	}{{4, true}, {1020, true}, {1024, false}, {1028, true}, {4096, false}, {4100, true}} {
		if got := gemmDirectA(c.stride); got != c.want {
			t.Errorf("gemmDirectA(%d) = %v, want %v", c.stride, got, c.want)
		}
	}
}

// TestUseSwapNTRule checks when A·Bᵀ runs as its transpose: a kernel with
// in-place A kernels and edges, m <= 64, n >= 4m, k >= 2048 and a row
// stride of B that the in-place kernels take (not a multiple of 1 KiB).
func TestUseSwapNTRule(t *testing.T) {
	g := &gemmKernel[float32]{mr: 6, nr: 16, edges: true, microA: make([]func(int, []float32, int, []float32, int, []float32, int, float32, float32, int, int), 6)}
	ok := func(g *gemmKernel[float32], transA, transB bool, m, n, k, ldbBytes int, want bool) {
		t.Helper()
		if got := g.useSwapNT(transA, transB, m, n, k, ldbBytes); got != want {
			t.Errorf("useSwapNT(tA=%v, tB=%v, m=%d, n=%d, k=%d, ldb=%d B; microA %v, edges %v) = %v, want %v",
				transA, transB, m, n, k, ldbBytes, g.microA != nil, g.edges, got, want)
		}
	}
	ok(g, false, true, 64, 256, 2048, 8196, true)
	ok(g, false, true, 1, 4, 2048, 8196, true)
	ok(g, false, true, 65, 260, 2048, 8196, false)
	ok(g, false, true, 64, 255, 2048, 8196, false)
	ok(g, false, true, 64, 256, 2047, 8196, false)
	ok(g, false, true, 64, 256, 2048, 8192, false)
	ok(g, true, true, 64, 256, 2048, 8196, false)
	ok(g, false, false, 64, 256, 2048, 8196, false)
	ok(g, true, false, 64, 256, 2048, 8196, false)
	noEdges := *g
	noEdges.edges = false
	ok(&noEdges, false, true, 64, 256, 2048, 8196, false)
	noA := *g
	noA.microA = nil
	ok(&noA, false, true, 64, 256, 2048, 8196, false)
}

// TestGemmBalance checks the block lengths of gemmBalance: n itself
// (rounded up to the unit) when it fits, otherwise the fewest blocks of
// near-equal length, rounded up to the unit but never above size.
func TestGemmBalance(t *testing.T) {
	for _, c := range []struct{ n, size, unit, want int }{
		{10, 64, 1, 10}, {64, 64, 1, 64}, {10, 64, 8, 16}, {64, 64, 8, 64},
		{65, 64, 1, 33}, {100, 64, 1, 50}, {129, 64, 1, 43}, {128, 64, 1, 64},
		{100, 64, 8, 56}, {130, 64, 8, 48}, {119, 60, 8, 60}, {1, 1, 1, 1},
		{1000, 336, 12, 336}, {700, 336, 12, 240},
	} {
		if got := gemmBalance(c.n, c.size, c.unit); got != c.want {
			t.Errorf("gemmBalance(%d, %d, %d) = %d, want %d", c.n, c.size, c.unit, got, c.want)
		}
	}
	for _, c := range []struct{ n, unit, want int }{{0, 8, 0}, {1, 8, 8}, {8, 8, 8}, {9, 8, 16}, {13, 1, 13}} {
		if got := gemmRoundUp(c.n, c.unit); got != c.want {
			t.Errorf("gemmRoundUp(%d, %d) = %d, want %d", c.n, c.unit, got, c.want)
		}
	}
}

// TestGemmBlockSizes pins gemmBlocks' sizes for a few caches, worked out
// from its rules: kc = L1/2 / (nr·elem) in steps of 8 (at least 64),
// mc = L2/4 / (kc·elem) in whole mr panels (at least mr), nc = L3/2 /
// (kc·elem) in whole nr panels (at least nr, at most 4096).
func TestGemmBlockSizes(t *testing.T) {
	for _, c := range []struct {
		caches     cacheSizes
		mr, nr     int
		kc, mc, nc int
	}{
		// 48 KiB/2/(32·4) = 192; 1 MiB/4/(192·4) = 341 → 336; 32 MiB/2/768 = 21845 → 4096
		{cacheSizes{48 << 10, 1 << 20, 32 << 20}, 12, 32, 192, 336, 4096},
		// 32 KiB/2/(16·4) = 256; 2 MiB/4/1024 = 512 → 510; 1 MiB/2/1024 = 512
		{cacheSizes{32 << 10, 2 << 20, 1 << 20}, 6, 16, 256, 510, 512},
		// nothing reported: the minimums
		{cacheSizes{0, 0, 0}, 12, 32, 64, 12, 32},
		// 4 KiB/2/128 = 16 → 64; 64 KiB/4/256 = 64 → 60; 1 MiB/2/256 = 2048
		{cacheSizes{4 << 10, 64 << 10, 1 << 20}, 12, 32, 64, 60, 2048},
		// 40 KiB/2/128 = 160; 1 MiB/4/640 = 409 → 408; 300 KiB/2/640 = 240 → 224
		{cacheSizes{40 << 10, 1 << 20, 300 << 10}, 12, 32, 160, 408, 224},
	} {
		g := gemmBlocks(c.caches, &gemmKernel[float32]{mr: c.mr, nr: c.nr})
		if g.kc != c.kc || g.mc != c.mc || g.nc != c.nc {
			t.Errorf("caches %+v, %d×%d float32 tile: kc %d, mc %d, nc %d; want %d, %d, %d", c.caches, c.mr, c.nr, g.kc, g.mc, g.nc, c.kc, c.mc, c.nc)
		}
	}
	// float64: twice the element size halves kc
	g := gemmBlocks(cacheSizes{48 << 10, 1 << 20, 32 << 20}, &gemmKernel[float64]{mr: 12, nr: 16})
	if g.kc != 192 || g.mc != 168 || g.nc != 4096 {
		t.Errorf("float64 12×16 tile: kc %d, mc %d, nc %d; want 192, 168, 4096", g.kc, g.mc, g.nc)
	}
}
