package nn_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestQuizLayers checks the lab quiz layers' explicit backward methods
// and their autodiff graphs against central differences in float64, and
// the two against each other.
func TestQuizLayers(t *testing.T) {
	rng := tensor.NewRand(9)
	for _, c := range []struct {
		name string
		m    nn.Module
		x    *tensor.Tensor
	}{
		{"Quadratic", nn.NewQuadratic(rng, 4, 3), rnd(1, 5, 4)},
		{"Quadratic 1→1", nn.NewQuadratic(rng, 1, 1), rnd(2, 3, 1)},
		{"Swish", nn.NewSwish(1), rnd(1, 3, 4)},
		{"Swish β=1.7", nn.NewSwish(1.7), rnd(2, 2, 3, 2)},
		{"Swish β=0.5 in Sequential", nn.NewSequential(nn.NewQuadratic(rng, 4, 6), nn.NewSwish(0.5), nn.NewLinear(rng, 6, 2)), rnd(3, 5, 4)},
	} {
		t.Run(c.name, func(t *testing.T) {
			nn.To(c.m, tensor.Float64)
			if rep := gradcheck.Layer(c.m, c.x); !rep.OK() {
				t.Fatalf("explicit backward:\n%s", rep)
			}
			if rep := gradcheck.Module(c.m, c.x); !rep.OK() {
				t.Fatalf("autodiff:\n%s", rep)
			}
			assertExplicitMatchesAutodiff(t, c.m, c.x)
		})
	}
}

// TestQuizLayerValues checks the forward values against the formulas
// written out by hand.
func TestQuizLayerValues(t *testing.T) {
	q := nn.NewQuadratic(tensor.NewRand(1), 2, 1)
	nn.To(q, tensor.Float64)
	copy(q.A.Float64s(), []float64{1, -2})
	copy(q.B.Float64s(), []float64{0.5, 3})
	q.C.Float64s()[0] = 0.25
	// x = (3, −1): A(x∘x) = 9 − 2 = 7, Bx = 1.5 − 3 = −1.5, c = 0.25
	if got := q.Forward(tensor.FromFloat64([]float64{3, -1}, 1, 2)).Item(); got != 5.75 {
		t.Errorf("Quadratic = %v, want 5.75", got)
	}
	s := nn.NewSwish(2)
	for _, x := range []float64{-3, -0.5, 0, 1, 4} {
		want := x / (1 + math.Exp(-2*x))
		if got := s.Forward(tensor.FromFloat64([]float64{x}, 1)).Item(); math.Abs(got-want) > 1e-15 {
			t.Errorf("Swish(%v) = %v, want %v", x, got, want)
		}
	}
	if names := fmt.Sprintln(nn.StateDict(q)[0].Name, nn.StateDict(q)[1].Name, nn.StateDict(q)[2].Name); names != "quadratic_weight weight bias\n" {
		t.Errorf("names %s", names)
	}
	if err := recoverErr(func() { q.Forward(tensor.ZerosOf(tensor.Float64, 2, 3)) }); err == nil {
		t.Error("Quadratic accepted [2 3] for in = 2")
	}
}
