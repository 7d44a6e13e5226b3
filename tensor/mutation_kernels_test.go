package tensor_test

import (
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// Tests added for the mutation run over tensor's kernels' files (conv,
// pool, convtranspose, matmul, unary, recurrent): each pins a behaviour a
// surviving mutant changed.

// TestConvCountsAndJacobians checks the operation counts and Jacobian
// structures Conv2d declares, with and without a bias: a dot product of
// length C·kh·kw per output (k multiplications, k−1 additions), one more
// addition per output for the bias; k non-zeros per output in ∂y/∂x (a
// bound: padding removes some) and ∂y/∂W, one in ∂y/∂b.
func TestConvCountsAndJacobians(t *testing.T) {
	x, w, b := rnd(1, 2, 3, 6, 5).SetRequiresGrad(true), rnd(2, 4, 3, 2, 3), rnd(3, 4)
	for _, withBias := range []bool{false, true} {
		var y *Tensor
		ins := [][]int{x.Shape(), w.Shape()}
		if withBias {
			y = Conv2d(x, w, b, [2]int{1, 1}, [2]int{1, 0}, [2]int{1, 1})
			ins = append(ins, b.Shape())
		} else {
			y = Conv2d(x, w, nil, [2]int{1, 1}, [2]int{1, 0}, [2]int{1, 1})
		}
		op := y.Op()
		n, k := int64(y.Len()), int64(3*2*3)
		want := Counts{Mul: n * k, Add: n * (k - 1)}
		if withBias {
			want.Add += n
		}
		if got := op.CountsFor(y.Shape(), ins); got != want {
			t.Errorf("bias %v: counts %v, want %v", withBias, got, want)
		}
		// A nil bias shape among the inputs counts as no bias.
		if !withBias {
			if got := op.CountsFor(y.Shape(), append(ins, nil)); got != want {
				t.Errorf("nil bias shape: counts %v, want %v", got, want)
			}
		}
		for i := range ins {
			s := op.JacobianFor(y.Shape(), ins, i)
			nnz := n * k
			if i == 2 {
				nnz = n
			}
			if s.Kind != StructSparse || s.NNZ != nnz || s.Bound != (i == 0) || !s.Covers ||
				s.Rows != y.Len() || s.Cols != numelOf(ins[i]) {
				t.Errorf("bias %v: ∂y/∂input %d = %+v, want sparse with %d non-zeros, bound %v", withBias, i, s, nnz, i == 0)
			}
		}
		if f := op.FieldFor(y.Shape(), ins); f.Kind != FieldWindow || f.Window != op.Window {
			t.Errorf("bias %v: field %+v", withBias, f)
		}
	}
}

func numelOf(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}
