package nn_test

import (
	"fmt"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// residualMath is residualRaw's function x + relu(x·Wᵀ + b) with autodiff.
func residualMath(x, w, b *tensor.Tensor) *tensor.Tensor {
	return tensor.Add(x, tensor.ReLU(tensor.Add(tensor.MatMul(x, tensor.T(w)), b)))
}

// TestWrapUsedTwice uses one wrapped hand-written layer twice in a graph,
// y = f(f(x)) and y = f(a) + f(b), and compares every gradient with
// autodiff of the same math.
func TestWrapUsedTwice(t *testing.T) {
	const d = 4
	graphs := map[string]struct {
		ins int
		f   func(f func(*tensor.Tensor) *tensor.Tensor, xs []*tensor.Tensor) *tensor.Tensor
	}{
		"f(f(x))": {1, func(f func(*tensor.Tensor) *tensor.Tensor, xs []*tensor.Tensor) *tensor.Tensor { return f(f(xs[0])) }},
		"f(a)+f(b)": {2, func(f func(*tensor.Tensor) *tensor.Tensor, xs []*tensor.Tensor) *tensor.Tensor {
			return tensor.Add(f(xs[0]), f(xs[1]))
		}},
		"f(a)·f(f(b))": {2, func(f func(*tensor.Tensor) *tensor.Tensor, xs []*tensor.Tensor) *tensor.Tensor {
			return tensor.Mul(f(xs[0]), f(f(xs[1])))
		}},
	}
	for name, gr := range graphs {
		t.Run(name, func(t *testing.T) {
			w, b := rnd(1, d, d), rnd(2, d)
			var xs []*tensor.Tensor
			for i := range gr.ins {
				xs = append(xs, awayFromZero(uint64(10+i), 5, d))
			}
			g := rnd(3, 5, d)
			run := func(f func(*tensor.Tensor) *tensor.Tensor, params ...*tensor.Tensor) [][]float64 {
				ins := make([]*tensor.Tensor, len(xs))
				for i, x := range xs {
					ins[i] = x.Clone().SetRequiresGrad(true)
				}
				for _, p := range params {
					p.ZeroGrad()
				}
				gr.f(f, ins).BackwardWith(g)
				var out [][]float64
				for _, t := range append(ins, params...) {
					out = append(out, t.Grad().Values())
				}
				return out
			}
			wa, ba := w.Clone().SetRequiresGrad(true), b.Clone().SetRequiresGrad(true)
			want := run(func(x *tensor.Tensor) *tensor.Tensor { return residualMath(x, wa, ba) }, wa, ba)
			raw := &residualRaw{W: w.Clone().SetRequiresGrad(true), b: b.Clone().SetRequiresGrad(true)}
			m := nn.Wrap(raw)
			got := run(m.Forward, raw.W, raw.b)
			for i := range want {
				closeTo(t, fmt.Sprintf("gradient %d", i), got[i], want[i])
			}
		})
	}
}

// TestWrapNUnrolled unrolls the wrapped two-output cell over three steps,
// h_t = cell(x_t, h_{t−1}), with a loss on every output and the last
// state, and compares with autodiff through the cell's recorded ops.
func TestWrapNUnrolled(t *testing.T) {
	xs := []*tensor.Tensor{rnd(1, 3, 2), rnd(2, 3, 2), rnd(3, 3, 2)}
	run := func(m nn.MultiModule, c *cell) [][]float64 {
		nn.ZeroGrad(c)
		var h *tensor.Tensor
		var loss *tensor.Tensor
		var ins []*tensor.Tensor
		for i, x := range xs {
			x = x.Clone().SetRequiresGrad(true)
			ins = append(ins, x)
			out := m.ForwardN(x, h)
			h = out[1]
			l := tensor.Sum(tensor.Mul(out[0], rnd(uint64(20+i), out[0].Shape()...)))
			if loss == nil {
				loss = l
			} else {
				loss = tensor.Add(loss, l)
			}
		}
		tensor.Add(loss, tensor.Sum(tensor.Mul(h, h))).Backward()
		var g [][]float64
		for _, x := range ins {
			g = append(g, x.Grad().Values())
		}
		for _, p := range c.Params() {
			g = append(g, p.Tensor.Grad().Values())
		}
		return g
	}
	c := newCell(5, 2, 3, 2)
	want := run(c, c)
	got := run(nn.WrapN(c), c)
	for i := range want {
		closeTo(t, fmt.Sprintf("gradient %d", i), got[i], want[i])
	}
}

// noisy is a layer whose Forward is not deterministic: it adds a call
// counter.
type noisy struct{ n float64 }

func (l *noisy) Forward(x *tensor.Tensor) *tensor.Tensor {
	l.n++
	return tensor.AddScalar(x, l.n)
}
func (l *noisy) BackwardInputs(g *tensor.Tensor) *tensor.Tensor { return g.Clone() }
func (l *noisy) BackwardParams(*tensor.Tensor) []nn.ParamGrad   { return nil }

func TestWrapNondeterministicReuse(t *testing.T) {
	m := nn.Wrap(&noisy{})
	x := rnd(1, 3).SetRequiresGrad(true)
	tensor.Sum(m.Forward(x)).Backward() // used once: no re-run, no error
	y := m.Forward(m.Forward(x))
	mustLayerError(t, "Forward must be deterministic", func() { tensor.Sum(y).Backward() })
}

// shrinking is a MultiLayer that returns two outputs, 2x and 3x, on its
// first two calls and only 2x after: a Forward that is not deterministic in
// its number of outputs.
type shrinking struct {
	calls int
	x     *tensor.Tensor
}

func (l *shrinking) ForwardN(xs ...*tensor.Tensor) []*tensor.Tensor {
	l.calls++
	l.x = xs[0]
	ys := []*tensor.Tensor{tensor.MulScalar(xs[0], 2), tensor.MulScalar(xs[0], 3)}
	if l.calls > 2 {
		ys = ys[:1]
	}
	return ys
}

func (l *shrinking) BackwardInputsN(gs []*tensor.Tensor) []*tensor.Tensor {
	g := tensor.ZerosLike(l.x)
	for i, s := range []float64{2, 3} {
		if i < len(gs) && gs[i] != nil {
			g = tensor.Add(g, tensor.MulScalar(gs[i], s))
		}
	}
	return []*tensor.Tensor{g}
}

func (l *shrinking) BackwardParamsN([]*tensor.Tensor) []nn.ParamGrad { return nil }

// TestWrapNRerunFewerOutputs checks that a re-run ForwardN (for a layer
// used twice in one graph) that returns fewer outputs than it recorded is a
// LayerError, not an index panic.
func TestWrapNRerunFewerOutputs(t *testing.T) {
	m := nn.WrapN(&shrinking{})
	x := rnd(1, 3).SetRequiresGrad(true)
	y1 := m.ForwardN(x)
	y2 := m.ForwardN(y1[0])
	loss := tensor.Add(tensor.Add(tensor.Sum(y1[1]), tensor.Sum(y2[0])), tensor.Sum(y2[1]))
	mustLayerError(t, "Forward must be deterministic", func() { loss.Backward() })
}

// Hand-written layers whose parameters autodiff would not know.
type (
	exportedNoParams struct {
		W *tensor.Tensor
		x *tensor.Tensor
	}
	unexportedNoParams struct{ w, x *tensor.Tensor }
	partlyListed       struct {
		W, B *tensor.Tensor
		x    *tensor.Tensor
	}
	nestedLinear struct{ fc *nn.Linear }
	inSlice      struct{ ws []*tensor.Tensor }
)

func (l *exportedNoParams) Forward(x *tensor.Tensor) *tensor.Tensor {
	l.x = x
	return tensor.MatMul(x, tensor.T(l.W))
}
func (l *exportedNoParams) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	return tensor.MatMul(g, l.W.Detach())
}
func (l *exportedNoParams) BackwardParams(g *tensor.Tensor) []nn.ParamGrad {
	return []nn.ParamGrad{{Name: "weight", Param: l.W, Grad: tensor.MatMul(tensor.T(g), l.x)}}
}

