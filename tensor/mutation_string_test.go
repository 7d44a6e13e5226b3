package tensor_test

import (
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestStringLayout pins the printed form beyond TestString's 2-D case: a
// scalar, the name and requires_grad in the header, an axis of exactly
// maxPrint (6) elements printed whole and one of 7 elided, elision of an
// outer axis, and the blank line between the blocks of a 3-D tensor.
func TestStringLayout(t *testing.T) {
	for _, c := range []struct {
		name string
		x    *Tensor
		want string
	}{
		{"scalar", Scalar(2.5), "tensor([], float32)\n2.5"},
		{"name and requires_grad", FromFloat64([]float64{1.0 / 3}).SetName("w").SetRequiresGrad(true),
			"tensor([1], float64, \"w\", requires_grad)\n[0.33333]"},
		{"6 elements", Arange(0, 6, 1), "tensor([6], float32)\n[0 1 2 3 4 5]"},
		{"7 elements", Arange(0, 7, 1), "tensor([7], float32)\n[0 1 2 ... 4 5 6]"},
		{"outer axis elided", Reshape(Arange(0, 16, 1), 8, 2),
			"tensor([8 2], float32)\n[[0 1]\n [2 3]\n [4 5]\n ...\n [10 11]\n [12 13]\n [14 15]]"},
		{"3-D", Reshape(Arange(0, 12, 1), 2, 3, 2),
			"tensor([2 3 2], float32)\n[[[0 1]\n  [2 3]\n  [4 5]]\n\n [[6 7]\n  [8 9]\n  [10 11]]]"},
		{"3-D, first axis elided", Reshape(Arange(0, 14, 1), 7, 2, 1),
			"tensor([7 2 1], float32)\n[[[0]\n  [1]]\n\n [[2]\n  [3]]\n\n [[4]\n  [5]]\n\n ...\n" +
				" [[8]\n  [9]]\n\n [[10]\n  [11]]\n\n [[12]\n  [13]]]"},
	} {
		if got := c.x.String(); got != c.want {
			t.Errorf("%s:\ngot  %q\nwant %q", c.name, got, c.want)
		}
	}
}
