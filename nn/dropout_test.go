package nn_test

import (
	"math"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func TestDropoutLayer(t *testing.T) {
	d := nn.NewDropout(tensor.NewRand(5), 0.25)
	x := rnd(1, 64, 100).SetRequiresGrad(true)
	y := d.Forward(x)
	mask := d.Mask()
	zeros := 0
	for i, v := range y.Values() {
		m := mask.Flat(i)
		if m != 0 && math.Abs(m-1/0.75) > 1e-12 {
			t.Fatalf("mask value %v", m)
		}
		if m == 0 {
			zeros++
		}
		if v != x.Flat(i)*m {
			t.Fatalf("y != x⊙mask")
		}
	}
	n := float64(x.Len())
	if frac := float64(zeros) / n; math.Abs(frac-0.25) > 5*math.Sqrt(0.25*0.75/n) {
		t.Errorf("dropped fraction %v, want 0.25", frac)
	}
	g := rnd(2, 64, 100)
	dx := d.BackwardInputs(g)
	y.BackwardWith(g)
	agree(t, "explicit vs autodiff", dx.Values(), x.Grad().Values(), 0)
	for i, v := range dx.Values() {
		if v != g.Flat(i)*mask.Flat(i) {
			t.Fatalf("∂L/∂x != G⊙mask")
		}
	}

	// Evaluation: identity, gradient passes through.
	d.SetTraining(false)
	xe := rnd(3, 4, 5)
	if ye := d.Forward(xe); ye != xe {
		t.Errorf("eval Forward must return its input")
	}
	ge := rnd(4, 4, 5)
	agree(t, "eval backward", d.BackwardInputs(ge).Values(), ge.Values(), 0)

	// Seeded: the same seed gives the same masks.
	a, b := nn.NewDropout(tensor.NewRand(9), 0.5), nn.NewDropout(tensor.NewRand(9), 0.5)
	agree(t, "seeded masks", a.Forward(xe).Values(), b.Forward(xe).Values(), 0)
}
