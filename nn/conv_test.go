package nn_test

import (
	"math"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// fdLoss returns L = Σ m.Forward(x)⊙g without recording.
func fdLoss(m nn.Layer, x, g *tensor.Tensor) float64 {
	var s float64
	tensor.NoGrad(func() {
		y := m.Forward(x).Values()
		for i, v := range g.Values() {
			s += y[i] * v
		}
	})
	return s
}

// numGrad returns ∂L/∂t by central differences, perturbing t in place.
func numGrad(t *tensor.Tensor, loss func() float64) []float64 {
	const h = 1e-6
	out := make([]float64, t.Len())
	d := t.Float64s()
	for i := range d {
		old := d[i]
		d[i] = old + h
		lp := loss()
		d[i] = old - h
		lm := loss()
		d[i] = old
		out[i] = (lp - lm) / (2 * h)
	}
	return out
}

func agree(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(got[i] - want[i]); d > tol*(math.Abs(got[i])+math.Abs(want[i]))+tol {
			t.Fatalf("%s[%d] = %.10g, want %.10g", what, i, got[i], want[i])
		}
	}
}

// checkExplicit gradient-checks a float64 layer's hand-written
// BackwardInputs and BackwardParams against finite differences of
// L = Σ Forward(x)⊙G, and against the autodiff gradients of Forward.
func checkExplicit(t *testing.T, m nn.Module, x *tensor.Tensor) {
	t.Helper()
	nn.To(m, tensor.Float64)
	x = x.Clone()
	var g *tensor.Tensor
	tensor.NoGrad(func() { g = rnd(99, m.Forward(x).Shape()...) })
	// Explicit gradients.
	m.Forward(x)
	dx := m.BackwardInputs(g)
	pgs := m.BackwardParams(g)
	// Finite differences.
	loss := func() float64 { return fdLoss(m, x, g) }
	agree(t, "explicit ∂L/∂x vs numerical", dx.Values(), numGrad(x, loss), 1e-6)
	for _, pg := range pgs {
		agree(t, "explicit ∂L/∂"+pg.Name+" vs numerical", pg.Grad.Values(), numGrad(pg.Param, loss), 1e-6)
	}
	// Autodiff.
	nn.ZeroGrad(m)
	xr := x.Clone().SetRequiresGrad(true)
	m.Forward(xr).BackwardWith(g)
	agree(t, "explicit vs autodiff ∂L/∂x", dx.Values(), xr.Grad().Values(), 1e-10)
	params := m.Params()
	if len(pgs) != len(params) {
		t.Fatalf("BackwardParams returned %d gradients for %d params", len(pgs), len(params))
	}
	for i, pg := range pgs {
		if pg.Name != params[i].Name || pg.Param != params[i].Tensor {
			t.Fatalf("gradient %d is %q, param is %q", i, pg.Name, params[i].Name)
		}
		agree(t, "explicit vs autodiff ∂L/∂"+pg.Name, pg.Grad.Values(), pg.Param.Grad().Values(), 1e-10)
	}
}

func TestConv2dLayer(t *testing.T) {
	rng := tensor.NewRand(3)
	cases := []struct {
		name string
		m    *nn.Conv2d
		x    []int
	}{
		{"3x3", nn.NewConv2d(rng, 2, 3, 3), []int{2, 2, 5, 5}},
		{"5x5 pad2", nn.NewConv2d(rng, 1, 2, 5, nn.ConvPadding(2)), []int{2, 1, 6, 6}},
		{"stride2 pad1", nn.NewConv2d(rng, 2, 2, 3, nn.ConvStride(2), nn.ConvPadding(1)), []int{2, 2, 7, 6}},
		{"dilation2 no bias", nn.NewConv2d(rng, 2, 2, 3, nn.ConvDilation(2), nn.ConvNoBias()), []int{2, 2, 7, 7}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkExplicit(t, c.m, rnd(1, c.x...)) })
	}
}

func TestConv2dInitAndNames(t *testing.T) {
	c := nn.NewConv2d(tensor.NewRand(1), 16, 32, 5)
	if s := c.Weight.Shape(); len(s) != 4 || s[0] != 32 || s[1] != 16 || s[2] != 5 || s[3] != 5 {
		t.Fatalf("weight shape %v", s)
	}
	bound := 1 / math.Sqrt(16*25)
	maxAbs := 0.0
	for _, v := range c.Weight.Values() {
		maxAbs = math.Max(maxAbs, math.Abs(v))
	}
	if maxAbs > bound || maxAbs < 0.9*bound {
		t.Errorf("weights within ±%v, max |w| = %v", bound, maxAbs)
	}
	ps := c.Params()
	if len(ps) != 2 || ps[0].Name != "weight" || ps[1].Name != "bias" || nn.NumParams(c) != 32*16*25+32 {
		t.Errorf("params %v", ps)
	}
	y := c.Forward(tensor.Zeros(2, 16, 14, 14))
	if s := y.Shape(); s[1] != 32 || s[2] != 10 || s[3] != 10 {
		t.Errorf("output shape %v", s)
	}
}

func BenchmarkConv2dLayerStep(b *testing.B) {
	// Forward and explicit backward of lab 2's conv2 at batch 50.
	c := nn.NewConv2d(tensor.NewRand(1), 16, 32, 5, nn.ConvPadding(2))
	x := tensor.RandN(tensor.NewRand(2), 50, 16, 14, 14)
	g := tensor.RandN(tensor.NewRand(3), 50, 32, 14, 14)
	b.ReportAllocs()
	for b.Loop() {
		c.Forward(x)
		c.BackwardInputs(g)
		c.BackwardParams(g)
	}
}
