package kernel

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestChoosePath checks how DUBOKO_CPU lowers the path: a lower or equal
// path is taken, a higher one or an unknown name is ignored with a warning.
func TestChoosePath(t *testing.T) {
	for _, tc := range []struct {
		best cpuPath
		env  string
		want cpuPath
		warn string
	}{
		{pathAVX512, "", pathAVX512, ""},
		{pathAVX512, "avx2", pathAVX2, ""},
		{pathAVX512, " Generic ", pathGeneric, ""},
		{pathAVX2, "avx2", pathAVX2, ""},
		{pathAVX2, "avx512", pathAVX2, "supports at most avx2"},
		{pathGeneric, "avx2", pathGeneric, "supports at most generic"},
		{pathAVX512, "sse", pathAVX512, "want one of generic, avx2, avx512"},
	} {
		got, warn := choosePath(tc.best, tc.env)
		if got != tc.want || (tc.warn == "") != (warn == "") || !strings.Contains(warn, tc.warn) {
			t.Errorf("choosePath(%v, %q) = %v, %q; want %v and a warning containing %q", tc.best, tc.env, got, warn, tc.want, tc.warn)
		}
	}
}

// TestPathIncludes: each path includes itself and the paths below it,
// and none above it (an AVX2-only CPU must still get the AVX2 kernels).
func TestPathIncludes(t *testing.T) {
	for p := range numPaths {
		for q := range numPaths {
			if got := p.includes(q); got != (q <= p) {
				t.Errorf("%s.includes(%s) = %v", p, q, got)
			}
		}
	}
}

// TestCPUSummary checks that the summary names the path in use.
func TestCPUSummary(t *testing.T) {
	s := CPUSummary()
	t.Log(s)
	if !strings.Contains(s, "kernels "+CPUPath()+" of "+cpuBest.String()) {
		t.Errorf("CPUSummary() = %q does not name path %s", s, CPUPath())
	}
}

// forEachPath runs f with the kernels of every path switched in, one
// subtest per path; paths this CPU lacks are skipped and say so.
func forEachPath(t *testing.T, f func(t *testing.T)) {
	for p := pathGeneric; p < numPaths; p++ {
		t.Run(p.String(), func(t *testing.T) {
			if p > cpuBest {
				t.Skipf("path %s: this CPU (or build) supports at most %s", p, cpuBest)
			}
			prev := cpuActive
			setCPUPath(p)
			defer setCPUPath(prev)
			f(t)
		})
	}
}

// TestCPUPaths runs the public GEMM entry points, the epilogue and the
// element-wise, im2col and pooling tests on every path this machine
// supports, whatever DUBOKO_CPU selected for the process.
func TestCPUPaths(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		if sgemmImpl != gemmForPath(sgemmByPath[:], cpuActive) || dgemmImpl != gemmForPath(dgemmByPath[:], cpuActive) {
			t.Fatalf("path %s: Sgemm uses %s, Dgemm %s", cpuActive, sgemmImpl.name, dgemmImpl.name)
		}
		rng := rand.New(rand.NewPCG(21, 22))
		cases := append(allGemmCases(true), bigGemmCases()...)
		cases = append(cases, largePublicGemmCases()...)
		for i, tc := range cases {
			checkGemm(t, tc, rng, func(tc gemmCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
				Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), c, ldc)
			})
			checkGemm(t, tc, rng, func(tc gemmCase, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
				Dgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
			})
			checkEpilogue(t, tc, rng, i%2 == 0, true, func(tc gemmCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, ep *Epilogue[float32]) {
				GemmEpilogue(tc.transA, tc.transB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), c, ldc, *ep)
			})
		}
		testElementwise[float32](t)
		testElementwise[float64](t)
		testIm2col[float32](t)
		testPool[float32](t)
		testMaxPool2x2Batch[float32](t)
	})
}

// TestGemmBlocks checks the block sizes derived from cache sizes: whole k
// steps of 8 and whole mr-row panels, the B panel within half of L1 and
// the A block within a quarter of L2, and sane minimums for tiny or
// missing caches.
func TestGemmBlocks(t *testing.T) {
	for _, c := range []cacheSizes{{48 << 10, 1 << 20, 32 << 20}, {32 << 10, 2 << 20, 1 << 30}, {0, 0, 0}, {4 << 10, 64 << 10, 1 << 20}} {
		for _, g0 := range []gemmKernel[float32]{{mr: 12, nr: 32}, {mr: 6, nr: 16}} {
			g := gemmBlocks(c, &g0)
			if g.kc%8 != 0 || g.kc < 64 || g.mc%g.mr != 0 || g.mc < g.mr || g.nc%g.nr != 0 || g.nc > 4096 {
				t.Errorf("caches %+v, %d×%d tile: kc %d, mc %d, nc %d", c, g.mr, g.nr, g.kc, g.mc, g.nc)
			}
			if g.kc > 64 && g.kc*g.nr*4 > c.l1/2 || g.mc > g.mr && g.mc*g.kc*4 > c.l2/4 {
				t.Errorf("caches %+v, %d×%d tile: kc %d, mc %d overflow L1/L2", c, g.mr, g.nr, g.kc, g.mc)
			}
		}
	}
}
