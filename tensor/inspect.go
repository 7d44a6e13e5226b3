package tensor

import (
	"fmt"
	"slices"
)

// VJP returns, for each tensor in wrt, the vector-Jacobian product
// gᵀ·∂y/∂x: the gradient that backpropagating g from y delivers to x. The
// tensors in wrt may be leaves (that require a gradient) or intermediates
// of y's recorded graph; an entry is nil where no gradient reaches x. g
// must have y's shape and dtype (nil means 1 for a scalar y).
//
// Unlike Backward, VJP leaves every leaf's Grad untouched and keeps the
// graph, so it can be called once per output element to build a full
// Jacobian, or with all intermediates to trace the backward pass.
func VJP(y, g *Tensor, wrt ...*Tensor) []*Tensor {
	if !y.requiresGrad {
		panic(&GradError{Op: "VJP", Msg: fmt.Sprintf("tensor %v does not require a gradient (no input had SetRequiresGrad(true))", y.shape)})
	}
	if g == nil {
		if y.Len() != 1 {
			panic(&GradError{Op: "VJP", Msg: fmt.Sprintf("tensor of shape %v is not a scalar; pass its upstream gradient", y.shape)})
		}
		g = FullOf(y.dtype, 1, y.shape...)
	} else {
		if !slices.Equal(g.shape, y.shape) {
			panic(shapeErr("VJP", "upstream gradient must have the tensor's shape", y.shape, g.shape))
		}
		sameDType("VJP", y, g)
	}
	want := make(map[*Tensor]*Tensor, len(wrt))
	for _, x := range wrt {
		want[x] = nil
	}
	order := topoOrder(y)
	grads := map[*Tensor]*Tensor{y: g}
	NoGrad(func() {
		for i := len(order) - 1; i >= 0; i-- {
			v := order[i]
			gv := grads[v]
			delete(grads, v)
			if gv == nil {
				continue
			}
			if _, ok := want[v]; ok {
				want[v] = gv
			}
			if v.node == nil {
				continue
			}
			if v.node.freed {
				panic(&GradError{Op: "VJP", Msg: "graph already released by an earlier Backward; use BackwardRetain to keep it"})
			}
			propagate("VJP", v, gv, grads)
		}
	})
	out := make([]*Tensor, len(wrt))
	for i, x := range wrt {
		out[i] = want[x]
	}
	return out
}
