package nn

import (
	"fmt"
	"math"
	"reflect"
	"slices"

	"github.com/duboko/duboko/tensor"
)

// ParamLister is implemented by hand-written layers that have parameters.
type ParamLister interface {
	Params() []Param
}

// wrapped adapts a hand-written Layer to automatic differentiation.
type wrapped struct {
	l    Layer
	name string
	calls
}

// Wrap turns a Layer whose Forward, BackwardInputs and BackwardParams are
// written by hand into a Module whose Forward is recorded as one custom
// autodiff op: Backward through it calls the layer's BackwardInputs and
// BackwardParams. If the layer has parameters it must list them with a
// Params method (ParamLister), so that autodiff knows them in advance.
//
// A parameter that Params does not list would have its gradient lost, so
// it is an error, caught twice: Forward runs the layer's Forward on
// detached inputs, recording while recording is on, and panics with a
// *LayerError if the recorded graph of the output reaches a tensor that
// requires a gradient and is not listed (the graph is then dropped: the
// recorded op is the layer's own); and Backward panics when
// BackwardParams returns a parameter that Params does not list.
//
// A wrapped layer may be used several times in one recorded computation
// (y = f(f(x)), or f(a) + f(b)): each call keeps its own input, and when
// the backward pass reaches a call that is not the layer's last Forward,
// it runs the layer's Forward again on that call's input (without
// recording) before calling the backward methods. That costs one more
// Forward per such call, and requires Forward to be deterministic and free
// of side effects beyond its cache: a re-run whose output differs from the
// recorded one (dropout drawing a new mask) panics with a *LayerError
// rather than returning wrong gradients. After such a Backward the layer's
// cache holds the call re-run last, so its explicit backward methods refer
// to that call.
func Wrap(l Layer) Module {
	if m, ok := l.(*wrapped); ok {
		return m
	}
	return &wrapped{l: l, name: reflect.TypeOf(l).String()}
}

// calls numbers the Forward calls of a wrapped layer and remembers which
// one the layer's cache holds.
type calls struct {
	n      uint64 // Forward calls so far
	cached uint64 // the call whose state the layer holds
}

// next registers a new Forward call and returns its number.
func (c *calls) next() uint64 {
	c.n++
	c.cached = c.n
	return c.n
}

// restore makes call k the one the layer's cache holds, re-running its
// Forward with rerun when another call ran since, and checks that the
// re-run reproduced the recorded outputs (by their fingerprints).
func (c *calls) restore(layer string, k uint64, rerun func() []*tensor.Tensor, want []uint64) {
	if c.cached == k {
		return
	}
	var got []*tensor.Tensor
	tensor.NoGrad(func() { got = rerun() })
	c.cached = k
	for i := range want {
		if i >= len(got) || fingerprint(got[i]) != want[i] {
			panic(&LayerError{Layer: layer, Msg: fmt.Sprintf("used several times in one graph, but re-running Forward of call %d for its backward pass gave a different output %d: Forward must be deterministic (see Wrap)", k, i)})
		}
	}
}

// fingerprints returns the fingerprint of each tensor.
func fingerprints(ts []*tensor.Tensor) []uint64 {
	fs := make([]uint64, len(ts))
	for i, t := range ts {
		fs[i] = fingerprint(t)
	}
	return fs
}

// fingerprint hashes t's shape, dtype and the bits of its values (FNV-1a
// over 64-bit words), so that a re-run Forward can be checked without
// keeping a copy of every output.
func fingerprint(t *tensor.Tensor) uint64 {
	if t == nil {
		return 0
	}
	h := uint64(14695981039346656037)
	word := func(v uint64) { h = (h ^ v) * 1099511628211 }
	word(uint64(t.DType()))
	for _, d := range t.Shape() {
		word(uint64(d))
	}
	switch t.DType() {
	case tensor.Float32:
		for _, v := range t.Float32s() {
			word(uint64(math.Float32bits(v)))
		}
	case tensor.Float64:
		for _, v := range t.Float64s() {
			word(math.Float64bits(v))
		}
	default:
		for _, v := range t.Values() {
			word(math.Float64bits(v))
		}
	}
	return h
}

