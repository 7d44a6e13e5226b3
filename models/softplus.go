package models

import (
	"math"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// softplus is the layer y = log(1 + eˣ) with the explicit interface
// (∂y/∂x = σ(x)), used between the VAE's fully connected layers. It is
// parameter-free; the nn package has no Softplus layer yet.
type softplus struct {
	x *tensor.Tensor
}

func newSoftplus() nn.Module { return &softplus{} }

// Forward returns softplus(x), recorded for autodiff.
func (s *softplus) Forward(x *tensor.Tensor) *tensor.Tensor {
	s.x = x
	return tensor.Softplus(x)
}

// BackwardInputs returns grad ⊙ σ(x) for the last Forward's x.
func (s *softplus) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	if s.x == nil {
		panic(&nn.LayerError{Layer: "Softplus", Msg: "BackwardInputs called before Forward"})
	}
	out := tensor.ZerosOf(grad.DType(), grad.Shape()...)
	for i := 0; i < out.Len(); i++ {
		out.SetFlat(i, grad.Flat(i)/(1+math.Exp(-s.x.Flat(i))))
	}
	return out
}

// BackwardParams returns nil: softplus has no parameters.
func (s *softplus) BackwardParams(*tensor.Tensor) []nn.ParamGrad { return nil }

// Params returns nil.
func (s *softplus) Params() []nn.Param { return nil }

// SetTraining does nothing.
func (s *softplus) SetTraining(bool) {}
