// Package kernel holds duboko's raw numeric kernels: GEMM, im2col/col2im,
// pooling and element-wise loops. It works on plain slices with explicit
// sizes and strides and knows nothing of tensors or autodiff.
//
// On amd64 the hot loops run in Go assembly chosen at run time by CPU
// feature: AVX-512 (GEMM), AVX2+FMA (GEMM and the other kernels), or a
// pure-Go twin, which also runs everywhere else and always under the purego
// build tag. The environment variable DUBOKO_CPU=avx2 or generic forces a
// lower path; CPUSummary names the CPU and the path in use. Every path is
// tested against naive reference implementations.
package kernel
