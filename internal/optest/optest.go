// Package optest runs every public operation of package tensor that
// records a graph on small float64 inputs, for the tests of tensor and
// graph that check each recorded op kind is declared and known: a new
// public op must be added here (the tensor tests fail until it is).
package optest

import (
	"math"

	"github.com/duboko/duboko/tensor"
)

// Case is one public op run on small inputs that require gradients.
type Case struct {
	Func string        // the public function (or method) run
	Kind tensor.OpKind // the kind its result must be recorded with
	// Run returns the op's result and the inputs that require gradients.
	Run func() (out *tensor.Tensor, inputs []*tensor.Tensor)
}

// in returns a float64 tensor of the given shape with distinct values in
// [0.2, 1.8] (positive for Log, Sqrt; no ties for Max), requiring a
// gradient.
func in(seed int, shape ...int) *tensor.Tensor {
	v := make([]float64, numel(shape))
	for i := range v {
		v[i] = 0.2 + 1.6*math.Mod(float64(i*7+seed*3)*0.6180339887, 1)
	}
	return tensor.FromFloat64(v, shape...).SetRequiresGrad(true)
}

func one(f func(x *tensor.Tensor) *tensor.Tensor, shape ...int) func() (*tensor.Tensor, []*tensor.Tensor) {
	return func() (*tensor.Tensor, []*tensor.Tensor) {
		x := in(1, shape...)
		return f(x), []*tensor.Tensor{x}
	}
}

func two(f func(a, b *tensor.Tensor) *tensor.Tensor, sa, sb []int) func() (*tensor.Tensor, []*tensor.Tensor) {
	return func() (*tensor.Tensor, []*tensor.Tensor) {
		a, b := in(1, sa...), in(2, sb...)
		return f(a, b), []*tensor.Tensor{a, b}
	}
}

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// CustomDef is the declaration the CustomOp case records with.
var CustomDef = &tensor.OpDef{Name: "Double", Symbol: "2·",
	Counts: func(_ *tensor.Op, out []int, _ [][]int) tensor.Counts {
		return tensor.Counts{Mul: int64(numel(out))}
	},
	Jacobian: func(_ *tensor.Op, out []int, _ [][]int, _ int) tensor.Structure {
		return tensor.NewStructure(tensor.StructDiagonal, numel(out), numel(out), 0)
	},
	Field: func(*tensor.Op, []int, [][]int) tensor.FieldRule { return tensor.FieldRule{Kind: tensor.FieldSame} },
}

func double(custom func(out *tensor.Tensor, ins []*tensor.Tensor, bw func(*tensor.Tensor) []*tensor.Tensor) *tensor.Tensor) func() (*tensor.Tensor, []*tensor.Tensor) {
	return func() (*tensor.Tensor, []*tensor.Tensor) {
		x := in(1, 2, 3)
		var y *tensor.Tensor
		tensor.NoGrad(func() { y = tensor.MulScalar(x, 2) })
		return custom(y, []*tensor.Tensor{x}, func(g *tensor.Tensor) []*tensor.Tensor {
			return []*tensor.Tensor{tensor.MulScalar(g, 2)}
		}), []*tensor.Tensor{x}
	}
}

