package tensor_test

import (
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestSoftmaxRecordCounts checks the declared counts and Jacobian
// structure of Softmax and LogSoftmax along the last axis, a middle axis
// and the only one: per element one exp and one division (Softmax), per
// row n−1 additions; LogSoftmax n exps and one log per row, n−1 additions
// per row and n subtractions; the Jacobian dense for one row,
// block-diagonal along the last axis and sparse (n non-zeros per output,
// covering its input) along another.
func TestSoftmaxRecordCounts(t *testing.T) {
	for _, c := range []struct {
		shape []int
		axis  int
		rows  int64
		kind  StructKind
	}{
		{[]int{2, 3, 4}, 2, 6, StructBlockDiagonal},
		{[]int{2, 3, 4}, -1, 6, StructBlockDiagonal},
		{[]int{2, 3, 4}, 1, 8, StructSparse},
		{[]int{2, 3, 4}, 0, 12, StructSparse},
		{[]int{5}, 0, 1, StructDense},
		{[]int{1, 5}, 1, 1, StructDense},
		{[]int{5, 1}, 0, 1, StructDense},
	} {
		x := rnd(1, c.shape...).SetRequiresGrad(true)
		n := int64(x.Len())
		ins := [][]int{x.Shape()}
		for _, f := range []struct {
			name string
			fn   func(*Tensor, int) *Tensor
			want Counts
		}{
			{"Softmax", Softmax, Counts{Mul: n, Add: n - c.rows, Other: n}},
			{"LogSoftmax", LogSoftmax, Counts{Add: 2*n - c.rows, Other: n + c.rows}},
		} {
			y := f.fn(x, c.axis)
			op := y.Op()
			if got := op.CountsFor(y.Shape(), ins); got != f.want {
				t.Errorf("%s %v axis %d: counts %+v, want %+v", f.name, c.shape, c.axis, got, f.want)
			}
			j := op.JacobianFor(y.Shape(), ins, 0)
			along := n / c.rows
			nnz := n * along
			if j.Kind != c.kind || j.Rows != int(n) || j.Cols != int(n) || j.NNZ != nnz || j.Covers != (c.kind == StructSparse) {
				t.Errorf("%s %v axis %d: Jacobian %+v, want %v %d×%d with %d non-zeros, covering %v",
					f.name, c.shape, c.axis, j, c.kind, n, n, nnz, c.kind == StructSparse)
			}
		}
	}
}