func (l *unexportedNoParams) Forward(x *tensor.Tensor) *tensor.Tensor {
	return tensor.MatMul(x, tensor.T(l.w))
}
func (l *unexportedNoParams) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	return tensor.MatMul(g, l.w.Detach())
}
func (l *unexportedNoParams) BackwardParams(*tensor.Tensor) []nn.ParamGrad { return nil }

func (l *partlyListed) Forward(x *tensor.Tensor) *tensor.Tensor {
	return tensor.Add(tensor.MatMul(x, tensor.T(l.W)), l.B)
}
func (l *partlyListed) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	return tensor.MatMul(g, l.W.Detach())
}
func (l *partlyListed) BackwardParams(*tensor.Tensor) []nn.ParamGrad { return nil }
func (l *partlyListed) Params() []nn.Param                           { return []nn.Param{{Name: "weight", Tensor: l.W}} }

func (l *nestedLinear) Forward(x *tensor.Tensor) *tensor.Tensor        { return l.fc.Forward(x) }
func (l *nestedLinear) BackwardInputs(g *tensor.Tensor) *tensor.Tensor { return l.fc.BackwardInputs(g) }
func (l *nestedLinear) BackwardParams(g *tensor.Tensor) []nn.ParamGrad { return l.fc.BackwardParams(g) }

