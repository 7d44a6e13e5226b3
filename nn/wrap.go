package nn

import (
	"fmt"
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
// Wrap panics with a *LayerError when the layer holds a tensor that
// requires a gradient (a parameter, found among its fields, their fields
// and slices) that Params does not list, and Backward panics when
// BackwardParams returns a parameter that Params does not list: either
// way that parameter's gradient would be lost.
//
// A wrapped layer may be used several times in one recorded computation
// (y = f(f(x)), or f(a) + f(b)): each call keeps its own input, and when
// the backward pass reaches a call that is not the layer's last Forward,
// it runs the layer's Forward again on that call's input (without
// recording) before calling the backward methods. That costs one more
// Forward per such call, and requires Forward to be deterministic and free
// of side effects beyond its cache: a re-run whose output differs from the
// recorded one (dropout drawing a new mask) panics with a *LayerError
// rather than returning wrong gradients.
func Wrap(l Layer) Module {
	if m, ok := l.(*wrapped); ok {
		return m
	}
	w := &wrapped{l: l, name: reflect.TypeOf(l).String()}
	checkListed(w.name, l, w.Params())
	return w
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
// re-run reproduced the recorded outputs.
func (c *calls) restore(layer string, k uint64, rerun func() []*tensor.Tensor, want []*tensor.Tensor) {
	if c.cached == k {
		return
	}
	var got []*tensor.Tensor
	tensor.NoGrad(func() { got = rerun() })
	c.cached = k
	for i := range want {
		if i >= len(got) || !sameValues(got[i], want[i]) {
			panic(&LayerError{Layer: layer, Msg: fmt.Sprintf("used several times in one graph, but re-running Forward of call %d for its backward pass gave a different output %d: Forward must be deterministic (see Wrap)", k, i)})
		}
	}
}

// sameValues reports whether a and b have the same shape and values.
func sameValues(a, b *tensor.Tensor) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.Equal(a.Shape(), b.Shape()) && slices.Equal(a.Values(), b.Values())
}

// Forward runs the layer's Forward without recording and records it as a
// single op with the layer's backward methods as its vector-Jacobian product.
func (w *wrapped) Forward(x *tensor.Tensor) *tensor.Tensor {
	x0 := x.Detach()
	var y *tensor.Tensor
	tensor.NoGrad(func() { y = w.l.Forward(x0) })
	k := w.next()
	y = y.Detach() // a fresh tensor, even if the layer returned its input
	params := w.Params()
	inputs := append([]*tensor.Tensor{x}, paramTensors(params)...)
	want := []*tensor.Tensor{y.Clone()}
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

// checkListed panics if l holds a tensor that requires a gradient and is
// not in params: autodiff would not know it, and its gradient would be
// silently lost. It looks through l's fields, the fields of structs they
// point to and slices and arrays of them, a few levels deep.
func checkListed(layer string, l any, params []Param) {
	listed := map[*tensor.Tensor]bool{}
	for _, p := range params {
		listed[p.Tensor] = true
	}
	type ref struct {
		t reflect.Type
		p uintptr
	}
	seen := map[ref]bool{}
	var walk func(v reflect.Value, path string, depth int)
	walk = func(v reflect.Value, path string, depth int) {
		if depth > 8 {
			return
		}
		switch v.Kind() {
		case reflect.Pointer:
			r := ref{v.Type(), v.Pointer()}
			if v.IsNil() || seen[r] {
				return
			}
			seen[r] = true
			if v.Type() == tensorType {
				t := (*tensor.Tensor)(v.UnsafePointer())
				if t.RequiresGrad() && t.IsLeaf() && !listed[t] {
					what := "it has no Params method"
					if len(params) > 0 {
						what = "its Params method does not list it"
					}
					panic(&LayerError{Layer: layer, Msg: fmt.Sprintf("field %s is a tensor that requires a gradient, but %s: its gradient would be lost (list it in Params, or SetRequiresGrad(false) to freeze it)", path, what)})
				}
				return
			}
			walk(v.Elem(), path, depth+1)
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), path, depth+1)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name, depth+1)
			}
		case reflect.Slice, reflect.Array:
			if k := v.Type().Elem().Kind(); k != reflect.Pointer && k != reflect.Struct && k != reflect.Interface {
				return
			}
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i), depth+1)
			}
		}
	}
	walk(reflect.ValueOf(l), reflect.TypeOf(l).String(), 0)
}

var tensorType = reflect.TypeFor[*tensor.Tensor]()

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
