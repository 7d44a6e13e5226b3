package nn_test

import (
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestLeakyReLUExplicitGradAtZero checks the explicit backward's convention
// at the kink, PyTorch's: the derivative at exactly 0 is the slope, as for
// negative inputs (autodiff's tensor.LeakyReLU agrees).
func TestLeakyReLUExplicitGradAtZero(t *testing.T) {
	x := tensor.FromFloat64([]float64{-1, 0, 2}).SetRequiresGrad(true)
	l := nn.NewLeakyReLU(0.2)
	l.Forward(x)
	got := l.BackwardInputs(tensor.FromFloat64([]float64{1, 1, 1})).Values()
	want := []float64{0.2, 0.2, 1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("explicit grad = %v, want %v", got, want)
		}
	}
	y := tensor.Sum(tensor.LeakyReLU(x, 0.2))
	y.Backward()
	if g := x.Grad().Values(); g[1] != 0.2 {
		t.Fatalf("autodiff grad at 0 = %v, want 0.2", g[1])
	}
}
