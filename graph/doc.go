// Package graph makes the mathematics of a computation visible: it reads
// the graph that package tensor records during a forward pass and draws,
// counts and differentiates it, as a deep learning course asks students
// to do by hand.
//
// A forward computation is recorded when some input or parameter
// requires a gradient (model parameters do). Build turns its output into
// a Graph of nodes (inputs, parameters, constants, intermediates, each
// with op, shape and tensor) and edges:
//
//	W.SetRequiresGrad(true)
//	h := tensor.Linear(x, W, b).SetName("h")
//	L := ...
//	g := graph.Build(L)
//	graph.Render(g, "svg", w)          // forward graph, textbook style: (h, Wx+b)
//	graph.RenderBackward(g, "svg", w)  // ∂L/∂h ← ∂L/∂h' along "∂h'/∂h 4×4 diagonal"
//
// Formats are text, dot, svg, png and html; svg, png and html run
// Graphviz's dot (Debian package graphviz) and report a *GraphvizError
// wrapping ErrNoGraphviz when it is missing.
//
// JacobianOf computes the full Jacobian of any tensor with respect to any
// earlier one, one vector-Jacobian product (tensor.VJP) per output
// element, and derives its structure — identity, diagonal, permutation,
// dense, block-diagonal or sparse with k non-zeros — from the ops on the
// way; a large diagonal Jacobian is returned as its diagonal only.
//
// Every node of an operation carries the op's typed record (Node.Op, a
// tensor.Op: kind and attributes such as kernel, stride, axis, eps), and
// everything this package knows about an op comes from the declaration
// beside the op's forward code in package tensor (tensor.OpDef): its
// symbol, its counts, its Jacobian structure and its receptive-field rule.
// There is no table of op names here; a custom op declares itself with
// tensor.CustomOp, and one recorded by tensor.Custom reads as unknown.
//
// OpCounts gives the scalar multiplications and additions of each op's
// straightforward implementation (an affine layer Wx+b with W∈R^{m×n}:
// mn multiplications, mn additions), and Summarize tabulates a model
// layer by layer like torchinfo, with parameters, operation counts,
// activation memory for the batch and the receptive field of conv and
// pool outputs. A layer's counts and receptive-field rule are its own
// when it declares them (nn.Counter, nn.FieldRuler: every nn layer does),
// else composed from its recorded ops. Counts that are not known are
// shown as "?" (or "≥n" for a lower bound), never as 0. Trace and
// TraceBackward print a forward or backward pass value by value, for
// running one pass by hand.
//
// Unroll draws a recurrent layer or cell (nn.Unroller) unrolled in time:
// each step's ops, all reading the same weight nodes, with the states h1,
// h2, … (and c1, … for an LSTM) as named nodes; TraceSteps prints each
// step's states (and gates), so that a hidden state computed by hand can
// be checked by running the network.
//
// The command line uses FromModel, Render/RenderBackward and Summarize
// for `duboko graph` and `duboko summary`.
package graph
