package kernel

// GemmSerial computes C = alpha*op(A)*op(B) + beta*C as Sgemm or Dgemm do,
// but always on the calling goroutine. The convolution layers use it to run
// one small product per image inside their own parallel loop over images,
// so that each image's columns matrix stays in the core's L2 cache between
// im2col and the products that read it.
func GemmSerial[T float32 | float64](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	switch a := any(a).(type) {
	case []float32:
		gemm(sgemmImpl, false, transA, transB, m, n, k, any(alpha).(float32), a, lda, any(b).([]float32), ldb, any(beta).(float32), any(c).([]float32), ldc, nil)
	case []float64:
		gemm(dgemmImpl, false, transA, transB, m, n, k, any(alpha).(float64), a, lda, any(b).([]float64), ldb, any(beta).(float64), any(c).([]float64), ldc, nil)
	}
}

// ParallelTasks runs fn(0..n-1) on the calling goroutine and the worker
// team (see gemm_team.go), each task claimed by whichever worker is free
// next, so that uneven or interrupted workers balance out; fn must not
// depend on which worker runs a task.
func ParallelTasks(n int, fn func(task int)) {
	if Workers() <= 1 {
		for t := 0; t < n; t++ {
			fn(t)
		}
		return
	}
	teamRun(n, fn)
}
