package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// batchedCase is one batched product to check.
type batchedCase struct {
	gemmCase
	batch                     int
	strideA, strideB, strideC int // 0 broadcasts (A, B) or accumulates (C)
}

// checkBatched runs bc through the batched entry point and compares with
// the naive reference applied matrix by matrix, in order.
func checkBatched[T float32 | float64](t *testing.T, bc batchedCase, rng *rand.Rand, run func(bc batchedCase, a []T, lda int, b []T, ldb int, c []T, ldc int)) {
	t.Helper()
	lda, ldb, ldc, la, lb, lc := bc.dims()
	size := func(stride, one int) int {
		if bc.batch == 0 {
			return 0
		}
		return (bc.batch-1)*stride + one
	}
	a64 := make([]float64, size(bc.strideA, la))
	b64 := make([]float64, size(bc.strideB, lb))
	c64 := make([]float64, size(bc.strideC, lc))
	for i := range a64 {
		a64[i] = rng.Float64()*2 - 1
	}
	for i := range b64 {
		b64[i] = rng.Float64()*2 - 1
	}
	for i := range c64 {
		c64[i] = rng.Float64()*2 - 1
		if bc.beta == 0 && bc.strideC != 0 {
			c64[i] = math.NaN()
		}
	}
	a, b, c := conv[T](a64), conv[T](b64), conv[T](c64)
	ar, br, cr := back(a), back(b), back(c)
	orig := back(c)
	for i := 0; i < bc.batch; i++ {
		gemmNaive(bc.transA, bc.transB, bc.m, bc.n, bc.k, bc.alpha, ar[i*bc.strideA:], lda, br[i*bc.strideB:], ldb, bc.beta, cr[i*bc.strideC:], ldc)
	}
	run(bc, a, lda, b, ldb, c, ldc)
	for i := 0; i < bc.batch; i++ {
		one := bc.gemmCase
		if bc.strideC == 0 {
			// Accumulated i+1 products: widen the tolerance to match.
			one.k *= bc.batch
			one.alpha *= float64(bc.batch)
		}
		gemmCompare(t, one, c[i*bc.strideC:i*bc.strideC+lc], cr[i*bc.strideC:i*bc.strideC+lc], orig[i*bc.strideC:i*bc.strideC+lc])
	}
}

func TestGemmBatched(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var cases []batchedCase
	for i, s := range [][4]int{{0, 3, 4, 5}, {1, 3, 4, 5}, {3, 7, 5, 9}, {4, 16, 25, 40}, {5, 32, 40, 70}, {8, 6, 16, 8}, {2, 90, 70, 80}, {4, 64, 50, 60}} {
		batch, m, n, k := s[0], s[1], s[2], s[3]
		for tr := 0; tr < 4; tr++ {
			tc := gemmCase{transA: tr&1 != 0, transB: tr&2 != 0, m: m, n: n, k: k,
				alpha: 1.5, beta: []float64{0, 1, 0.5}[(i+tr)%3], padA: tr % 2, padB: 1, padC: i % 2}
			_, _, _, la, lb, lc := tc.dims()
			cases = append(cases,
				batchedCase{tc, batch, la, lb, lc},
				batchedCase{tc, batch, 0, lb + 3, lc},     // shared A (conv weights)
				batchedCase{tc, batch, la + 1, 0, lc + 2}, // shared B
			)
			acc := tc
			acc.beta = 1
			cases = append(cases, batchedCase{acc, batch, la, lb, 0}) // summed into one C
		}
	}
	for _, bc := range cases {
		checkBatched(t, bc, rng, func(bc batchedCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
			SgemmBatched(bc.transA, bc.transB, bc.batch, bc.m, bc.n, bc.k, float32(bc.alpha), a, lda, bc.strideA, b, ldb, bc.strideB, float32(bc.beta), c, ldc, bc.strideC)
		})
		checkBatched(t, bc, rng, func(bc batchedCase, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
			DgemmBatched(bc.transA, bc.transB, bc.batch, bc.m, bc.n, bc.k, bc.alpha, a, lda, bc.strideA, b, ldb, bc.strideB, bc.beta, c, ldc, bc.strideC)
		})
	}
}
