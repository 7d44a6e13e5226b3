package nn

import (
	"math"
	"math/rand/v2"

	"github.com/duboko/duboko/tensor"
)

// Quadratic is the course's lab quiz layer y = A(x∘x) + Bx + c for inputs
// x [N, in]: a fully connected layer with a second weight matrix applied
// to the squared inputs. A and B are [out, in] (as Linear's weight) and c
// is [out]; their state-dict names are quadratic_weight, weight and bias.
type Quadratic struct {
	In, Out int
	A, B    *tensor.Tensor // [out, in]
	C       *tensor.Tensor // [out]

	x *tensor.Tensor // last input
}

// NewQuadratic returns a quadratic layer with A, B and c uniform in
// ±1/√in, as Linear is initialised.
func NewQuadratic(rng *rand.Rand, in, out int) *Quadratic {
	q := &Quadratic{In: in, Out: out,
		A: tensor.ZerosOf(tensor.Float32, out, in).SetRequiresGrad(true),
		B: tensor.ZerosOf(tensor.Float32, out, in).SetRequiresGrad(true),
		C: tensor.ZerosOf(tensor.Float32, out).SetRequiresGrad(true),
	}
	bound := 1 / math.Sqrt(float64(in))
	for _, p := range []*tensor.Tensor{q.A, q.B, q.C} {
		Uniform(-bound, bound)(rng, p)
	}
	return q
}

// Forward returns (x∘x)·Aᵀ + x·Bᵀ + c, recorded as a square, two affine
// maps and a sum.
func (q *Quadratic) Forward(x *tensor.Tensor) *tensor.Tensor {
	checkInputDType("Quadratic", x, q.B)
	if x.NDim() != 2 || x.Dim(1) != q.In {
		panic(&tensor.ShapeError{Op: "Quadratic", Shapes: [][]int{x.Shape(), {q.Out, q.In}}, Msg: "want input [N, in]"})
	}
	q.x = x
	return tensor.Add(tensor.Linear(tensor.Square(x), q.A, nil), tensor.Linear(x, q.B, q.C))
}

// BackwardInputs returns ∂L/∂x = 2x ⊙ (G·A) + G·B for G = ∂L/∂y.
func (q *Quadratic) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	g := q.grad(grad)
	var dx *tensor.Tensor
	tensor.NoGrad(func() {
		x := q.x.Detach()
		dx = tensor.Add(tensor.Mul(tensor.MulScalar(x, 2), tensor.MatMul(g, q.A.Detach())), tensor.MatMul(g, q.B.Detach()))
	})
	return dx
}

// BackwardParams returns ∂L/∂A = Gᵀ·(x∘x), ∂L/∂B = Gᵀ·x and ∂L/∂c = Σ_n G.
func (q *Quadratic) BackwardParams(grad *tensor.Tensor) []ParamGrad {
	g := q.grad(grad)
	var out []ParamGrad
	tensor.NoGrad(func() {
		x, gt := q.x.Detach(), tensor.T(g)
		out = []ParamGrad{
			{"quadratic_weight", q.A, tensor.MatMul(gt, tensor.Square(x))},
			{"weight", q.B, tensor.MatMul(gt, x)},
			{"bias", q.C, tensor.Sum(g, 0)},
		}
	})
	return out
}

// grad checks grad against the last output's shape and detaches it.
func (q *Quadratic) grad(grad *tensor.Tensor) *tensor.Tensor {
	mustInput("Quadratic", q.x)
	checkGradShape("Quadratic", grad, []int{q.x.Dim(0), q.Out})
	return grad.Detach()
}

// Params returns A, B and c under their state-dict names.
func (q *Quadratic) Params() []Param {
	return []Param{{"quadratic_weight", q.A}, {"weight", q.B}, {"bias", q.C}}
}

// SetTraining does nothing: the layer behaves the same in both modes.
func (q *Quadratic) SetTraining(bool) {}
