// Package onnx exports duboko models to ONNX, the exchange format that
// ONNX Runtime, Triton and browsers run.
//
// Export puts a module in evaluation mode, runs it once on a dummy input
// and walks the recorded operations (each a typed tensor.Op with its
// attributes), writing one or a few ONNX nodes per op: opset 17, IR
// version 8, float32, one input ("input": float32, or INT64 token ids with
// InputIDs) and one output ("output") with the dynamic batch dimension
// "N" (the input's first axis, followed wherever ops move it), and the
// parameters and BatchNorm running statistics as initializers named as in
// the state dict ("conv1.weight", "fc3.bias"), so the file lines up with a
// checkpoint. Afterwards a model that was in training mode
// (nn.IsTraining) is put back in it.
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
//	Reshape (Flatten)        Reshape with a shape constant whose batch entry is 0
//	                         (copy) or −1 (where the batch axis moves)
//	Slice                    Slice (not along the batch axis)
//	Add, Sub, Mul, Div       Add, Sub, Mul, Div (NumPy broadcasting in both)
//	Maximum, Neg, Abs, Exp,  Max, Neg, Abs, Exp, Log, Sqrt, Mul(x, x), Pow, Clip
//	Log, Sqrt, Square, Pow, Clamp
//	Sum, Max/Min, Amax/Amin  ReduceSum (axes input), ReduceMax/ReduceMin (axes attribute)
//	Permute, Concat          Transpose, Concat
//	Dropout                  nothing in evaluation mode (Identity if recorded)
//	nn.Embedding             Gather(weight, ids, axis 0), the ids an INT64 input
//	IndexSelect              Gather (the indices, recorded as the op's second input)
//	Gather                   Unsqueeze + GatherElements + Squeeze
//	RNN, LSTM, GRU           RNN, LSTM, GRU: one node per layer (direction
//	(tensor.Recurrent)       "bidirectional" for the two directions of a layer on
//	                         one input, else "forward" or "reverse"; layout 0); W, R and
//	                         B = [Wb, Rb] re-ordered to ONNX's gates (LSTM i,o,f,c
//	                         from PyTorch's i,f,g,o; GRU z,r,h from r,z,n with
//	                         linear_before_reset=1); initial states through
//	                         Unsqueeze; Squeeze nodes give duboko's [T, N, H] and
//	                         [N, H]; batch-first layers are the Transpose nodes of
//	                         their recorded Permutes
//
// The recurrent record carries the direction and a plain RNN's nonlinearity
// (tensor.Op's Reverse and Act) and the sequence lengths it ran with (its
// eighth input). With lengths, the graph has a second input "lengths"
// (INT64 [N]), cast to the INT32 sequence_lens of every recurrent node
// that ran with them; they must be the lengths declared by SequenceLengths,
// as ExportText traces a TextModel (ForwardText(ids, lengths)). A recurrent
// op that ran with undeclared lengths, or an RNN with a nonlinearity of the
// user's, is an *UnsupportedError.
//
// A constant that has the traced batch size along the batch axis (a
// divisor computed in Go from the batch) is exported as one row when all
// its rows are equal and is an error otherwise.
//
// Any other op (Where, LogSigmoid, To, hand-written custom ops, …) makes
// Export return an *UnsupportedError naming the op and its kind; nothing is
// written.
//
// The protobuf is written field by field with protowire (proto.go): the
// model needs a handful of onnx.proto's messages, and generated types
// would need protoc and a vendored onnx.proto for them.
package onnx
