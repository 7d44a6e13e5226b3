package nn

import (
	"fmt"
	"reflect"

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
}

// Wrap turns a Layer whose Forward, BackwardInputs and BackwardParams are
// written by hand into a Module whose Forward is recorded as one custom
// autodiff op: Backward through it calls the layer's BackwardInputs and
// BackwardParams. If the layer has parameters it must list them with a
// Params method (ParamLister), so that autodiff knows them in advance.
//
// The layer remembers only its last Forward, so a wrapped layer may be used
// once per recorded computation.
func Wrap(l Layer) Module {
	if m, ok := l.(*wrapped); ok {
		return m
	}
	name := reflect.TypeOf(l).String()
	return &wrapped{l: l, name: name}
}

// Forward runs the layer's Forward without recording and records it as a
// single op with the layer's backward methods as its vector-Jacobian product.
func (w *wrapped) Forward(x *tensor.Tensor) *tensor.Tensor {
	var y *tensor.Tensor
	tensor.NoGrad(func() { y = w.l.Forward(x.Detach()) })
	y = y.Detach() // a fresh tensor, even if the layer returned its input
	params := w.Params()
	inputs := []*tensor.Tensor{x}
	index := map[*tensor.Tensor]int{}
	for i, p := range params {
		inputs = append(inputs, p.Tensor)
		index[p.Tensor] = i + 1
	}
	return tensor.Custom(w.name, y, inputs, func(g *tensor.Tensor) []*tensor.Tensor {
		gs := make([]*tensor.Tensor, len(inputs))
		if x.RequiresGrad() {
			gs[0] = w.l.BackwardInputs(g)
		}
		if len(params) > 0 {
			for _, pg := range w.l.BackwardParams(g) {
				i, ok := index[pg.Param]
				if !ok {
					panic(&LayerError{Layer: w.name, Msg: fmt.Sprintf("BackwardParams returned %q, which Params does not list", pg.Name)})
				}
				gs[i] = pg.Grad
			}
		}
		return gs
	})
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
func (w *wrapped) SetTraining(t bool) {
	if m, ok := w.l.(interface{ SetTraining(bool) }); ok {
		m.SetTraining(t)
	}
}
