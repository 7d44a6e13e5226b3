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
package tensor
