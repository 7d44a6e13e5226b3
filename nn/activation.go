package nn

import (
	"github.com/duboko/duboko/tensor"
)

// elementwise is an activation y = f(x) whose derivative is df(x, y).
type elementwise struct {
	noParams
	name string
	f    func(*tensor.Tensor) *tensor.Tensor
	df   func(x, y float64) float64
	x, y *tensor.Tensor
}

// Forward returns f(x).
func (a *elementwise) Forward(x *tensor.Tensor) *tensor.Tensor {
	a.x = x
	a.y = a.f(x)
	return a.y
}

// BackwardInputs returns grad ⊙ f'(x).
func (a *elementwise) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	mustInput(a.name, a.x)
	checkGradShape(a.name, grad, a.x.Shape())
	xv, yv, gv := a.x.Values(), a.y.Values(), grad.Values()
	for i := range gv {
		gv[i] *= a.df(xv[i], yv[i])
	}
	return tensor.FromValues(grad.DType(), gv, grad.Shape()...)
}

// NewReLU returns the layer max(0, x); its derivative at 0 is 0.
func NewReLU() Module {
	return &elementwise{name: "ReLU", f: tensor.ReLU, df: func(x, _ float64) float64 { return step(x) }}
}

func step(x float64) float64 {
	if x > 0 {
		return 1
	}
	return 0
}

// NewLeakyReLU returns the layer x for x > 0, slope·x otherwise.
func NewLeakyReLU(slope float64) Module {
	return &elementwise{name: "LeakyReLU",
		f: func(x *tensor.Tensor) *tensor.Tensor { return tensor.LeakyReLU(x, slope) },
		df: func(x, _ float64) float64 {
			if x > 0 {
				return 1
			}
			return slope
		}}
}

// NewSigmoid returns the logistic layer 1/(1+e^-x).
func NewSigmoid() Module {
	return &elementwise{name: "Sigmoid", f: tensor.Sigmoid, df: func(_, y float64) float64 { return y * (1 - y) }}
}

// NewTanh returns the hyperbolic-tangent layer.
func NewTanh() Module {
	return &elementwise{name: "Tanh", f: tensor.Tanh, df: func(_, y float64) float64 { return 1 - y*y }}
}

// Softmax is the softmax layer along Axis (1 for [N, C] inputs).
type Softmax struct {
	noParams
	Axis int
	y    *tensor.Tensor
}

// NewSoftmax returns a softmax layer over axis.
func NewSoftmax(axis int) *Softmax { return &Softmax{Axis: axis} }

// Forward returns softmax(x) along the axis.
func (s *Softmax) Forward(x *tensor.Tensor) *tensor.Tensor {
	s.y = tensor.Softmax(x, s.Axis)
	return s.y
}

// BackwardInputs returns y ⊙ (g − Σ g⊙y), the softmax Jacobian applied to g.
func (s *Softmax) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	mustInput("Softmax", s.y)
	checkGradShape("Softmax", grad, s.y.Shape())
	var dx *tensor.Tensor
	tensor.NoGrad(func() {
		y := s.y.Detach()
		dx = tensor.Mul(y, tensor.Sub(grad, tensor.SumKeepDim(tensor.Mul(grad, y), s.Axis)))
	})
	return dx
}

// Flatten reshapes [N, d1, d2, ...] to [N, d1·d2·...].
type Flatten struct {
	noParams
	shape []int
}

// NewFlatten returns a Flatten layer.
func NewFlatten() *Flatten { return &Flatten{} }

// Forward flattens all axes after the first.
func (f *Flatten) Forward(x *tensor.Tensor) *tensor.Tensor {
	f.shape = x.Shape()
	return tensor.Flatten(x, 1)
}

// BackwardInputs reshapes the gradient back to the input's shape.
func (f *Flatten) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	if f.shape == nil {
		mustInput("Flatten", nil)
	}
	return tensor.Reshape(grad.Clone(), f.shape...)
}
