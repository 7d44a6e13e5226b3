package nn

import (
	"fmt"
	"reflect"

	"github.com/duboko/duboko/tensor"
)

// wrappedN adapts a hand-written MultiLayer to automatic differentiation.
type wrappedN struct {
	l    MultiLayer
	name string
	calls
}

// WrapN is Wrap for a layer with several inputs and outputs: ForwardN runs
// the layer's ForwardN without recording and records it as one custom op
// whose inputs are the non-nil inputs and the listed parameters, so that
// Backward calls the layer's BackwardInputsN and BackwardParamsN once per
// call, with one gradient per output (zeros for an output that does not
// reach the loss). Several outputs are recorded as slices of one
// concatenated result, so they must share a dtype. The parameter checks
// and the rules for using the layer several times in one graph are
// Wrap's.
func WrapN(l MultiLayer) MultiModule {
	if m, ok := l.(*wrappedN); ok {
		return m
	}
	return &wrappedN{l: l, name: reflect.TypeOf(l).String()}
}

// ForwardN runs the layer on detached inputs (recording only to check for
// unlisted parameters) and records its outputs as one op.
func (w *wrappedN) ForwardN(inputs ...*tensor.Tensor) []*tensor.Tensor {
	xs := make([]*tensor.Tensor, len(inputs))
	for i, x := range inputs {
		if x != nil {
			xs[i] = x.Detach()
		}
	}
	ys := w.l.ForwardN(xs...)
	k := w.next()
	if len(ys) == 0 {
		return nil
	}
	params := w.Params()
	checkListed(w.name, w.l, params, ys)
	recIn := append(append([]*tensor.Tensor(nil), inputs...), paramTensors(params)...)
	shapes := make([][]int, len(ys))
	flat := make([]*tensor.Tensor, len(ys))
	for i, y := range ys {
		if y == nil || (len(ys) > 1 && y.DType() != ys[0].DType()) {
			panic(&LayerError{Layer: w.name, Msg: fmt.Sprintf("WrapN needs outputs of one dtype, none nil; output %d is %v", i, describe(y))})
		}
		ys[i] = y.Detach()
		shapes[i] = y.Shape()
		flat[i] = tensor.Reshape(ys[i], -1)
	}
	if !recorded(recIn) {
		return ys
	}
	want := fingerprints(ys)
	// One recorded result: the outputs themselves when there is one,
	// their concatenation otherwise, which the outputs slice.
	var hub *tensor.Tensor
	if len(ys) == 1 {
		hub = ys[0]
	} else {
		tensor.NoGrad(func() { hub = tensor.Concat(0, flat...) })
	}
	hub = tensor.Custom(w.name, hub, recIn, func(g *tensor.Tensor) []*tensor.Tensor {
		w.restore(w.name, k, func() []*tensor.Tensor { return w.l.ForwardN(xs...) }, want)
		gys := []*tensor.Tensor{g}
		if len(ys) > 1 {
			gys = splitFlat(g, shapes)
		}
		gs := make([]*tensor.Tensor, len(recIn))
		need := false
		for _, x := range inputs {
			need = need || (x != nil && x.RequiresGrad())
		}
		if need {
			gx := w.l.BackwardInputsN(gys)
			if len(gx) != len(inputs) {
				panic(&LayerError{Layer: w.name, Msg: fmt.Sprintf("BackwardInputsN returned %d gradients for %d inputs", len(gx), len(inputs))})
			}
			for i, x := range inputs {
				if x != nil && x.RequiresGrad() {
					gs[i] = gx[i]
				}
			}
		}
		paramGrads(w.name, params, w.l.BackwardParamsN(gys), gs[len(inputs):])
		return gs
	})
	if len(ys) == 1 {
		return []*tensor.Tensor{hub}
	}
	out := make([]*tensor.Tensor, len(ys))
	off := 0
	for i, s := range shapes {
		n := flat[i].Len()
		out[i] = tensor.Reshape(tensor.Slice(hub, 0, off, off+n), s...)
		off += n
	}
	return out
}

// splitFlat cuts a flat gradient into tensors of the given shapes.
func splitFlat(g *tensor.Tensor, shapes [][]int) []*tensor.Tensor {
	out := make([]*tensor.Tensor, len(shapes))
	off := 0
	for i, s := range shapes {
		n := 1
		for _, d := range s {
			n *= d
		}
		out[i] = tensor.Reshape(tensor.Slice(g, 0, off, off+n), s...)
		off += n
	}
	return out
}

func (w *wrappedN) BackwardInputsN(grads []*tensor.Tensor) []*tensor.Tensor {
	return w.l.BackwardInputsN(grads)
}

func (w *wrappedN) BackwardParamsN(grads []*tensor.Tensor) []ParamGrad {
	return w.l.BackwardParamsN(grads)
}

// Params returns the layer's parameters if it lists them.
func (w *wrappedN) Params() []Param {
	if p, ok := w.l.(ParamLister); ok {
		return p.Params()
	}
	return nil
}

// SetTraining forwards the mode if the layer has one.
func (w *wrappedN) SetTraining(t bool) { setTraining(w.l, t) }

// Name returns the wrapped layer's name (its Go type).
func (w *wrappedN) Name() string { return w.name }

// Unwrap returns the hand-written layer inside.
func (w *wrappedN) Unwrap() MultiLayer { return w.l }

// describe returns t's dtype and shape, or "nil".
func describe(t *tensor.Tensor) string {
	if t == nil {
		return "nil"
	}
	return fmt.Sprintf("%v%v", t.DType(), t.Shape())
}
