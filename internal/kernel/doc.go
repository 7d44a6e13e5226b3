// Package kernel holds duboko's raw numeric kernels: GEMM, im2col/col2im,
// pooling and element-wise loops. It works on plain slices with explicit
// sizes and strides and knows nothing of tensors or autodiff.
//
// On amd64 with AVX2 and FMA the hot loops run in Go assembly; everywhere
// else, and always under the purego build tag, a pure-Go twin runs. Both
// are tested against naive reference implementations.
package kernel
