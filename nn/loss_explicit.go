package nn

import (
	"github.com/duboko/duboko/tensor"
)

// Loss is the course's explicit loss interface: a scalar of the prediction
// x and the target y, and its gradient with respect to x.
type Loss interface {
	Forward(x, y *tensor.Tensor) float64
	BackwardInputs(x, y *tensor.Tensor) *tensor.Tensor
}

// SoftmaxCrossEntropyWithLogits is lab 2's loss layer: the mean over the
// batch of the cross-entropy between softmax(x) and one-hot (or soft)
// targets y, both [N, C].
type SoftmaxCrossEntropyWithLogits struct{}

// Forward returns −(1/N) Σ_n Σ_c y_nc log softmax(x_n)_c.
func (SoftmaxCrossEntropyWithLogits) Forward(x, y *tensor.Tensor) float64 {
	var v float64
	tensor.NoGrad(func() { v = CrossEntropyOneHot(x.Detach(), y.Detach()).Item() })
	return v
}

// BackwardInputs returns (softmax(x) − y)/N.
func (SoftmaxCrossEntropyWithLogits) BackwardInputs(x, y *tensor.Tensor) *tensor.Tensor {
	lossShapes("SoftmaxCrossEntropyWithLogits", x, y)
	var g *tensor.Tensor
	tensor.NoGrad(func() {
		g = tensor.MulScalar(tensor.Sub(tensor.Softmax(x.Detach(), 1), y.Detach()), 1/float64(x.Dim(0)))
	})
	return g
}

// L2Regularizer is lab 2's λ‖w‖² penalty on one weight tensor (see L2 for
// the convention).
type L2Regularizer struct {
	Weights *tensor.Tensor
	Lambda  float64
	Name    string
}

// Forward returns λ‖w‖².
func (r *L2Regularizer) Forward() float64 {
	var v float64
	tensor.NoGrad(func() { v = L2(r.Lambda, r.Weights.Detach()).Item() })
	return v
}

// BackwardParams returns (w, 2λw).
func (r *L2Regularizer) BackwardParams() []ParamGrad {
	var g *tensor.Tensor
	tensor.NoGrad(func() { g = tensor.MulScalar(r.Weights.Detach(), 2*r.Lambda) })
	return []ParamGrad{{Name: r.Name, Param: r.Weights, Grad: g}}
}

// RegularizedLoss adds regulariser terms to a data loss (lab 2).
type RegularizedLoss struct {
	Data         Loss
	Regularizers []*L2Regularizer
}

// Forward returns the data loss plus every regulariser.
func (r *RegularizedLoss) Forward(x, y *tensor.Tensor) float64 {
	v := r.Data.Forward(x, y)
	for _, reg := range r.Regularizers {
		v += reg.Forward()
	}
	return v
}

// BackwardInputs is the data loss's gradient (regularisers do not depend on x).
func (r *RegularizedLoss) BackwardInputs(x, y *tensor.Tensor) *tensor.Tensor {
	return r.Data.BackwardInputs(x, y)
}

// BackwardParams returns every regulariser's parameter gradient.
func (r *RegularizedLoss) BackwardParams() []ParamGrad {
	var out []ParamGrad
	for _, reg := range r.Regularizers {
		out = append(out, reg.BackwardParams()...)
	}
	return out
}
