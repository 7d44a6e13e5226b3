package nn

import (
	"math/rand/v2"

	"github.com/duboko/duboko/tensor"
)

// Dropout is inverted dropout, as torch.nn.Dropout: in training mode each
// element is zeroed with probability P and the kept ones are scaled by
// 1/(1−P); in evaluation mode it is the identity. Masks come from the
// layer's own rng, so a seeded rng makes training reproducible. A new
// layer is in training mode.
type Dropout struct {
	noParams
	P float64

	rng      *rand.Rand
	eval     bool
	mask     *tensor.Tensor // last mask (nil in eval mode or for P = 0)
	xShape   []int
	hasInput bool
}

// NewDropout returns a dropout layer with drop probability p drawing its
// masks from rng (first, as in NewLinear and NewConv2d).
func NewDropout(rng *rand.Rand, p float64) *Dropout { return &Dropout{P: p, rng: rng} }

// SetTraining switches between training (dropout) and evaluation (identity).
func (d *Dropout) SetTraining(training bool) { d.eval = !training }

// Forward applies dropout in training mode and returns x in eval mode.
func (d *Dropout) Forward(x *tensor.Tensor) *tensor.Tensor {
	d.xShape, d.hasInput, d.mask = x.Shape(), true, nil
	if d.eval {
		return x
	}
	y, mask := tensor.DropoutMask(x, d.P, d.rng)
	d.mask = mask
	return y
}

// Mask returns the mask of the last training-mode Forward (0 for dropped
// elements, 1/(1−P) for kept ones), or nil.
func (d *Dropout) Mask() *tensor.Tensor { return d.mask }

// BackwardInputs returns grad ⊙ mask (grad itself, copied, in eval mode).
func (d *Dropout) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	if !d.hasInput {
		mustInput("Dropout", nil)
	}
	checkGradShape("Dropout", grad, d.xShape)
	if d.mask == nil {
		return grad.Detach().Clone()
	}
	var dx *tensor.Tensor
	tensor.NoGrad(func() { dx = tensor.Mul(grad.Detach(), d.mask) })
	return dx
}
