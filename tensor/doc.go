// Package tensor provides duboko's n-dimensional arrays with eager,
// define-by-run reverse-mode automatic differentiation.
//
// A Tensor has a shape, a dtype (Float32, the default for training, or
// Float64, for exact gradient checks) and contiguous row-major data. Every
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
// Reshape, Flatten, Squeeze and Unsqueeze return tensors that share data
// with their input, like PyTorch views; all other operations allocate.
package tensor
