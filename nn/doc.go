// Package nn provides neural-network layers, losses and initialisers.
//
// Every layer offers the course's explicit interface (Layer):
//
//	y := l.Forward(x)            // remembers x
//	dx := l.BackwardInputs(dy)   // ∂L/∂x from ∂L/∂y
//	pg := l.BackwardParams(dy)   // [(name, parameter, ∂L/∂parameter)]
//
// and is at the same time a Module for automatic differentiation: Forward
// is built from recorded tensor operations, so loss.Backward() fills the
// gradients of Params() without calling the explicit methods at all. The
// explicit backward methods of the built-in layers are hand-derived, not
// read off the autodiff graph, and the gradient checker compares both.
//
// A layer whose three methods are written by hand (as students do) becomes
// part of an autodiff computation with Wrap.
//
// Parameter names follow PyTorch's state-dict convention (fc1.weight,
// conv2.bias), so checkpoints interchange with PyTorch.
//
// Layers keep state from Forward for their backward methods, and a
// Sequential reuses result buffers between inference calls (see
// Sequential.Forward), so a Module must not run Forward on several
// goroutines at once: give each goroutine its own copy of the model.
package nn
