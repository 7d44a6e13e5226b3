package kernel

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestGemmBatchedSharedCParallelSized: a batch summed into one C
// (strideC == 0) large enough for the worker team must still run its
// products one after another, in order. With beta = 0.5 the order shows in
// the result (C ← P_i + C/2 for i = 0, 1, …): products run side by side
// would update C's tiles in an order that varies with the timing, and at
// any overlap the result moves far outside the tolerance. Five draws make
// a side-by-side run that happens to keep the order unlikely to pass.
func TestGemmBatchedSharedCParallelSized(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0))))
	rng := rand.New(rand.NewPCG(9, 10))
	tc := gemmCase{m: 192, n: 192, k: 192, alpha: 1, beta: 0.5}
	_, _, _, la, lb, _ := tc.dims()
	bc := batchedCase{tc, 4, la, lb, 0} // 4·192³ multiply-adds: above gemmParallelMin, and the batch divides the team
	for range 5 {
		checkBatched(t, bc, rng, func(bc batchedCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
			SgemmBatched(false, false, bc.batch, bc.m, bc.n, bc.k, 1, a, lda, bc.strideA, b, ldb, bc.strideB, 0.5, c, ldc, 0)
		})
	}
}

// TestGemmBatchedExactLengths: each operand's slice may end exactly at the
// end of the batch's last matrix; one element less panics with the
// package's message naming the operand (not an index error from inside the
// products).
func TestGemmBatchedExactLengths(t *testing.T) {
	const batch, m, n, k = 3, 4, 5, 6
	sa, sb, sc := m*k+2, k*n+1, m*n+3 // strides with gaps between matrices
	la, lb, lc := (batch-1)*sa+m*k, (batch-1)*sb+k*n, (batch-1)*sc+m*n
	checkLengthEdges(t, "batched", la, lb, lc, func(la, lb, lc int) {
		SgemmBatched(false, false, batch, m, n, k, 1, make([]float32, la), k, sa, make([]float32, lb), n, sb, 0, make([]float32, lc), n, sc)
	})
}

// TestGemmParallelKFreshWorkspace runs a k split with the workspace pools
// emptied (two collections clear a sync.Pool), so that its scratch matrices
// come from a fresh allocation of exactly the size asked for: a workspace
// sized too small would otherwise pass unnoticed inside the capacity of a
// larger pooled one.
func TestGemmParallelKFreshWorkspace(t *testing.T) {
	const m, n, k, parts = 9, 7, 1024, 3
	rng := rand.New(rand.NewPCG(11, 12))
	a, b := make([]float32, m*k), make([]float32, k*n)
	for i := range a {
		a[i] = float32(rng.Float64()*2 - 1)
	}
	for i := range b {
		b[i] = float32(rng.Float64()*2 - 1)
	}
	want := make([]float64, m*n)
	gemmNaive(false, false, m, n, k, 1, back(a), k, back(b), n, 0, want, n)
	for _, g := range sgemmKernels {
		runtime.GC()
		runtime.GC()
		got := make([]float32, m*n)
		gemmParallelK(g, parts, false, false, m, n, k, 1, a, k, b, n, 0, got, n, nil)
		gemmCompare(t, gemmCase{m: m, n: n, k: k, alpha: 1}, got, want, back(got))
	}
}
