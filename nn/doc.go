// Package nn provides neural-network layers, losses and initialisers.
//
// # Layers: the explicit interface and autodiff
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
// # Several inputs and outputs
//
// A layer with several inputs or outputs (a recurrent layer: input,
// optional initial states, lengths → output and final states; Bilinear:
// x1, x2 → y; attention: query, key, value) implements MultiLayer, the
// same three methods over slices, and MultiModule for autodiff:
//
//	ys := m.ForwardN(x, h0)             // [y, hN]; h0 may be omitted
//	gs := []*tensor.Tensor{dy, dhN}     // one per output, nil = unused
//	dxs := m.BackwardInputsN(gs)        // [∂L/∂x, ∂L/∂h0]
//	pg := m.BackwardParamsN(gs)         // [(name, parameter, gradient)]
//
// The recurrent layers' explicit methods are backpropagation through time
// written out step by step (one step's forward and backward in elementary
// tensor ops, carried back over the steps), a second implementation
// beside the fused op that autodiff runs; Unroll runs their forward pass
// step by step with every op recorded (graph.Unroll draws it, and
// graph.TraceSteps prints each step's states).
//
// BackwardInputsN returns one gradient per input of the last ForwardN (nil
// for an omitted input, or one that takes no gradient such as lengths);
// a nil output gradient stands for zeros. The single-input Layer is the
// case of one input and one output: AsMulti adapts a Layer to MultiModule,
// Select(m, i) adapts a MultiModule to a single-input Module that keeps
// output i (how an LSTM joins a Sequential, as lstm(x)[0] in PyTorch), and
// WrapN plugs a hand-written MultiLayer into autodiff as Wrap does a
// Layer. Models with several inputs or players (a GAN's generator and
// discriminator, an encoder-decoder) are ordinary Go structs holding
// modules, calling them in their own Forward code.
//
// # Per-call state and repeated use
//
// The explicit backward methods refer to the layer's last Forward: a layer
// keeps that call's input (or what its backward needs) and nothing more.
// Autodiff keeps per-call state in the recorded graph instead, so a Module
// may be called several times in one graph (shared weights, a recurrent
// cell unrolled over time steps, a GAN discriminator on real and generated
// batches) and Backward gives the gradient summed over the calls, as in
// PyTorch. A wrapped hand-written layer may be used several times too:
// its recorded op keeps each call's input, and the backward pass re-runs
// the layer's Forward for a call that is not its last one, which needs a
// deterministic Forward (checked: a different re-run output panics) and
// costs one Forward per such call (see Wrap).
//
// # Concurrency
//
// Different models may run on different goroutines at once: one goroutine
// may train a model while another evaluates a second one. Gradient
// recording is switched per goroutine (tensor.NoGrad applies to the
// calling goroutine only, not to goroutines it starts), and the state the
// packages share between models (convolution scratch buffers, the GEMM
// worker team) is locked. One model must not run on two goroutines at
// once: its layers keep their last input for the backward methods, a
// Sequential reuses result buffers between inference calls (see
// Sequential.Forward), BatchNorm updates running statistics and Dropout
// draws from its own generator. Give each goroutine its own copy of the
// model (for evaluation, a copy loaded from the same checkpoint).
//
// # Names
//
// Parameter names follow PyTorch's state-dict convention (fc1.weight,
// conv2.bias), so checkpoints interchange with PyTorch.
package nn
