package kernel

// SgemmBatched computes batch independent products C_i = alpha*op(A_i)*op(B_i)
// + beta*C_i, as Sgemm does, where matrix i of A starts at a[i*strideA], of
// B at b[i*strideB] and of C at c[i*strideC]. A stride of 0 broadcasts one
// matrix to every product. With strideC == 0 every product updates the same
// C in order (use beta = 1 to sum the batch); otherwise the C matrices must
// not overlap, and the products may run in parallel.
func SgemmBatched(transA, transB bool, batch, m, n, k int, alpha float32, a []float32, lda, strideA int, b []float32, ldb, strideB int, beta float32, c []float32, ldc, strideC int) {
	gemmBatched(sgemmImpl, transA, transB, batch, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC)
}

// DgemmBatched is SgemmBatched for float64.
func DgemmBatched(transA, transB bool, batch, m, n, k int, alpha float64, a []float64, lda, strideA int, b []float64, ldb, strideB int, beta float64, c []float64, ldc, strideC int) {
	gemmBatched(dgemmImpl, transA, transB, batch, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC)
}

// gemmBatched runs the batch. When the batch divides well among the
// workers, each worker takes whole products and runs them serially;
// otherwise the products run one after another, each split internally.
func gemmBatched[T float32 | float64](g *gemmKernel[T], transA, transB bool, batch, m, n, k int, alpha T, a []T, lda, strideA int, b []T, ldb, strideB int, beta T, c []T, ldc, strideC int) {
	if batch < 0 || strideA < 0 || strideB < 0 || strideC < 0 {
		panic(gemmError("negative batch or stride", m, n, k))
	}
	if batch == 0 {
		return
	}
	// Check the last matrix of each operand; earlier ones lie before it.
	la := gemmBatchLen(len(a), batch, strideA)
	lb := gemmBatchLen(len(b), batch, strideB)
	lc := gemmBatchLen(len(c), batch, strideC)
	gemmCheck(transA, transB, m, n, k, la, lda, lb, ldb, lc, ldc)
	if m == 0 || n == 0 {
		return
	}
	one := func(i int, serial bool) {
		ai, bi, ci := a[i*strideA:], b[i*strideB:], c[i*strideC:]
		switch {
		case alpha == 0 || k == 0:
			gemmScale(m, n, beta, ci, ldc)
		case serial:
			gemmSerial(g, transA, transB, m, n, k, alpha, ai, lda, bi, ldb, beta, ci, ldc, nil)
		default:
			gemm(g, true, transA, transB, m, n, k, alpha, ai, lda, bi, ldb, beta, ci, ldc, nil)
		}
	}
	w := Workers()
	if strideC == 0 || w == 1 || batch == 1 || batch*m*n*k < gemmParallelMin ||
		(batch%w != 0 && batch < 4*w) {
		serial := batch*m*n*k < gemmParallelMin
		for i := 0; i < batch; i++ {
			one(i, serial)
		}
		return
	}
	gemmTeamRun(batch, func(i int) { one(i, true) })
}

// gemmBatchLen is the length of the slice from the start of the batch's
// last matrix (negative when the slice does not reach it).
func gemmBatchLen(n, batch, stride int) int {
	return n - (batch-1)*stride
}
