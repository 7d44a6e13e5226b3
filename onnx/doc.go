// Package onnx exports duboko models to ONNX, the exchange format that
// ONNX Runtime, Triton and browsers run.
//
// Export puts a module in evaluation mode, runs it once on a dummy input
// and walks the recorded operations (each a typed tensor.Op with its
// attributes), writing one or a few ONNX nodes per op: opset 17, IR
// version 8, float32, one input ("input") and one output ("output") whose
// first axis is the dynamic batch dimension "N", and the parameters and
// BatchNorm running statistics as initializers named as in the state dict
// ("conv1.weight", "fc3.bias"), so the file lines up with a checkpoint.
//
// Translations (duboko op → ONNX):
//
//	Linear, LinearReLU       Gemm (transB=1) [+ Relu]
//	MatMul                   MatMul
//	Conv2d                   Conv (kernel_shape, strides, pads, dilations, group)
//	ConvTranspose2d          ConvTranspose (kernel_shape, strides, pads, dilations,
//	                         output_padding, group=1); weight [in, out, kh, kw] as is
//	                         (an output padding not below the stride is an error)
//	MaxPool2d, AvgPool2d     MaxPool, AveragePool (count_include_pad=1, as duboko)
//	GlobalAvg/MaxPool2d      GlobalAveragePool, GlobalMaxPool + Flatten (duboko returns [N, C])
//	BatchNorm (eval)         BatchNormalization (epsilon)
//	ReLU, LeakyReLU          Relu, LeakyRelu (alpha)
//	Sigmoid, Tanh, Softplus  Sigmoid, Tanh, Softplus
//	Softmax, LogSoftmax      Softmax, LogSoftmax (axis)
//	Reshape (Flatten)        Reshape with a shape constant whose batch entry is 0 (copy)
//	Add, Sub, Mul, Div       Add, Sub, Mul, Div (NumPy broadcasting in both)
//	Maximum, Neg, Abs, Exp,  Max, Neg, Abs, Exp, Log, Sqrt, Mul(x, x), Pow, Clip
//	Log, Sqrt, Square, Pow, Clamp
//	Sum, Max/Min, Amax/Amin  ReduceSum (axes input), ReduceMax/ReduceMin (axes attribute)
//	Permute, Concat          Transpose, Concat
//	Dropout                  nothing in evaluation mode (Identity if recorded)
//
// Any other op (Where, Slice, custom ops such as nn.Embedding's, …) makes
// Export return an *UnsupportedError naming the op and its kind; nothing is
// written. IndexSelect and Gather are among them: their records keep the
// axis but not the indices that ONNX's Gather takes as an input.
//
// The protobuf is written field by field with protowire (proto.go): the
// model needs a handful of onnx.proto's messages, and generated types
// would need protoc and a vendored onnx.proto for them.
package onnx
