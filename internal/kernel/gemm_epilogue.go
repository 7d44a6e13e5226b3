package kernel

import "fmt"

// Epilogue is element-wise work a product applies to C once it is
// complete: the bias of a fully connected layer and, optionally, the ReLU
// that follows it. The driver applies it to each block of C right after
// the block's last k step, while the block is still in cache, instead of
// in separate passes over the whole matrix.
type Epilogue[T float32 | float64] struct {
	// Bias, when not nil, holds at least n values; Bias[j] is added to
	// column j of every row.
	Bias []T
	// ReLU replaces every element v by max(v, 0) after the bias; NaN stays
	// NaN, as in Relu.
	ReLU bool
}

// GemmEpilogue computes C = ep(alpha*op(A)*op(B) + beta*C) with the
// arguments and checks of Sgemm/Dgemm, applying the epilogue ep to every
// element of C, on the worker team like Sgemm. It panics if ep.Bias is not
// nil and shorter than n.
func GemmEpilogue[T float32 | float64](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, ep Epilogue[T]) {
	if ep.Bias != nil && len(ep.Bias) < n {
		panic(fmt.Sprintf("kernel: gemm epilogue bias has %d values for %d columns", len(ep.Bias), n))
	}
	e := &ep
	if ep.Bias == nil && !ep.ReLU {
		e = nil
	}
	switch a := any(a).(type) {
	case []float32:
		gemm(sgemmImpl, true, transA, transB, m, n, k, any(alpha).(float32), a, lda, any(b).([]float32), ldb, any(beta).(float32), any(c).([]float32), ldc, any(e).(*Epilogue[float32]))
	case []float64:
		gemm(dgemmImpl, true, transA, transB, m, n, k, any(alpha).(float64), a, lda, any(b).([]float64), ldb, any(beta).(float64), any(c).([]float64), ldc, any(e).(*Epilogue[float64]))
	}
}

// apply runs the epilogue on rows [i0, i1) and columns [j0, j1) of C.
// Column j takes Bias[j]: callers that pass a C starting at column j0 of
// the whole matrix pass the epilogue shifted by j0 (see from).
func (e *Epilogue[T]) apply(c []T, ldc, i0, i1, j0, j1 int) {
	if e == nil {
		return
	}
	for i := i0; i < i1; i++ {
		row := c[i*ldc+j0 : i*ldc+j1]
		if e.Bias != nil {
			Add(row, e.Bias[j0:j1], row)
		}
		if e.ReLU {
			Relu(row, row)
		}
	}
}

// from returns the epilogue for the columns of C from j0 on (nil stays nil).
func (e *Epilogue[T]) from(j0 int) *Epilogue[T] {
	if e == nil || e.Bias == nil || j0 == 0 {
		return e
	}
	s := *e
	s.Bias = s.Bias[j0:]
	return &s
}
