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

// sumProd is a hand-written layer with two inputs and two outputs,
// (a, b) → (a+b, a⊙b).
type sumProd struct{ a, b *tensor.Tensor }

func (l *sumProd) ForwardN(in ...*tensor.Tensor) []*tensor.Tensor {
	l.a, l.b = in[0], in[1]
	return []*tensor.Tensor{tensor.Add(l.a, l.b), tensor.Mul(l.a, l.b)}
}

// BackwardInputsN returns ∂L/∂a = g₀ + g₁⊙b and ∂L/∂b = g₀ + g₁⊙a; a nil
// output gradient counts as zeros.
func (l *sumProd) BackwardInputsN(g []*tensor.Tensor) []*tensor.Tensor {
	da, db := tensor.ZerosLike(l.a), tensor.ZerosLike(l.b)
	if g[0] != nil {
		da, db = tensor.Add(da, g[0]), tensor.Add(db, g[0])
	}
	if g[1] != nil {
		da, db = tensor.Add(da, tensor.Mul(g[1], l.b)), tensor.Add(db, tensor.Mul(g[1], l.a))
	}
	return []*tensor.Tensor{da, db}
}

func (l *sumProd) BackwardParamsN([]*tensor.Tensor) []nn.ParamGrad { return nil }

// WrapN puts a hand-written layer with two inputs and two outputs into an
// autodiff computation; here it is used twice in one graph.
func ExampleWrapN() {
	a := tensor.FromFloat32([]float32{1, 2}).SetRequiresGrad(true)
	b := tensor.FromFloat32([]float32{3, 4}).SetRequiresGrad(true)
	m := nn.WrapN(&sumProd{})
	s, p := m.ForwardN(a, b)[0], m.ForwardN(a, b)[1] // s = a+b, p = a⊙b
	tensor.Sum(tensor.Mul(s, p)).Backward()          // Σ (a+b)·a·b
	fmt.Println(a.Grad().Values(), b.Grad().Values())
	// Output: [15 32] [7 20]
}

// Bilinear is a layer with two inputs; Select keeps one output of a
// multi-output module where a single-input Module is wanted.
func ExampleBilinear() {
	rng := tensor.NewRand(1)
	bl := nn.NewBilinear(rng, 3, 2, 4) // x1 [N,3], x2 [N,2] → y [N,4]
	x1, x2 := tensor.Ones(5, 3), tensor.Ones(5, 2)
	y := bl.ForwardN(x1, x2)[0]
	g := bl.BackwardInputsN([]*tensor.Tensor{tensor.Ones(y.Shape()...)})
	fmt.Println(y.Shape(), g[0].Shape(), g[1].Shape())
	for _, p := range bl.Params() {
		fmt.Println(p.Name, p.Tensor.Shape())
	}
	// Output:
	// [5 4] [5 3] [5 2]
	// weight [4 3 2]
	// bias [4]
}
