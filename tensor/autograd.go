package tensor

import (
	"fmt"
	"slices"
)

// node records the operation that produced a tensor: its typed record,
// its inputs and its vector-Jacobian product.
type node struct {
	op       Op
	inputs   []*Tensor
	backward func(grad *Tensor) []*Tensor // one gradient per input (nil where none)
	freed    bool
}

// RequiresGrad reports whether gradients flow to or through t.
func (t *Tensor) RequiresGrad() bool { return t.requiresGrad }

// SetRequiresGrad marks a leaf tensor (a parameter or input) as needing a
// gradient, and returns it.
func (t *Tensor) SetRequiresGrad(b bool) *Tensor {
	if t.node != nil && !b {
		panic(&GradError{Op: "SetRequiresGrad", Msg: "cannot clear requires-grad of a computed tensor; use Detach"})
	}
	if b && !t.dtype.IsFloat() {
		panic(&GradError{Op: "SetRequiresGrad", Msg: fmt.Sprintf("%v tensors have no gradient; convert with tensor.To(x, tensor.Float32) first", t.dtype)})
	}
	t.requiresGrad = b
	return t
}

// Grad returns the accumulated gradient of a leaf, or nil if none yet.
func (t *Tensor) Grad() *Tensor { return t.grad }

// SetGrad replaces the stored gradient (nil clears it).
func (t *Tensor) SetGrad(g *Tensor) { t.grad, t.gradOwned = g, false }

// ZeroGrad clears the accumulated gradient: Grad returns nil until the
// next Backward. The cleared gradient's storage is recycled by that
// Backward (so a training step does not allocate fresh gradient buffers):
// Clone a gradient before ZeroGrad if you need to keep it.
func (t *Tensor) ZeroGrad() {
	if t.grad != nil && t.gradOwned {
		t.spareGrad = t.grad
	}
	t.grad, t.gradOwned = nil, false
}

// IsLeaf reports whether t was not produced by a recorded operation.
func (t *Tensor) IsLeaf() bool { return t.node == nil }

// Op returns the record of the operation that produced t: its kind and
// attributes (the zero Op, of kind OpNone, for leaves). Op().String() is
// its name ("Conv2d", a custom op's name; "" for leaves). The record stays
// after Backward has released the graph.
func (t *Tensor) Op() Op {
	if t.node == nil {
		return Op{}
	}
	return t.node.op
}

// Inputs returns the inputs of the operation that produced t (nil for
// leaves and after Backward has released the graph).
func (t *Tensor) Inputs() []*Tensor {
	if t.node == nil {
		return nil
	}
	return t.node.inputs
}

// Detach returns a tensor sharing t's data with no history and no
// gradient requirement.
func (t *Tensor) Detach() *Tensor {
	d := t.view(t.shape)
	d.name = t.name
	return d
}

// Custom records an operation defined outside this package: out was
// computed from inputs, and backward maps the gradient of out to one
// gradient per input (nil where an input needs none; a slice of another
// length makes Backward panic with a *GradError). If no input requires
// a gradient, or recording is off, out is returned untouched. This is how
// hand-written layers plug into automatic differentiation. The op is
// recorded as kind OpCustom with the given name and nothing declared: its
// operation counts and Jacobian structure read as unknown. CustomOp
// declares them.
func Custom(name string, out *Tensor, inputs []*Tensor, backward func(grad *Tensor) []*Tensor) *Tensor {
	return record(Op{Kind: OpCustom, Name: name}, out, inputs, backward)
}

// CustomOp is Custom for an op that declares its symbol, operation
// counts, Jacobian structure and receptive-field rule in def (any of them
// may be nil, meaning unknown). def.Name names the op; def is kept by
// reference in every record, so declare it once (a package-level
// variable), not per call.
func CustomOp(def *OpDef, out *Tensor, inputs []*Tensor, backward func(grad *Tensor) []*Tensor) *Tensor {
	return record(Op{Kind: OpCustom, Name: def.Name, Decl: def}, out, inputs, backward)
}

// record attaches op to out as the operation that computed it from
// inputs, with backward its vector-Jacobian product, when recording is on
// and an input requires a gradient; otherwise it returns out untouched.
func record(op Op, out *Tensor, inputs []*Tensor, backward func(grad *Tensor) []*Tensor) *Tensor {
	// The inputs are checked first: GradEnabled costs a goroutine lookup
	// while any goroutine is inside NoGrad.
	need := false
	for _, in := range inputs {
		if in != nil && in.requiresGrad {
			need = true
			break
		}
	}
	if !need || !GradEnabled() {
		return out
	}
	out.requiresGrad = true
	out.node = &node{op: op, inputs: inputs, backward: backward}
	return out
}

// Backward computes the gradient of the scalar t with respect to every
// leaf that requires a gradient, adding it to the leaf's Grad. The graph
// is released afterwards.
func (t *Tensor) Backward() { t.backward(nil, false) }

// BackwardWith is Backward for a non-scalar t, given the upstream gradient
// dL/dt (same shape as t).
func (t *Tensor) BackwardWith(grad *Tensor) { t.backward(grad, false) }

// BackwardRetain is BackwardWith (grad may be nil for a scalar) that keeps
// the graph, so that it can be inspected or differentiated again.
func (t *Tensor) BackwardRetain(grad *Tensor) { t.backward(grad, true) }