func (l *inSlice) Forward(x *tensor.Tensor) *tensor.Tensor        { return tensor.Mul(x, l.ws[0]) }
func (l *inSlice) BackwardInputs(g *tensor.Tensor) *tensor.Tensor { return tensor.Mul(g, l.ws[0]) }
func (l *inSlice) BackwardParams(*tensor.Tensor) []nn.ParamGrad   { return nil }

// TestWrapUnlistedParams checks that a wrapped layer whose parameters
// autodiff would not know is an error, never a silently lost gradient.
func TestWrapUnlistedParams(t *testing.T) {
	w := func() *tensor.Tensor { return rnd(1, 2, 2).SetRequiresGrad(true) }
	x := func() *tensor.Tensor { return rnd(2, 3, 2).SetRequiresGrad(true) }
	noParams := "requires a gradient, but it has no Params method"
	for name, l := range map[string]nn.Layer{
		"exported field":   &exportedNoParams{W: w()},
		"unexported field": &unexportedNoParams{w: w()},
		"nested layer":     &nestedLinear{fc: f64(nn.NewLinear(tensor.NewRand(1), 2, 2))},
		"in a slice":       &inSlice{ws: []*tensor.Tensor{rnd(1, 2).SetRequiresGrad(true)}},
	} {
		t.Run(name, func(t *testing.T) {
			mustLayerError(t, noParams, func() { nn.Wrap(l).Forward(x()) })
			mustLayerError(t, noParams, func() { nn.NewSequential(nn.NewTanh(), l).Forward(x()) })
			mustLayerError(t, noParams, func() { nn.WrapN(nn.AsMulti(l)).ForwardN(x()) })
		})
	}
	mustLayerError(t, "shape [2] that requires a gradient, but its Params method does not list it", func() {
		nn.Wrap(&partlyListed{W: w(), B: rnd(2, 2).SetRequiresGrad(true)}).Forward(x())
	})
	// The input is not a parameter, even when it requires a gradient and
	// the layer keeps it; frozen tensors are not parameters either.
	l := &partlyListed{W: w(), B: rnd(2, 2)}
	l.Forward(x())
	tensor.Sum(nn.Wrap(l).Forward(x())).Backward()
	tensor.Sum(nn.Wrap(&inSlice{ws: []*tensor.Tensor{rnd(1, 2), w()}}).Forward(x())).Backward() // ws[1] unused

	// A parameter returned by BackwardParams but not used by a recorded
	// Forward is caught when Backward reaches it.
	m := nn.Wrap(&rawParam{w: w()})
	y := m.Forward(x())
	mustLayerError(t, `BackwardParams returned "weight", which Params does not list`, func() { tensor.Sum(y).Backward() })
}

func f64(l *nn.Linear) *nn.Linear { nn.To(l, tensor.Float64); return l }

// rawParam computes its Forward from raw values (nothing recorded) and
// returns its weight's gradient without listing it.
type rawParam struct{ w, x *tensor.Tensor }

func (l *rawParam) Forward(x *tensor.Tensor) *tensor.Tensor {
	l.x = x
	out := tensor.FromValues(x.DType(), x.Values(), x.Shape()...)
	for i := range out.Len() {
		out.SetFlat(i, out.Flat(i)*l.w.Flat(i%l.w.Len()))
	}
	return out
}
func (l *rawParam) BackwardInputs(g *tensor.Tensor) *tensor.Tensor { return g.Clone() }
func (l *rawParam) BackwardParams(g *tensor.Tensor) []nn.ParamGrad {
	return []nn.ParamGrad{{Name: "weight", Param: l.w, Grad: tensor.ZerosLike(l.w)}}
}

// twoDTypes returns outputs of different dtypes, which WrapN cannot
// concatenate.
type twoDTypes struct{}

func (twoDTypes) ForwardN(in ...*tensor.Tensor) []*tensor.Tensor {
	return []*tensor.Tensor{in[0], tensor.To(in[0], tensor.Float32)}
}
func (twoDTypes) BackwardInputsN(g []*tensor.Tensor) []*tensor.Tensor { return g[:1] }
func (twoDTypes) BackwardParamsN([]*tensor.Tensor) []nn.ParamGrad     { return nil }

func TestWrapNOutputDTypes(t *testing.T) {
	mustLayerError(t, "outputs of one dtype, none nil; output 1 is float32[2]", func() { nn.WrapN(twoDTypes{}).ForwardN(rnd(1, 2)) })
}
