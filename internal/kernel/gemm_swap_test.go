package kernel

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestGemmSwapNTBeta runs A·Bᵀ products that go through gemmSwapNT (few
// rows of A, many of B, a long k) with beta other than 0, so that the
// transposed result is added to C's old values, on every kernel that
// takes that path; bigGemmCases' swapped product has beta 0. alpha is
// small so that gemmCompare's bound (which grows with alpha·k²) stays well
// below the beta·C term: with alpha 1.5 and k 2100, adding −beta·C instead
// of beta·C passed.
func TestGemmSwapNTBeta(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	ran := 0
	for _, beta := range []float64{1, 0.5, -1} {
		for _, pad := range []int{0, 3} {
			tc := gemmCase{transB: true, m: 24, n: 130, k: 2100, alpha: 1.0 / 64, beta: beta, padA: 1 + pad, padB: 1, padC: pad}
			_, ldb, _, _, _, _ := tc.dims()
			for _, g := range sgemmKernels {
				if !g.useSwapNT(false, true, tc.m, tc.n, tc.k, ldb*int(unsafe.Sizeof(float32(0)))) {
					continue
				}
				ran++
				checkGemm(t, tc, rng, serialRunner(g, float32(tc.alpha), float32(tc.beta)))
			}
			for _, g := range dgemmKernels {
				if !g.useSwapNT(false, true, tc.m, tc.n, tc.k, ldb*int(unsafe.Sizeof(float64(0)))) {
					continue
				}
				ran++
				checkGemm(t, tc, rng, serialRunner(g, tc.alpha, tc.beta))
			}
		}
	}
	if ran == 0 {
		t.Skip("no kernel on this machine computes A·Bᵀ as its transpose")
	}
}
