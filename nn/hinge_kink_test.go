package nn_test

import (
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestHingeKinkHasNoGradient checks the documented convention at a hinge's
// kink: a term exactly 0 (s_j = s_y − δ) adds nothing to the gradient, in
// autodiff (MultiMargin) and the explicit MultiClassHinge alike, as in
// PyTorch; a term just inside the margin does.
func TestHingeKinkHasNoGradient(t *testing.T) {
	// Row 0: true class 0, s_1 exactly at the kink (1 − 2 + 1 = 0), s_2
	// inside (1 − 2 + 1.5 > 0). N = 1, C = 3: each active term ±1/3.
	x := tensor.Reshape(tensor.FromFloat64([]float64{2, 1, 1.5}), 1, 3)
	y := tensor.FromInts([]int{0})
	want := []float64{-1.0 / 3, 0, 1.0 / 3}
	xs := x.Clone().SetRequiresGrad(true)
	nn.MultiMargin(xs, y).Backward()
	explicit := nn.MultiClassHinge{}.BackwardInputs(x, y).Values()
	for i, w := range want {
		if g := xs.Grad().Values()[i]; g != w {
			t.Fatalf("autodiff gradient %v, want %v", xs.Grad().Values(), want)
		}
		if explicit[i] != w {
			t.Fatalf("explicit gradient %v, want %v", explicit, want)
		}
	}
}
