package tensor_test

import (
	"fmt"

	"github.com/duboko/duboko/tensor"
)

// The record of a convolution: its kind, its attributes, and what its
// declaration says about its counts, Jacobian and receptive field.
func ExampleTensor_Op() {
	x := tensor.Zeros(1, 1, 6, 6)
	w := tensor.Zeros(2, 1, 3, 3).SetRequiresGrad(true)
	y := tensor.Conv2d(x, w, nil, [2]int{1, 1}, [2]int{1, 1}, [2]int{1, 1})

	op := y.Op()
	fmt.Println(op.Kind == tensor.OpConv2d, op, op.Window.Kernel, op.Window.Pad)
	ins := [][]int{x.Shape(), w.Shape()}
	fmt.Println(op.CountsFor(y.Shape(), ins))
	fmt.Println(op.JacobianFor(y.Shape(), ins, 1))
	fmt.Println(op.FieldFor(y.Shape(), ins).Window.Span())
	// Output:
	// true Conv2d [3 3] [1 1]
	// 648 mul, 576 add, 0 other
	// 72×18 sparse, 648 nz
	// [3 3]
}

// A hand-written op declares its counts and Jacobian with CustomOp; one
// recorded by Custom has unknown counts.
func ExampleCustomOp() {
	double := &tensor.OpDef{Name: "Double", Symbol: "2·",
		Counts: func(_ *tensor.Op, out []int, _ [][]int) tensor.Counts {
			return tensor.Counts{Mul: int64(out[0])}
		}}
	x := tensor.Ones(3).SetRequiresGrad(true)
	var y *tensor.Tensor
	tensor.NoGrad(func() { y = tensor.MulScalar(x, 2) })
	backward := func(g *tensor.Tensor) []*tensor.Tensor { return []*tensor.Tensor{tensor.MulScalar(g, 2)} }

	d := tensor.CustomOp(double, y, []*tensor.Tensor{x}, backward)
	fmt.Println(d.Op(), d.Op().Symbol(), d.Op().CountsFor(d.Shape(), [][]int{x.Shape()}))
	u := tensor.Custom("Double", y.Clone(), []*tensor.Tensor{x}, backward)
	fmt.Println(u.Op(), u.Op().CountsFor(u.Shape(), [][]int{x.Shape()}))
	// Output:
	// Double 2· 3 mul, 0 add, 0 other
	// Double ? mul, ? add, ? other (1 op unknown)
}