// Forward runs the layer's Forward on a detached input (recording only to
// check for unlisted parameters) and records it as a single op with the
// layer's backward methods as its vector-Jacobian product.
func (w *wrapped) Forward(x *tensor.Tensor) *tensor.Tensor {
	x0 := x.Detach()
	y := w.l.Forward(x0)
	k := w.next()
	params := w.Params()
	checkListed(w.name, w.l, params, []*tensor.Tensor{y})
	y = y.Detach() // a fresh tensor, even if the layer returned its input
	inputs := append([]*tensor.Tensor{x}, paramTensors(params)...)
	if !recorded(inputs) {
		return y
	}
	want := []uint64{fingerprint(y)}
	return tensor.Custom(w.name, y, inputs, func(g *tensor.Tensor) []*tensor.Tensor {
		w.restore(w.name, k, func() []*tensor.Tensor { return []*tensor.Tensor{w.l.Forward(x0)} }, want)
		gs := make([]*tensor.Tensor, len(inputs))
		if x.RequiresGrad() {
			gs[0] = w.l.BackwardInputs(g)
		}
		paramGrads(w.name, params, w.l.BackwardParams(g), gs[1:])
		return gs
	})
}

// recorded reports whether an op with these inputs is recorded: recording
// is on and some input requires a gradient. The inputs are checked first,
// as tensor's record does: GradEnabled costs a goroutine lookup while any
// goroutine is inside NoGrad.
func recorded(inputs []*tensor.Tensor) bool {
	for _, in := range inputs {
		if in != nil && in.RequiresGrad() {
			return tensor.GradEnabled()
		}
	}
	return false
}

// paramTensors returns the tensors of params.
func paramTensors(params []Param) []*tensor.Tensor {
	ts := make([]*tensor.Tensor, len(params))
	for i, p := range params {
		ts[i] = p.Tensor
	}
	return ts
}

// paramGrads stores each returned gradient at its parameter's index in
// gs, and panics if the layer returned a parameter it does not list.
func paramGrads(layer string, params []Param, pgs []ParamGrad, gs []*tensor.Tensor) {
	for _, pg := range pgs {
		i := slices.IndexFunc(params, func(p Param) bool { return p.Tensor == pg.Param })
		if i < 0 {
			panic(&LayerError{Layer: layer, Msg: fmt.Sprintf("BackwardParams returned %q, which Params does not list: list every parameter with a Params method, or its gradient is lost", pg.Name)})
		}
		gs[i] = pg.Grad
	}
}

// checkListed panics if the recorded graph of a wrapped layer's outputs
// (computed from detached inputs) reaches a leaf tensor that requires a
// gradient and is not in params: the layer's Forward uses a parameter
// that autodiff would not know, and its gradient would be lost.
func checkListed(layer string, lister any, params []Param, outs []*tensor.Tensor) {
	listed := make(map[*tensor.Tensor]bool, len(params))
	for _, p := range params {
		listed[p.Tensor] = true
	}
	seen := map[*tensor.Tensor]bool{}
	stack := []*tensor.Tensor{}
	for _, y := range outs {
		if y != nil && y.RequiresGrad() {
			stack = append(stack, y)
		}
	}
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[t] {
			continue
		}
		seen[t] = true
		if t.IsLeaf() {
			if !listed[t] {
				what := "it has no Params method"
				if s, ok := lister.(*single); ok {
					lister = s.l
				}
				if _, ok := lister.(ParamLister); ok {
					what = "its Params method does not list it"
				}
				name := ""
				if t.Name() != "" {
					name = fmt.Sprintf(" %q", t.Name())
				}
				panic(&LayerError{Layer: layer, Msg: fmt.Sprintf("Forward uses a tensor%s of shape %v that requires a gradient, but %s: its gradient would be lost (list it in Params, or SetRequiresGrad(false) to freeze it)", name, t.Shape(), what)})
			}
			continue
		}
		for _, in := range t.Inputs() {
			if in != nil && in.RequiresGrad() {
				stack = append(stack, in)
			}
		}
	}
}

func (w *wrapped) BackwardInputs(g *tensor.Tensor) *tensor.Tensor { return w.l.BackwardInputs(g) }
func (w *wrapped) BackwardParams(g *tensor.Tensor) []ParamGrad    { return w.l.BackwardParams(g) }

// Params returns the layer's parameters if it lists them.
func (w *wrapped) Params() []Param {
	if p, ok := w.l.(ParamLister); ok {
		return p.Params()
	}
	return nil
}

// SetTraining forwards the mode if the layer has one.
func (w *wrapped) SetTraining(t bool) { setTraining(w.l, t) }
