package nn_test

import (
	"fmt"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// The course's explicit interface: forward, then the two backward methods.
func ExampleLinear() {
	fc := nn.NewLinear(tensor.NewRand(1), 3, 2)
	nn.SetValues(fc.Weight, 1, 0, -1, 0.5, 0.5, 0.5)
	nn.SetValues(fc.Bias, 0, 1)
	x := tensor.FromFloat32([]float32{1, 2, 3}, 1, 3)
	y := fc.Forward(x)
	g := tensor.FromFloat32([]float32{1, 1}, 1, 2) // ∂L/∂y
	fmt.Println(y.Values())
	fmt.Println(fc.BackwardInputs(g).Values())
	for _, pg := range fc.BackwardParams(g) {
		fmt.Println(pg.Name, pg.Grad.Shape(), pg.Grad.Values())
	}
	// Output:
	// [-2 4]
	// [1.5 0.5 -0.5]
	// weight [2 3] [1 2 3 1 2 3]
	// bias [2] [1 1]
}

// The same layers trained through automatic differentiation.
func ExampleSequential() {
	rng := tensor.NewRand(1)
	model := &nn.Sequential{}
	model.Add("fc1", nn.NewLinear(rng, 2, 4))
	model.Add("relu", nn.NewReLU())
	model.Add("fc2", nn.NewLinear(rng, 4, 3))
	x := tensor.RandN(rng, 5, 2)
	loss := nn.CrossEntropy(model.Forward(x), tensor.FromInts([]int{0, 1, 2, 1, 0}))
	loss.Backward()
	for _, p := range model.Params() {
		fmt.Println(p.Name, p.Tensor.Shape(), p.Tensor.Grad() != nil)
	}
	fmt.Println(nn.NumParams(model))
	// Output:
	// fc1.weight [4 2] true
	// fc1.bias [4] true
	// fc2.weight [3 4] true
	// fc2.bias [3] true
	// 27
}

// square is a hand-written layer y = x², as a student writes it.
type square struct{ x *tensor.Tensor }

func (s *square) Forward(x *tensor.Tensor) *tensor.Tensor { s.x = x; return tensor.Mul(x, x) }
func (s *square) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	return tensor.Mul(g, tensor.MulScalar(s.x, 2))
}
func (s *square) BackwardParams(*tensor.Tensor) []nn.ParamGrad { return nil }

// Wrap puts a hand-written layer into an autodiff computation: Backward
// calls its BackwardInputs.
func ExampleWrap() {
	x := tensor.FromFloat32([]float32{1, 2, 3}).SetRequiresGrad(true)
	y := nn.Wrap(&square{}).Forward(x)
	tensor.Sum(y).Backward()
	fmt.Println(x.Grad().Values())
	// Output: [2 4 6]
}
