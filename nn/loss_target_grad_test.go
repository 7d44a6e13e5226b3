package nn_test

import (
	"math"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestBCEGradTarget checks BCE's gradients with respect to both the
// probabilities and the targets (soft targets, as a GAN's or a
// distillation loss has) against central differences, and the target
// gradient against its closed form (log(1−p) − log p)/N.
func TestBCEGradTarget(t *testing.T) {
	rng := tensor.NewRand(7)
	p := tensor.To(tensor.Sigmoid(tensor.RandN(rng, 3, 4)), tensor.Float64).SetName("p")
	y := tensor.To(tensor.RandU(rng, 0, 1, 3, 4), tensor.Float64).SetName("y")
	rep := gradcheck.Func(func(in []*tensor.Tensor) *tensor.Tensor { return nn.BCE(in[0], in[1]) }, []*tensor.Tensor{p, y})
	if !rep.OK() || len(rep.Results) != 2 {
		t.Fatalf("BCE gradients:\n%s", rep)
	}

	y.SetRequiresGrad(true)
	defer y.SetRequiresGrad(false)
	nn.BCE(p, y).Backward()
	n := float64(p.Len())
	for i, g := range y.Grad().Values() {
		pv := p.Flat(i)
		want := (math.Log(1-pv) - math.Log(pv)) / n
		if math.Abs(g-want) > 1e-12 {
			t.Fatalf("∂BCE/∂y[%d] = %v, want (log(1−p) − log p)/N = %v", i, g, want)
		}
	}
}
