package models

import (
	"math"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestVAELossGradcheck: the gradient of the negative ELBO and of each of
// its parts with respect to every parameter matches central differences
// in float64 (a fixed eps makes the loss deterministic).
func TestVAELossGradcheck(t *testing.T) {
	rng := tensor.NewRand(3)
	v := NewVAE(rng, 3)
	nn.To(v, tensor.Float64)
	x := tensor.To(tensor.RandU(rng, 0, 1, 2, 784), tensor.Float64)
	eps := tensor.To(tensor.RandN(rng, 2, 3), tensor.Float64)
	var names []string
	var ps []*tensor.Tensor
	for _, p := range v.Params() {
		names = append(names, p.Name)
		ps = append(ps, p.Tensor)
	}
	for _, part := range []struct {
		name string
		f    func(ELBO) *tensor.Tensor
	}{{"-elbo", func(e ELBO) *tensor.Tensor { return e.Loss }},
		{"recon", func(e ELBO) *tensor.Tensor { return e.Recon }},
		{"kl", func(e ELBO) *tensor.Tensor { return e.KL }}} {
		// The loss is a sum of 1,568 pixel terms (about 550 nats): with the
		// default step 1e-5 the finite differences' round-off (~1e-7) rivals
		// the smallest gradients, so a step of 1e-4 is used; its O(h²)
		// truncation error stays far below the tolerance.
		rep := gradcheck.Params(func() *tensor.Tensor { return part.f(v.Loss(x, eps)) }, names, ps,
			gradcheck.Options{Samples: 40, Step: 1e-4})
		if !rep.OK() {
			t.Errorf("%s:\n%s", part.name, rep)
		}
	}
}

// TestGaussianKLClosedForm checks the KL term against the textbook
// formula for one-dimensional Gaussians, per element, and that it is 0 for
// q = N(0, 1).
func TestGaussianKLClosedForm(t *testing.T) {
	mu := tensor.FromFloat64([]float64{0.5, -1, 0, 0}, 2, 2)
	lv := tensor.FromFloat64([]float64{math.Log(2), 0, math.Log(0.25), 0}, 2, 2)
	want := 0.0
	for i, m := range []float64{0.5, -1, 0, 0} {
		s2 := math.Exp(lv.Flat(i))
		want += 0.5 * (s2 + m*m - 1 - math.Log(s2))
	}
	want /= 2
	if got := nn.GaussianKL(mu, lv).Item(); math.Abs(got-want) > 1e-12 {
		t.Fatalf("KL %v, want %v", got, want)
	}
	if got := nn.GaussianKL(tensor.ZerosOf(tensor.Float64, 3, 4), tensor.ZerosOf(tensor.Float64, 3, 4)).Item(); got != 0 {
		t.Fatalf("KL(N(0,1)‖N(0,1)) = %v", got)
	}
}

// TestVAEExplicitBackward: the hand-chained BackwardInputs and
// BackwardParams of the deterministic reconstruction match autodiff.
func TestVAEExplicitBackward(t *testing.T) {
	rng := tensor.NewRand(5)
	v := NewVAE(rng, 2)
	nn.To(v, tensor.Float64)
	rep := gradcheck.Layer(v, tensor.To(tensor.RandU(rng, 0, 1, 2, 784), tensor.Float64), gradcheck.Options{Samples: 30})
	if !rep.OK() {
		t.Fatalf("\n%s", rep)
	}
}
