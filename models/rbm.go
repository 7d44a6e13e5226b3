package models

import (
	"math/rand/v2"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// RBM is a Bernoulli restricted Boltzmann machine (course lab 4) with
// binary visible units v and hidden units h, energy
// E(v, h) = −bᵀv − cᵀh − hᵀWv, and conditionals
// p(h=1|v) = σ(Wv + c), p(v=1|h) = σ(Wᵀh + b).
// W is [hidden, visible] ("weight"), b is "visible_bias" and c
// "hidden_bias".
//
// It is trained without backpropagation, by contrastive divergence
// ([RBM.CD]). As a Module, Forward(v) returns p(h=1|v) (the features), with
// the explicit backward methods of that map.
type RBM struct {
	W, B, C *tensor.Tensor
	x, y    *tensor.Tensor // last Forward's input and output
}

// NewRBM returns an RBM with weights drawn from N(0, 0.01²) and zero
// biases, as Hinton's practical guide advises.
func NewRBM(rng *rand.Rand, visible, hidden int) *RBM {
	w := tensor.Zeros(hidden, visible)
	nn.Normal(0, 0.01)(rng, w)
	return &RBM{W: w.SetRequiresGrad(true), B: tensor.Zeros(visible).SetRequiresGrad(true),
		C: tensor.Zeros(hidden).SetRequiresGrad(true)}
}

// Visible returns the number of visible units.
func (r *RBM) Visible() int { return r.W.Dim(1) }

// Hidden returns the number of hidden units.
func (r *RBM) Hidden() int { return r.W.Dim(0) }

// HiddenProbs returns p(h=1|v) = σ(vWᵀ + c) for v [N, visible].
func (r *RBM) HiddenProbs(v *tensor.Tensor) *tensor.Tensor {
	return tensor.Sigmoid(tensor.Linear(tensor.Reshape(v, v.Dim(0), r.Visible()), r.W, r.C))
}

// VisibleProbs returns p(v=1|h) = σ(hW + b) for h [N, hidden].
func (r *RBM) VisibleProbs(h *tensor.Tensor) *tensor.Tensor {
	return tensor.Sigmoid(tensor.Add(tensor.MatMul(h, r.W), r.B))
}

// Bernoulli returns a tensor of p's shape with 1 where u < p and 0
// elsewhere: a sample of independent Bernoulli variables given uniforms u
// in [0, 1) of the same shape. Unlike tensor.Bernoulli, which draws its
// own uniforms from an rng, it takes them, so that a CD step can be made
// deterministic with fixed uniforms.
func Bernoulli(p, u *tensor.Tensor) *tensor.Tensor {
	out := tensor.ZerosOf(p.DType(), p.Shape()...)
	if p.DType() == tensor.Float32 && u.DType() == tensor.Float32 {
		ps, us, os := p.Float32s(), u.Float32s()[:len(p.Float32s())], out.Float32s()
		for i, pi := range ps {
			if us[i] < pi {
				os[i] = 1
			}
		}
		return out
	}
	for i := 0; i < p.Len(); i++ {
		if u.Flat(i) < p.Flat(i) {
			out.SetFlat(i, 1)
		}
	}
	return out
}

// CDStats is one contrastive-divergence step's result: the gradient
// estimates of the log-likelihood (to be ascended) and what the chain
// ended in.
type CDStats struct {
	DW, DB, DC *tensor.Tensor // ⟨v hᵀ⟩_data − ⟨v hᵀ⟩_model and the bias analogues, batch means
	VK, HK     *tensor.Tensor // the chain's last visible probabilities and hidden sample
	ReconError float64        // mean over images of Σ_pixels (v0 − p(v|h0))², the one-step reconstruction error
}

// CD runs k steps of block Gibbs sampling from the hidden sample of the
// data v0 [N, visible] (or, for persistent CD, from the hidden state
// chain [N, hidden] when chain is not nil) and returns the CD-k gradient
// estimates:
//
//	ΔW = (p(h|v0)ᵀ v0 − p(h|vk)ᵀ vk) / N, Δb = mean(v0 − vk), Δc = mean(p(h|v0) − p(h|vk)),
//
// with vk the visible probabilities of the last step (Hinton's practical
// choice; the hidden units are sampled at every step). uniform draws the
// uniforms of each sample [rows, cols]; pass a fixed sequence to make a
// step deterministic. It records nothing for autodiff.
func (r *RBM) CD(v0 *tensor.Tensor, k int, chain *tensor.Tensor, uniform func(rows, cols int) *tensor.Tensor) CDStats {
	var st CDStats
	tensor.NoGrad(func() {
		n := v0.Dim(0)
		v0 = tensor.Reshape(v0, n, r.Visible())
		ph0 := r.HiddenProbs(v0)
		h := Bernoulli(ph0, uniform(n, r.Hidden()))
		rec := r.VisibleProbs(h)
		st.ReconError = sumSquares(tensor.Sub(v0, rec)) / float64(n)
		if chain != nil {
			h = chain
		}
		var vk, phk *tensor.Tensor
		for i := 0; i < k; i++ {
			vk = r.VisibleProbs(h)
			phk = r.HiddenProbs(vk)
			h = Bernoulli(phk, uniform(n, r.Hidden()))
		}
		inv := 1 / float64(n)
		st.DW = tensor.MulScalar(tensor.Sub(tensor.MatMul(tensor.T(ph0), v0), tensor.MatMul(tensor.T(phk), vk)), inv)
		st.DB = tensor.MulScalar(tensor.Sum(tensor.Sub(v0, vk), 0), inv)
		st.DC = tensor.MulScalar(tensor.Sum(tensor.Sub(ph0, phk), 0), inv)
		st.VK, st.HK = vk, h
	})
	return st
}

// sumSquares returns Σ t².
func sumSquares(t *tensor.Tensor) float64 {
	s := 0.0
	for i := 0; i < t.Len(); i++ {
		v := t.Flat(i)
		s += v * v
	}
	return s
}

// Gibbs runs steps of block Gibbs sampling from v [N, visible]: each step
// samples h ~ p(h|v), then v ~ p(v|h). It returns p(v|h) of the last step
// (the mean of the last visible sample, the usual picture of a sample).
// rng draws the samples.
func (r *RBM) Gibbs(v *tensor.Tensor, steps int, rng *rand.Rand) *tensor.Tensor {
	var out *tensor.Tensor
	tensor.NoGrad(func() {
		out = tensor.Reshape(v, v.Dim(0), r.Visible())
		for i := 0; i < steps; i++ {
			if i > 0 {
				out = Bernoulli(out, tensor.RandU(rng, 0, 1, out.Shape()...))
			}
			ph := r.HiddenProbs(out)
			h := Bernoulli(ph, tensor.RandU(rng, 0, 1, ph.Shape()...))
			out = r.VisibleProbs(h)
		}
	})
	return out
}

// Forward returns p(h=1|v) = σ(vWᵀ + c), recorded for autodiff.
func (r *RBM) Forward(v *tensor.Tensor) *tensor.Tensor {
	r.x = tensor.Reshape(v, v.Dim(0), r.Visible()).Detach()
	r.y = r.HiddenProbs(v)
	return r.y
}

// gradPre returns ∂L/∂(vWᵀ + c) = grad ⊙ y(1 − y) for the last Forward.
func (r *RBM) gradPre(grad *tensor.Tensor) *tensor.Tensor {
	if r.y == nil {
		panic(&nn.LayerError{Layer: "RBM", Msg: "BackwardInputs/BackwardParams called before Forward"})
	}
	g := tensor.ZerosOf(grad.DType(), grad.Shape()...)
	for i := 0; i < g.Len(); i++ {
		y := r.y.Flat(i)
		g.SetFlat(i, grad.Flat(i)*y*(1-y))
	}
	return g
}

// BackwardInputs returns ∂L/∂v = (grad ⊙ y(1−y)) W.
func (r *RBM) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	var out *tensor.Tensor
	tensor.NoGrad(func() { out = tensor.MatMul(r.gradPre(grad), r.W.Detach()) })
	return out
}

// BackwardParams returns the gradients of W and c for the last Forward
// (b is not on the path v → p(h|v)).
func (r *RBM) BackwardParams(grad *tensor.Tensor) []nn.ParamGrad {
	var out []nn.ParamGrad
	tensor.NoGrad(func() {
		g := r.gradPre(grad)
		out = []nn.ParamGrad{{Name: "weight", Param: r.W, Grad: tensor.MatMul(tensor.T(g), r.x)},
			{Name: "hidden_bias", Param: r.C, Grad: tensor.Sum(g, 0)}}
	})
	return out
}

// Params returns weight, visible_bias and hidden_bias.
func (r *RBM) Params() []nn.Param {
	return []nn.Param{{Name: "weight", Tensor: r.W}, {Name: "visible_bias", Tensor: r.B}, {Name: "hidden_bias", Tensor: r.C}}
}

// SetTraining does nothing: the RBM has no mode.
func (r *RBM) SetTraining(bool) {}
