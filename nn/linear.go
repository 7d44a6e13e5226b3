package nn

import (
	"math"
	"math/rand/v2"

	"github.com/duboko/duboko/tensor"
)

// Linear is a fully connected (affine) layer y = x·Wᵀ + b with weight
// [out, in] and bias [out], as torch.nn.Linear. Inputs are [N, in] or
// [..., in].
type Linear struct {
	In, Out int
	Weight  *tensor.Tensor
	Bias    *tensor.Tensor // nil without bias

	x *tensor.Tensor // last input, flattened to [rows, in]
}

// LinearOption configures NewLinear.
type LinearOption func(*linearConfig)

type linearConfig struct{ noBias bool }

// LinearNoBias builds the layer without a bias (y = x·Wᵀ).
func LinearNoBias() LinearOption { return func(c *linearConfig) { c.noBias = true } }

// NewLinear returns a Linear layer with a bias (unless LinearNoBias is
// given), initialised as PyTorch does: weight and bias uniform in ±1/√in.
// Pass rng for reproducibility; re-initialise with an Initializer to use
// another scheme.
func NewLinear(rng *rand.Rand, in, out int, opts ...LinearOption) *Linear {
	var c linearConfig
	for _, o := range opts {
		o(&c)
	}
	l := &Linear{In: in, Out: out, Weight: tensor.ZerosOf(tensor.Float32, out, in).SetRequiresGrad(true)}
	bound := 1 / math.Sqrt(float64(in))
	Uniform(-bound, bound)(rng, l.Weight)
	if !c.noBias {
		l.Bias = tensor.ZerosOf(tensor.Float32, out).SetRequiresGrad(true)
		Uniform(-bound, bound)(rng, l.Bias)
	}
	return l
}

// Forward returns x·Wᵀ + b.
func (l *Linear) Forward(x *tensor.Tensor) *tensor.Tensor { return l.forward(x, tensor.Linear) }

// forwardReLU runs l and then the ReLU layer relu as one
// tensor.LinearReLU. It leaves relu's cache as relu.Forward would for its
// backward pass, with the output standing in for the input: ReLU's
// derivative depends only on the sign, which the two share.
//
// When buf is not nil, the result goes into *buf, which is replaced by a
// new tensor when it is nil or of the wrong shape or dtype: the caller
// promises that nothing reads the previous result any more.
func (l *Linear) forwardReLU(x *tensor.Tensor, relu *elementwise, buf **tensor.Tensor) *tensor.Tensor {
	op := tensor.LinearReLU
	if buf != nil {
		op = func(x, w, b *tensor.Tensor) *tensor.Tensor {
			d := *buf
			if d == nil || d.DType() != x.DType() || d.Dim(0) != x.Dim(0) || d.Dim(1) != l.Out {
				d = tensor.ZerosOf(x.DType(), x.Dim(0), l.Out)
				*buf = d
			}
			return tensor.LinearReLUInto(d, x, w, b)
		}
	}
	y := l.forward(x, op)
	relu.x, relu.y = y, y
	return y
}

// forward is Forward with the fused op op(x, W, b) in place of tensor.Linear.
func (l *Linear) forward(x *tensor.Tensor, op func(x, w, b *tensor.Tensor) *tensor.Tensor) *tensor.Tensor {
	checkInputDType("Linear", x, l.Weight)
	shape := x.Shape()
	if len(shape) == 0 || shape[len(shape)-1] != l.In {
		panic(&tensor.ShapeError{Op: "Linear", Shapes: [][]int{shape, {l.Out, l.In}}, Msg: "input's last axis must equal in_features"})
	}
	x2 := x
	if len(shape) != 2 {
		x2 = tensor.Reshape(x, -1, l.In)
	}
	l.x = x2
	y := op(x2, l.Weight, l.Bias)
	if len(shape) != 2 {
		y = tensor.Reshape(y, append(shape[:len(shape)-1:len(shape)-1], l.Out)...)
	}
	return y
}

func (l *Linear) grad2(grad *tensor.Tensor) *tensor.Tensor {
	mustInput("Linear", l.x)
	g := tensor.Reshape(grad.Detach(), -1, l.Out)
	checkGradShape("Linear", g, []int{l.x.Dim(0), l.Out})
	return g
}

// BackwardInputs returns ∂L/∂x = ∂L/∂y · W.
func (l *Linear) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	var dx *tensor.Tensor
	tensor.NoGrad(func() { dx = tensor.MatMul(l.grad2(grad), l.Weight.Detach()) })
	shape := grad.Shape()
	shape[len(shape)-1] = l.In
	return tensor.Reshape(dx, shape...)
}

// BackwardParams returns ∂L/∂W = (∂L/∂y)ᵀ·x and ∂L/∂b = Σ_rows ∂L/∂y.
func (l *Linear) BackwardParams(grad *tensor.Tensor) []ParamGrad {
	var out []ParamGrad
	tensor.NoGrad(func() {
		g := l.grad2(grad)
		out = append(out, ParamGrad{"weight", l.Weight, tensor.MatMul(tensor.T(g), l.x.Detach())})
		if l.Bias != nil {
			out = append(out, ParamGrad{"bias", l.Bias, tensor.Sum(g, 0)})
		}
	})
	return out
}

// Params returns weight and bias.
func (l *Linear) Params() []Param {
	ps := []Param{{"weight", l.Weight}}
	if l.Bias != nil {
		ps = append(ps, Param{"bias", l.Bias})
	}
	return ps
}

// SetTraining does nothing: Linear behaves the same in both modes.
func (l *Linear) SetTraining(bool) {}
