package gradcheck_test

import (
	"strings"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// tanhInPlace is a hand-written tanh whose BackwardInputs multiplies its
// incoming gradient by 1−y² in place, as a numpy port of
// `grads *= 1 - y**2; return grads` does. With twice set it is the buggy
// port `grads *= 1 - y**2; return grads * (1 - y**2)`, which a checker
// that lets the layer modify its own G then passes: the numerical side
// differentiates Σ y⊙(G⊙(1−y²)), whose derivative is exactly that.
type tanhInPlace struct {
	y     *tensor.Tensor
	twice bool
}

func (l *tanhInPlace) Forward(x *tensor.Tensor) *tensor.Tensor {
	l.y = tensor.Tanh(x)
	return l.y
}

func (l *tanhInPlace) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	for i := range g.Len() {
		y := l.y.Flat(i)
		g.SetFlat(i, g.Flat(i)*(1-y*y))
	}
	if !l.twice {
		return g
	}
	out := g.Clone()
	for i := range out.Len() {
		y := l.y.Flat(i)
		out.SetFlat(i, out.Flat(i)*(1-y*y))
	}
	return out
}

func (l *tanhInPlace) BackwardParams(*tensor.Tensor) []nn.ParamGrad { return nil }

// checkers runs each of the three checkers on a hand-written layer: Layer
// directly, Func and Module through nn.Wrap.
var checkers = []struct {
	name string
	run  func(l nn.Layer, x *tensor.Tensor) gradcheck.Report
}{
	{"Layer", func(l nn.Layer, x *tensor.Tensor) gradcheck.Report { return gradcheck.Layer(l, x) }},
	{"Func", func(l nn.Layer, x *tensor.Tensor) gradcheck.Report {
		m := nn.Wrap(l)
		return gradcheck.Func(func(in []*tensor.Tensor) *tensor.Tensor { return m.Forward(in[0]) }, []*tensor.Tensor{x})
	}},
	{"Module", func(l nn.Layer, x *tensor.Tensor) gradcheck.Report { return gradcheck.Module(nn.Wrap(l), x) }},
}

// valueResults returns the results that compare values (not problems).
func valueResults(rep gradcheck.Report) []gradcheck.Result {
	var out []gradcheck.Result
	for _, r := range rep.Results {
		if r.Problem == "" {
			out = append(out, r)
		}
	}
	return out
}

// TestInPlaceGradientCorrectValues: a backward with the right values that
// modifies its incoming gradient in place. All three checkers judge the
// values against the unmodified G (they pass) and report the in-place
// write on a line of its own, instead of a misleading value mismatch.
func TestInPlaceGradientCorrectValues(t *testing.T) {
	for _, c := range checkers {
		t.Run(c.name, func(t *testing.T) {
			rep := c.run(&tanhInPlace{}, rnd(1, 4, 3))
			vals := valueResults(rep)
			if len(vals) != 1 {
				t.Fatalf("want one value result (the input):\n%s", rep)
			}
			if !vals[0].Passed || vals[0].RelError > 1e-7 {
				t.Fatalf("correct values judged wrong (G modified on the numerical side?):\n%s", rep)
			}
			if rep.OK() || !strings.Contains(rep.String(), "modified its incoming gradient in place") {
				t.Fatalf("in-place modification of G not reported:\n%s", rep)
			}
		})
	}
}

// TestInPlaceGradientWrongValues: the buggy port, whose values a checker
// that differentiates with the layer's modified G would accept.
func TestInPlaceGradientWrongValues(t *testing.T) {
	for _, c := range checkers {
		t.Run(c.name, func(t *testing.T) {
			rep := c.run(&tanhInPlace{twice: true}, rnd(1, 4, 3))
			vals := valueResults(rep)
			if len(vals) != 1 || vals[0].Passed || vals[0].RelError < 1e-3 {
				t.Fatalf("wrong values (derivative applied twice) passed:\n%s", rep)
			}
			if !strings.Contains(rep.String(), "FAIL input") {
				t.Fatalf("report does not fail the input:\n%s", rep)
			}
		})
	}
}

// TestInPlaceGradientCorruptsSiblings shows why writing into the incoming
// gradient is a failure even when the layer's own values are right: Add
// hands the same gradient tensor to both of its inputs, so the in-place
// write also changes the gradient that reaches x through the other branch.
func TestInPlaceGradientCorruptsSiblings(t *testing.T) {
	m := nn.Wrap(&tanhInPlace{})
	f := func(in []*tensor.Tensor) *tensor.Tensor { return tensor.Add(m.Forward(in[0]), in[0]) }
	rep := gradcheck.Func(f, []*tensor.Tensor{rnd(1, 4, 3)})
	vals := valueResults(rep)
	if len(vals) != 1 || vals[0].Passed {
		t.Fatalf("x's gradient through y + x is corrupted, yet it passed:\n%s", rep)
	}
	// The same layer writing into a copy passes.
	ok := gradcheck.Func(func(in []*tensor.Tensor) *tensor.Tensor {
		return tensor.Add(nn.Wrap(copyingLayer{&tanhInPlace{}}).Forward(in[0]), in[0])
	}, []*tensor.Tensor{rnd(1, 4, 3)})
	if !ok.OK() {
		t.Fatalf("tanh writing into a copy failed:\n%s", ok)
	}
}

// copyingLayer hands its layer a copy of the incoming gradient.
type copyingLayer struct{ l nn.Layer }

func (c copyingLayer) Forward(x *tensor.Tensor) *tensor.Tensor { return c.l.Forward(x) }
func (c copyingLayer) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	return c.l.BackwardInputs(g.Clone())
}
func (c copyingLayer) BackwardParams(g *tensor.Tensor) []nn.ParamGrad {
	return c.l.BackwardParams(g.Clone())
}
