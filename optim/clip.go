package optim

import (
	"math"

	"github.com/duboko/duboko/internal/kernel"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// GradNorm returns the 2-norm of all gradients of params taken together
// (as if concatenated into one vector); parameters without a gradient are
// skipped and a tensor listed twice counts once.
func GradNorm(params []nn.Param) float64 {
	var ss float64
	for _, g := range uniqueGrads(params) {
		if g.DType() == tensor.Float64 {
			x := g.Float64s()
			ss += kernel.Dot(x, x)
		} else {
			x := g.Float32s()
			ss += float64(kernel.Dot(x, x))
		}
	}
	return math.Sqrt(ss)
}

// ClipGradNorm scales all gradients of params by maxNorm/(norm+1e-6) when
// their joint 2-norm exceeds maxNorm, as torch.nn.utils.clip_grad_norm_,
// and returns the norm before clipping. Parameters without a gradient are
// skipped; a NaN or infinite norm is returned with the gradients left as
// they are, so the caller can skip the step. Gradients are modified in
// place. It panics if maxNorm is negative or NaN.
func ClipGradNorm(params []nn.Param, maxNorm float64) float64 {
	if !(maxNorm >= 0) {
		configPanic("ClipGradNorm", "invalid max norm %v", maxNorm)
	}
	norm := GradNorm(params)
	coef := maxNorm / (norm + 1e-6)
	if !(coef < 1) || math.IsInf(norm, 0) {
		return norm
	}
	for _, p := range uniqueGrads(params) {
		if p.DType() == tensor.Float64 {
			kernel.Scale(coef, p.Float64s())
		} else {
			kernel.Scale(float32(coef), p.Float32s())
		}
	}
	return norm
}

// ClipGradValue clamps every gradient element of params to [−v, v], as
// torch.nn.utils.clip_grad_value_. NaN elements stay NaN. Gradients are
// modified in place. It panics if v is negative or NaN.
func ClipGradValue(params []nn.Param, v float64) {
	if !(v >= 0) {
		configPanic("ClipGradValue", "invalid clip value %v", v)
	}
	for _, g := range uniqueGrads(params) {
		if g.DType() == tensor.Float64 {
			clampSlice(g.Float64s(), v)
		} else {
			clampSlice(g.Float32s(), float32(v))
		}
	}
}

// clampSlice clamps x to [−v, v] in place, keeping NaN.
func clampSlice[T float](x []T, v T) {
	for i, e := range x {
		if e > v {
			x[i] = v
		} else if e < -v {
			x[i] = -v
		}
	}
}

// uniqueGrads returns the non-nil gradients of params, each tensor once,
// so that a parameter listed twice is not scaled twice.
func uniqueGrads(params []nn.Param) []*tensor.Tensor {
	out := make([]*tensor.Tensor, 0, len(params))
	seen := make(map[*tensor.Tensor]bool, len(params))
	for _, p := range params {
		g := p.Tensor.Grad()
		if g == nil || seen[g] {
			continue
		}
		seen[g] = true
		out = append(out, g)
	}
	return out
}
