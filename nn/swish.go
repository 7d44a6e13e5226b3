package nn

import (
	"math"

	"github.com/duboko/duboko/tensor"
)

// Swish is the activation y = x·σ(βx) (Ramachandran et al., 2017), one of
// the course's lab quiz layers; with β = 1 it is PyTorch's SiLU. β is a
// fixed constant, not a trained parameter.
type Swish struct {
	noParams
	Beta float64

	x, y *tensor.Tensor
}

// NewSwish returns the Swish activation with the given β (1 for SiLU).
func NewSwish(beta float64) *Swish { return &Swish{Beta: beta} }

// Forward returns x·σ(βx), recorded as a product and a sigmoid (and a
// scaling by β unless β = 1).
func (s *Swish) Forward(x *tensor.Tensor) *tensor.Tensor {
	bx := x
	if s.Beta != 1 {
		bx = tensor.MulScalar(x, s.Beta)
	}
	s.x = x
	s.y = tensor.Mul(x, tensor.Sigmoid(bx))
	return s.y
}

// BackwardInputs returns grad ⊙ ∂y/∂x, with
// ∂y/∂x = σ(βx) + βx·σ(βx)(1 − σ(βx)) = σ(βx) + β·y·(1 − σ(βx)).
func (s *Swish) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	mustInput("Swish", s.x)
	checkGradShape("Swish", grad, s.x.Shape())
	xv, yv, gv := s.x.Values(), s.y.Values(), grad.Values()
	for i, g := range gv {
		sg := 1 / (1 + math.Exp(-s.Beta*xv[i]))
		gv[i] = g * (sg + s.Beta*yv[i]*(1-sg))
	}
	return tensor.FromValues(grad.DType(), gv, grad.Shape()...)
}
