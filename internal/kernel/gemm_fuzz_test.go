package kernel

import (
	"math/rand/v2"
	"testing"
)

// FuzzSgemm checks Sgemm and Dgemm, and every float32 and float64 kernel
// serially and split over two and three workers, against the naive
// reference on fuzzed shapes, transposes, scalars and leading-dimension
// padding. The seed corpus runs in a plain go test.
func FuzzSgemm(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint8(0), uint8(0), uint8(0), int8(1), int8(0), uint64(1))
	f.Add(uint8(1), uint8(1), uint8(1), uint8(3), uint8(5), int8(2), int8(1), uint64(2))
	f.Add(uint8(7), uint8(17), uint8(9), uint8(1), uint8(0), int8(-1), int8(0), uint64(3))
	f.Add(uint8(6), uint8(16), uint8(8), uint8(2), uint8(7), int8(1), int8(1), uint64(4))
	f.Add(uint8(13), uint8(33), uint8(65), uint8(3), uint8(9), int8(3), int8(-2), uint64(5))
	f.Add(uint8(100), uint8(3), uint8(200), uint8(2), uint8(1), int8(1), int8(0), uint64(6))
	f.Add(uint8(64), uint8(255), uint8(31), uint8(0), uint8(2), int8(1), int8(1), uint64(7))
	f.Fuzz(func(t *testing.T, m, n, k, trans, pad uint8, alpha, beta int8, seed uint64) {
		tc := gemmCase{
			transA: trans&1 != 0, transB: trans&2 != 0,
			m: int(m), n: int(n), k: int(k),
			alpha: float64(alpha) / 2, beta: float64(beta) / 2,
			padA: int(pad & 3), padB: int(pad>>2) & 3, padC: int(pad>>4) & 3,
		}
		rng := rand.New(rand.NewPCG(seed, 1))
		checkGemm(t, tc, rng, func(tc gemmCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
			Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), c, ldc)
		})
		for _, g := range sgemmKernels {
			checkGemm(t, tc, rng, serialRunner(g, float32(tc.alpha), float32(tc.beta)))
			if tc.m > 0 && tc.n > 0 && tc.k > 0 && tc.alpha != 0 {
				for _, w := range []int{2, 3} {
					checkGemm(t, tc, rng, parallelRunner(g, w, float32(tc.alpha), float32(tc.beta)))
				}
			}
		}
		checkGemm(t, tc, rng, func(tc gemmCase, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
			Dgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
		})
		for _, g := range dgemmKernels {
			checkGemm(t, tc, rng, serialRunner(g, tc.alpha, tc.beta))
			if tc.m > 0 && tc.n > 0 && tc.k > 0 && tc.alpha != 0 {
				for _, w := range []int{2, 3} {
					checkGemm(t, tc, rng, parallelRunner(g, w, tc.alpha, tc.beta))
				}
			}
		}
	})
}