func (t *Tensor) backward(grad *Tensor, retain bool) {
	if !t.requiresGrad {
		panic(&GradError{Op: "Backward", Msg: fmt.Sprintf("tensor %v does not require a gradient (no input had SetRequiresGrad(true))", t.shape)})
	}
	if grad == nil {
		if t.Len() != 1 {
			panic(&GradError{Op: "Backward", Msg: fmt.Sprintf("tensor of shape %v is not a scalar; pass its upstream gradient to BackwardWith", t.shape)})
		}
		grad = FullOf(t.dtype, 1, t.shape...)
	} else {
		if !slices.Equal(grad.shape, t.shape) {
			panic(shapeErr("Backward", "upstream gradient must have the tensor's shape", t.shape, grad.shape))
		}
		sameDType("Backward", t, grad)
	}
	order := topoOrder(t)
	grads := map[*Tensor]*Tensor{t: grad}
	NoGrad(func() {
		for i := len(order) - 1; i >= 0; i-- {
			v := order[i]
			g := grads[v]
			delete(grads, v)
			if g == nil {
				continue
			}
			if v.node == nil {
				accumulate(v, g)
				continue
			}
			if v.node.freed {
				panic(&GradError{Op: "Backward", Msg: "graph already released by an earlier Backward; use BackwardRetain to backpropagate twice"})
			}
			propagate("Backward", v, g, grads)
		}
	})
	if !retain {
		// Release the graph: the closures (and the tensors they saved) and
		// the links to inputs, so intermediates can be collected even while
		// the output is still referenced.
		for _, v := range order {
			if v.node != nil {
				v.node.freed = true
				v.node.backward = nil
				v.node.inputs = nil
			}
		}
	}
}

// accumulate adds g to leaf v's gradient.
func accumulate(v, g *Tensor) {
	if v.grad == nil {
		if g == v.lentGrad { // computed straight into the recycled storage
			v.lentGrad = nil
			v.grad, v.gradOwned = g, true
			return
		}
		if sp := v.spareGrad; sp != nil && sp.dtype == g.dtype && slices.Equal(sp.shape, g.shape) {
			v.spareGrad = nil
			sp.CopyFrom(g)
			v.grad, v.gradOwned = sp, true
			return
		}
		v.grad, v.gradOwned = g.Clone(), true
		v.grad.name = ""
		return
	}
	v.grad, v.gradOwned = addInto(v.grad, g), true
}

// gradAlloc returns a tensor to hold an op's gradient with respect to its
// input t, for a backward that overwrites every element (its contents are
// undefined). When t is a leaf whose gradient was cleared by ZeroGrad (the
// usual training step), it is the storage of that old gradient, which
// accumulate then adopts without a copy; otherwise it is a new tensor.
func gradAlloc(t *Tensor) *Tensor {
	if sp := t.spareGrad; t.node == nil && t.grad == nil && sp != nil && sp.dtype == t.dtype && slices.Equal(sp.shape, t.shape) {
		t.spareGrad = nil
		t.lentGrad = sp
		return sp
	}
	return alloc(t.dtype, t.shape)
}

// ZeroGradStorage returns a zero tensor of float t's dtype and shape for a
// custom op's backward (CustomOp) to add t's gradient into, such as an
// embedding's scatter of rows. When t is a leaf whose gradient ZeroGrad
// cleared, it is that gradient's storage, cleared, which t's gradient then
// adopts without a copy (as the built-in matrix products do); otherwise a
// new tensor. Call it inside the backward, once per op and input.
func (t *Tensor) ZeroGradStorage() *Tensor {
	g := gradAlloc(t)
	if g == t.lentGrad {
		clear(g.f32)
		clear(g.f64)
	}
	return g
}

// addInto returns a new tensor a+b (a and b may be shared, so neither is reused).
func addInto(a, b *Tensor) *Tensor {
	out := alloc(a.dtype, a.shape)
	if a.dtype == Float64 {
		for i, v := range a.f64 {
			out.f64[i] = v + b.f64[i]
		}
	} else {
		for i, v := range a.f32 {
			out.f32[i] = v + b.f32[i]
		}
	}
	return out
}

// topoOrder lists the tensors t depends on through gradient-requiring
// edges, inputs before the tensors computed from them.
func topoOrder(t *Tensor) []*Tensor {
	var order []*Tensor
	seen := map[*Tensor]bool{}
	type frame struct {
		t *Tensor
		i int
	}
	stack := []frame{{t, 0}}
	seen[t] = true
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		var ins []*Tensor
		if f.t.node != nil {
			ins = f.t.node.inputs
		}
		if f.i < len(ins) {
			in := ins[f.i]
			f.i++
			if in != nil && in.requiresGrad && !seen[in] {
				seen[in] = true
				stack = append(stack, frame{in, 0})
			}
			continue
		}
		order = append(order, f.t)
		stack = stack[:len(stack)-1]
	}
	return order
}

// propagate runs v's recorded backward on its upstream gradient g and adds
// each input's share into grads (op names the caller in errors). A backward
// must return one gradient per input (nil where none) of the input's shape;
// anything else panics with a *GradError or *ShapeError.
func propagate(op string, v, g *Tensor, grads map[*Tensor]*Tensor) {
	ins := v.node.backward(g)
	if len(ins) != len(v.node.inputs) {
		panic(&GradError{Op: op + " of " + v.node.op.String(), Msg: fmt.Sprintf("backward returned %d gradients for %d inputs (one per input, nil where none)", len(ins), len(v.node.inputs))})
	}
	for j, in := range v.node.inputs {
		if in == nil || !in.requiresGrad || ins[j] == nil {
			continue
		}
		gi := ins[j]
		if !slices.Equal(gi.shape, in.shape) {
			panic(shapeErr(op+" of "+v.node.op.String(), "gradient shape differs from input shape", in.shape, gi.shape))
		}
		if prev, ok := grads[in]; ok && prev != nil {
			grads[in] = addInto(prev, gi)
		} else {
			grads[in] = gi
		}
	}
}
