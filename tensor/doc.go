// Package tensor provides duboko's n-dimensional arrays with eager,
// define-by-run reverse-mode automatic differentiation.
//
// A Tensor has a shape, a dtype (Float32, the default for training,
// Float64, for exact gradient checks, or Int64, for labels, indices and
// counts) and contiguous row-major data. Every
// operation is a plain function (Add, MatMul, Softmax, ...) that returns a
// new tensor; none of them modifies its inputs. When any input requires a
// gradient, the result remembers the operation that produced it, and
// Backward on a scalar result walks that record in reverse, calling each
// operation's hand-derived vector-Jacobian product, which sits beside its
// forward code in this package.
//
// Broadcasting follows NumPy's rules. Shape and dtype misuse panics with a
// *ShapeError or *DTypeError that names the operation and the shapes.
//
// Int64 tensors are data, never differentiated: they are created with
// FromInt64, FromInts, ZerosOf, FullOf or ArangeOf, converted with To,
// viewed and copied (Reshape, Concat, Slice, IndexSelect, ...), compared
// (Equal, Greater, ...; results are 0/1 masks in the operands' dtype, see
// Equal), selected with Where, and serve as the indices of Gather,
// IndexSelect and OneHot and as the result of Argmax and Argmin. A float
// operation given an Int64 tensor panics with a *DTypeError naming it.
//
// Adding a dtype (float16, bfloat16): one row in the dtype table
// (dtype.go), one slice in the storage struct and its cases in allocAny,
// copyRange, CopyFrom, Values, get/put and SharesData (tensor.go), one
// constructor (create.go), and the safetensors mapping in nn.Save/Load.
// Float operations then reject the new dtype automatically until their
// kernels learn it.
//
// Reshape, Flatten, Squeeze and Unsqueeze return tensors that share data
// with their input, like PyTorch views; all other operations allocate.
//
// # Op records
//
// Every recorded operation is a typed record, Op: its kind (an OpKind
// constant, OpConv2d, OpSum, …, whose String is the op's name) and the
// attributes it ran with (Window for convolution and pooling: kernel,
// stride, padding, dilation; OutputPad for ConvTranspose2d; Axis or Axes
// and KeepDim for reductions;
// Training, Momentum and Eps for BatchNorm; Slope, P, Exponent, Lo/Hi;
// Fused for the convolution path that ran). t.Op() returns the record of
// the op that produced t; t.Op().String() its name. The record is built
// once per op, by value inside the graph node, so recording costs no extra
// allocation.
//
// Each kind declares, in an init function beside its forward code, an
// OpDef: its symbol for graphs, its scalar operation counts (Counts: Mul,
// Add, Other of the straightforward implementation), the structure of its
// Jacobians (Structure: identity, diagonal, permutation, block-diagonal,
// sparse with a number of non-zeros, dense) and its receptive-field rule
// (FieldRule: same field, a window, or everything). Package graph reads
// these from the record; nothing there is keyed by op name. Adding an op:
//
//  1. add an OpKind constant and its name to opKindNames (op.go), and the
//     fields for any new attribute to Op (with a case in Op.Attrs);
//  2. record it with record(Op{Kind: OpNew, …}, out, inputs, backward)
//     and declare(OpNew, OpDef{…}) beside its forward;
//  3. add a case running it to internal/optest, which the tests use to
//     check that every public op records a declared kind, that graph knows
//     it, and that the declared Jacobian structure holds for its values.
//
// Hand-written ops use Custom (a name only: counts and Jacobian read as
// unknown, shown "?") or CustomOp with their own OpDef, declared once as a
// package-level variable.
package tensor