// Cases returns one case per public op, grouped by the kind recorded.
func Cases() []Case {
	one1 := [2]int{1, 1}
	sq := func(k int) [2]int { return [2]int{k, k} }
	return []Case{
		{"Custom", tensor.OpCustom, double(func(o *tensor.Tensor, ins []*tensor.Tensor, bw func(*tensor.Tensor) []*tensor.Tensor) *tensor.Tensor {
			return tensor.Custom("Double", o, ins, bw)
		})},
		{"CustomOp", tensor.OpCustom, double(func(o *tensor.Tensor, ins []*tensor.Tensor, bw func(*tensor.Tensor) []*tensor.Tensor) *tensor.Tensor {
			return tensor.CustomOp(CustomDef, o, ins, bw)
		})},

		{"Add", tensor.OpAdd, two(tensor.Add, []int{2, 3}, []int{2, 3})},
		{"Add broadcast", tensor.OpAdd, two(tensor.Add, []int{2, 3}, []int{3})},
		{"AddScalar", tensor.OpAdd, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.AddScalar(x, 1) }, 2, 3)},
		{"Expand", tensor.OpAdd, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Expand(x, 2, 3) }, 1, 3)},
		{"Sub", tensor.OpSub, two(tensor.Sub, []int{2, 3}, []int{2, 1})},
		{"Mul", tensor.OpMul, two(tensor.Mul, []int{2, 3}, []int{2, 3})},
		{"MulScalar", tensor.OpMul, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.MulScalar(x, 3) }, 2, 3)},
		{"Div", tensor.OpDiv, two(tensor.Div, []int{2, 3}, []int{2, 3})},
		{"Maximum", tensor.OpMaximum, two(tensor.Maximum, []int{2, 3}, []int{2, 3})},
		{"Where", tensor.OpWhere, two(func(a, b *tensor.Tensor) *tensor.Tensor { return tensor.Where(tensor.Greater(a, b), a, b) }, []int{2, 3}, []int{2, 3})},
		{"Where broadcast", tensor.OpWhere, two(func(a, b *tensor.Tensor) *tensor.Tensor { return tensor.Where(tensor.Greater(a, b), a, b) }, []int{2, 3}, []int{3})},

		{"Neg", tensor.OpNeg, one(tensor.Neg, 2, 3)},
		{"Abs", tensor.OpAbs, one(tensor.Abs, 2, 3)},
		{"Exp", tensor.OpExp, one(tensor.Exp, 2, 3)},
		{"Log", tensor.OpLog, one(tensor.Log, 2, 3)},
		{"Sqrt", tensor.OpSqrt, one(tensor.Sqrt, 2, 3)},
		{"Pow", tensor.OpPow, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Pow(x, 3) }, 2, 3)},
		{"Square", tensor.OpSquare, one(tensor.Square, 2, 3)},
		{"Clamp", tensor.OpClamp, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Clamp(x, 0.5, 1.5) }, 2, 3)},
		{"ReLU", tensor.OpReLU, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.ReLU(tensor.AddScalar(x, -1)) }, 2, 3)},
		{"LeakyReLU", tensor.OpLeakyReLU, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.LeakyReLU(x, 0.1) }, 2, 3)},
		{"Sigmoid", tensor.OpSigmoid, one(tensor.Sigmoid, 2, 3)},
		{"Tanh", tensor.OpTanh, one(tensor.Tanh, 2, 3)},
		{"Softplus", tensor.OpSoftplus, one(tensor.Softplus, 2, 3)},
		{"LogSigmoid", tensor.OpLogSigmoid, one(tensor.LogSigmoid, 2, 3)},

		{"Sum", tensor.OpSum, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Sum(x, 1) }, 2, 3)},
		{"Sum all", tensor.OpSum, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Sum(x) }, 2, 3)},
		{"SumKeepDim", tensor.OpSum, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.SumKeepDim(x, 0) }, 2, 3)},
		{"SumTo", tensor.OpReshape, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.SumTo(x, []int{3}) }, 2, 3)},
		{"Mean", tensor.OpMul, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Mean(x, 1) }, 2, 3)},
		{"MeanKeepDim", tensor.OpMul, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.MeanKeepDim(x, 1) }, 2, 3)},
		{"Max", tensor.OpMax, one(func(x *tensor.Tensor) *tensor.Tensor { y, _ := tensor.Max(x, 1); return y }, 2, 3)},
		{"MaxKeepDim", tensor.OpMax, one(func(x *tensor.Tensor) *tensor.Tensor { y, _ := tensor.MaxKeepDim(x, 0); return y }, 2, 3)},
		{"Min", tensor.OpMin, one(func(x *tensor.Tensor) *tensor.Tensor { y, _ := tensor.Min(x, 1); return y }, 2, 3)},
		{"MinKeepDim", tensor.OpMin, one(func(x *tensor.Tensor) *tensor.Tensor { y, _ := tensor.MinKeepDim(x, 1); return y }, 2, 3)},
		{"LogSumExp", tensor.OpReshape, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.LogSumExp(x, 1) }, 2, 3)},
		{"LogSumExpKeepDim", tensor.OpAdd, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.LogSumExpKeepDim(x, 1) }, 2, 3)},
		{"Softmax", tensor.OpSoftmax, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Softmax(x, 1) }, 2, 3)},
		{"Softmax axis 0", tensor.OpSoftmax, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Softmax(x, 0) }, 2, 3)},
		{"LogSoftmax", tensor.OpLogSoftmax, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.LogSoftmax(x, -1) }, 2, 3)},

		{"Reshape", tensor.OpReshape, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Reshape(x, 3, 2) }, 2, 3)},
		{"Flatten", tensor.OpReshape, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Flatten(x, 1) }, 2, 3, 2)},
		{"Squeeze", tensor.OpReshape, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Squeeze(x) }, 2, 1, 3)},
		{"Unsqueeze", tensor.OpReshape, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Unsqueeze(x, 0) }, 2, 3)},
		{"Permute", tensor.OpPermute, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Permute(x, 2, 0, 1) }, 2, 3, 2)},
		{"Transpose", tensor.OpPermute, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Transpose(x, 0, 1) }, 2, 3)},
		{"T", tensor.OpPermute, one(tensor.T, 2, 3)},
		{"Concat", tensor.OpConcat, two(func(a, b *tensor.Tensor) *tensor.Tensor { return tensor.Concat(1, a, b) }, []int{2, 3}, []int{2, 2})},
		{"Stack", tensor.OpConcat, two(func(a, b *tensor.Tensor) *tensor.Tensor { return tensor.Stack(0, a, b) }, []int{2, 3}, []int{2, 3})},
		{"Slice", tensor.OpSlice, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Slice(x, 1, 1, 3) }, 2, 3)},
		{"To", tensor.OpTo, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.To(x, tensor.Float32) }, 2, 3)},
		{"IndexSelect", tensor.OpIndexSelect, one(func(x *tensor.Tensor) *tensor.Tensor {
			return tensor.IndexSelect(x, 1, tensor.FromInts([]int{2, 0, 2}))
		}, 2, 3)},
		{"Gather", tensor.OpGather, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Gather(x, 1, tensor.FromInts([]int{2, 0})) }, 2, 3)},

		{"MatMul", tensor.OpMatMul, two(tensor.MatMul, []int{2, 3}, []int{3, 4})},
		{"MatMul batched", tensor.OpMatMul, two(tensor.MatMul, []int{2, 2, 3}, []int{2, 3, 2})},
		{"MatMul vector", tensor.OpMatMul, two(tensor.MatMul, []int{3}, []int{3})},
		{"MatMul matrix-vector", tensor.OpMatMul, two(tensor.MatMul, []int{2, 3}, []int{3})},
		{"MatMul vector-matrix", tensor.OpMatMul, two(tensor.MatMul, []int{3}, []int{3, 2})},
		{"MatMul batched-vector", tensor.OpMatMul, two(tensor.MatMul, []int{2, 2, 3}, []int{3})},
		{"Linear", tensor.OpLinear, func() (*tensor.Tensor, []*tensor.Tensor) {
			x, w, b := in(1, 2, 3), in(2, 4, 3), in(3, 4)
			return tensor.Linear(x, w, b), []*tensor.Tensor{x, w, b}
		}},
		{"Linear no bias", tensor.OpLinear, func() (*tensor.Tensor, []*tensor.Tensor) {
			x, w := in(1, 2, 3), in(2, 4, 3)
			return tensor.Linear(x, w, nil), []*tensor.Tensor{x, w}
		}},
		{"LinearReLU", tensor.OpLinearReLU, func() (*tensor.Tensor, []*tensor.Tensor) {
			x, w, b := in(1, 2, 3), in(2, 4, 3), tensor.AddScalar(in(3, 4), -3).Detach().SetRequiresGrad(true)
			return tensor.LinearReLU(x, w, b), []*tensor.Tensor{x, w, b}
		}},

		{"Conv2d", tensor.OpConv2d, func() (*tensor.Tensor, []*tensor.Tensor) {
			x, w, b := in(1, 2, 2, 5, 5), in(2, 3, 2, 3, 3), in(3, 3)
			return tensor.Conv2d(x, w, b, one1, one1, one1), []*tensor.Tensor{x, w, b}
		}},
		{"Conv2d strided dilated", tensor.OpConv2d, func() (*tensor.Tensor, []*tensor.Tensor) {
			x, w := in(1, 1, 2, 7, 6), in(2, 3, 2, 2, 3)
			return tensor.Conv2d(x, w, nil, [2]int{2, 1}, [2]int{0, 1}, [2]int{2, 1}), []*tensor.Tensor{x, w}
		}},
		{"MaxPool2d", tensor.OpMaxPool2d, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.MaxPool2d(x, sq(2), sq(2), [2]int{}) }, 2, 2, 4, 4)},
		{"MaxPool2dIndices", tensor.OpMaxPool2d, one(func(x *tensor.Tensor) *tensor.Tensor {
			y, _ := tensor.MaxPool2dIndices(x, sq(3), sq(2), one1)
			return y
		}, 1, 2, 5, 5)},
		{"AvgPool2d", tensor.OpAvgPool2d, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.AvgPool2d(x, sq(2), sq(1), [2]int{}) }, 2, 2, 3, 3)},
		{"GlobalAvgPool2d", tensor.OpGlobalAvgPool2d, one(tensor.GlobalAvgPool2d, 2, 3, 2, 2)},
		{"GlobalMaxPool2d", tensor.OpGlobalMaxPool2d, one(tensor.GlobalMaxPool2d, 2, 3, 2, 2)},
		{"GlobalMaxPool2dIndices", tensor.OpGlobalMaxPool2d, one(func(x *tensor.Tensor) *tensor.Tensor {
			y, _ := tensor.GlobalMaxPool2dIndices(x)
			return y
		}, 2, 3, 2, 2)},

		{"BatchNorm training", tensor.OpBatchNorm, func() (*tensor.Tensor, []*tensor.Tensor) {
			x, g, b := in(1, 3, 2, 2, 2), in(2, 2), in(3, 2)
			return tensor.BatchNorm(x, g, b, nil, nil, true, 0.1, 1e-5), []*tensor.Tensor{x, g, b}
		}},
		{"BatchNormStats eval", tensor.OpBatchNorm, func() (*tensor.Tensor, []*tensor.Tensor) {
			x, b := in(1, 3, 2, 2), in(3, 2)
			rm, rv := tensor.FromFloat64([]float64{0.5, 1}, 2), tensor.FromFloat64([]float64{1, 2}, 2)
			y, _, _ := tensor.BatchNormStats(x, nil, b, rm, rv, false, 0.1, 1e-5)
			return y, []*tensor.Tensor{x, b}
		}},
		{"Dropout", tensor.OpDropout, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Dropout(x, 0.5, tensor.NewRand(1)) }, 2, 3)},
		{"DropoutMask", tensor.OpDropout, one(func(x *tensor.Tensor) *tensor.Tensor {
			y, _ := tensor.DropoutMask(x, 0.25, tensor.NewRand(2))
			return y
		}, 2, 3)},

		{"Amax", tensor.OpAmax, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Amax(x, 0, 2) }, 2, 3, 2)},
		{"AmaxKeepDim", tensor.OpAmax, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.AmaxKeepDim(x, -1) }, 2, 3)},
		{"Amin", tensor.OpAmin, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.Amin(x) }, 2, 3)},
		{"AminKeepDim", tensor.OpAmin, one(func(x *tensor.Tensor) *tensor.Tensor { return tensor.AminKeepDim(x, 1, 2) }, 2, 2, 2)},
		{"ConvTranspose2d", tensor.OpConvTranspose2d, func() (*tensor.Tensor, []*tensor.Tensor) {
			x, w, b := in(1, 2, 2, 3, 3), in(2, 2, 3, 3, 3), in(3, 3)
			return tensor.ConvTranspose2d(x, w, b, sq(2), one1, one1, one1), []*tensor.Tensor{x, w, b}
		}},
		{"ConvTranspose2d cropped dilated", tensor.OpConvTranspose2d, func() (*tensor.Tensor, []*tensor.Tensor) {
			// output padding 1 ≥ stride 1 (allowed by dilation 2): the cropped path
			x, w := in(1, 1, 2, 4, 3), in(2, 2, 2, 2, 3)
			return tensor.ConvTranspose2d(x, w, nil, one1, [2]int{2, 1}, [2]int{1, 0}, [2]int{2, 1}), []*tensor.Tensor{x, w}
		}},
		{"Recurrent RNN", tensor.OpRNN, recurrent(tensor.CellRNN)},
		{"Recurrent LSTM", tensor.OpLSTM, recurrent(tensor.CellLSTM)},
		{"Recurrent GRU", tensor.OpGRU, recurrent(tensor.CellGRU)},
	}
}

// recurrent runs tensor.Recurrent in reverse over a padded batch of two
// sequences and returns the recorded op's result: the outputs and final
// states, flattened and concatenated, which Out, HN and CN are views of
// (Out is Reshape(Slice(result))).
func recurrent(cell tensor.RecurrentCell) func() (*tensor.Tensor, []*tensor.Tensor) {
	return func() (*tensor.Tensor, []*tensor.Tensor) {
		g := cell.Gates() * 2
		x, wih, whh, bih, bhh, h0 := in(1, 3, 2, 2), in(2, g, 2), in(3, g, 2), in(4, g), in(5, g), in(6, 2, 2)
		ins := []*tensor.Tensor{x, wih, whh, bih, bhh, h0}
		var c0 *tensor.Tensor
		if cell == tensor.CellLSTM {
			c0 = in(7, 2, 2)
			ins = append(ins, c0)
		}
		r := tensor.Recurrent(tensor.RecurrentConfig{Cell: cell, Reverse: true}, x, wih, whh, bih, bhh, h0, c0, tensor.FromInts([]int{3, 2}, 2))
		return r.Out.Inputs()[0].Inputs()[0], ins
	}
}
