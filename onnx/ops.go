package onnx

import (
	"fmt"
	"slices"
	"strings"

	"github.com/duboko/duboko/graph"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// simple maps element-wise kinds to ONNX operators of the same meaning.
var simple = map[tensor.OpKind]string{
	tensor.OpAdd: "Add", tensor.OpSub: "Sub", tensor.OpMul: "Mul", tensor.OpDiv: "Div",
	tensor.OpMaximum: "Max", tensor.OpNeg: "Neg", tensor.OpAbs: "Abs", tensor.OpExp: "Exp",
	tensor.OpLog: "Log", tensor.OpSqrt: "Sqrt", tensor.OpReLU: "Relu", tensor.OpSigmoid: "Sigmoid",
	tensor.OpTanh: "Tanh", tensor.OpSoftplus: "Softplus", tensor.OpMatMul: "MatMul",
	tensor.OpGlobalAvgPool2d: "GlobalAveragePool", tensor.OpGlobalMaxPool2d: "GlobalMaxPool",
	tensor.OpDropout: "Identity", // a recorded dropout runs as the identity at inference
}

// op translates one recorded operation whose result is named out.
func (e *exporter) op(n *graph.Node, out string) error {
	op := n.Op
	ins := make([]string, len(n.Inputs))
	for i, in := range n.Inputs {
		ins[i] = e.value[in]
	}
	unsupported := func(reason string) error {
		return &UnsupportedError{Op: op.String(), Kind: op.Kind, Reason: reason}
	}
	x := n.Inputs[0]
	xb := e.batchOf(x)
	if _, ok := e.hubs[x]; ok && op.Kind != tensor.OpSlice {
		return unsupported("it takes a recurrent op's raw result; only slices of it (RecurrentRun.Out, HN, CN) are exported")
	}
	switch op.Kind {
	case tensor.OpGlobalAvgPool2d, tensor.OpGlobalMaxPool2d:
		// duboko's global pools return [N, C]; ONNX's keep [N, C, 1, 1].
		if xb >= 2 {
			return unsupported("it pools over the batch axis")
		}
		tmp := out + "_pooled"
		e.node(simple[op.Kind], ins, []string{tmp})
		e.node("Flatten", []string{tmp}, []string{out}, intAttr("axis", 1))
		e.setBatch(n, xb)
	case tensor.OpAdd, tensor.OpSub, tensor.OpMul, tensor.OpDiv, tensor.OpMaximum:
		if err := e.batchFreeConstants(n, ins); err != nil {
			return err
		}
		e.node(simple[op.Kind], ins, []string{out})
	case tensor.OpNeg, tensor.OpAbs, tensor.OpExp, tensor.OpLog, tensor.OpSqrt, tensor.OpReLU, tensor.OpSigmoid,
		tensor.OpTanh, tensor.OpSoftplus, tensor.OpMatMul, tensor.OpDropout:
		e.node(simple[op.Kind], ins, []string{out})
	case tensor.OpSquare:
		e.node("Mul", []string{ins[0], ins[0]}, []string{out})
	case tensor.OpPow:
		e.node("Pow", []string{ins[0], e.scalar(float32(op.Exponent))}, []string{out})
	case tensor.OpClamp:
		e.node("Clip", []string{ins[0], e.scalar(float32(op.Lo)), e.scalar(float32(op.Hi))}, []string{out})
	case tensor.OpLeakyReLU:
		e.node("LeakyRelu", ins, []string{out}, floatAttr("alpha", op.Slope))
	case tensor.OpSoftmax:
		e.node("Softmax", ins, []string{out}, intAttr("axis", int64(op.Axis)))
	case tensor.OpLogSoftmax:
		e.node("LogSoftmax", ins, []string{out}, intAttr("axis", int64(op.Axis)))
	case tensor.OpPermute:
		e.node("Transpose", ins, []string{out}, intsAttr("perm", op.Axes...))
		e.setBatch(n, slices.Index(op.Axes, xb))
	case tensor.OpConcat:
		e.node("Concat", ins, []string{out}, intAttr("axis", int64(op.Axis)))
	case tensor.OpSum:
		keep := int64(0)
		if op.KeepDim {
			keep = 1
		}
		if len(op.Axes) == 0 {
			e.node("ReduceSum", ins, []string{out}, intAttr("keepdims", keep))
		} else {
			e.node("ReduceSum", []string{ins[0], e.ints64(int64s(op.Axes)...)}, []string{out}, intAttr("keepdims", keep))
		}
		e.reduceBatch(n, xb, op.Axes, op.KeepDim)
	case tensor.OpMax, tensor.OpMin, tensor.OpAmax, tensor.OpAmin:
		axes := op.Axes
		if op.Kind == tensor.OpMax || op.Kind == tensor.OpMin {
			axes = []int{op.Axis}
		}
		typ := "ReduceMax"
		if op.Kind == tensor.OpMin || op.Kind == tensor.OpAmin {
			typ = "ReduceMin"
		}
		keep := int64(0)
		if op.KeepDim {
			keep = 1
		}
		// Opset 17's ReduceMax/ReduceMin take the axes as an attribute.
		e.node(typ, ins, []string{out}, intsAttr("axes", axes...), intAttr("keepdims", keep))
		e.reduceBatch(n, xb, axes, op.KeepDim)
	case tensor.OpReshape:
		in := e.shapeOf(x)
		shape := int64s(n.Shape)
		k := -1
		if xb >= 0 {
			// The batch axis must survive whole: the same elements before
			// and after it, somewhere in the new shape.
			before, nb, after := numel(in[:xb]), in[xb], numel(in[xb+1:])
			for i := range n.Shape {
				if numel(n.Shape[:i]) == before && n.Shape[i] == nb && numel(n.Shape[i+1:]) == after {
					k = i
					break
				}
			}
			if k < 0 {
				return unsupported(fmt.Sprintf("reshape %v → %v merges the batch axis with others, which a dynamic batch cannot express", in, n.Shape))
			}
			if k == xb {
				shape[k] = 0 // copy the batch size from the input
			} else {
				shape[k] = -1 // infer it
			}
		}
		e.setBatch(n, k)
		if slices.Equal(in, n.Shape) {
			e.node("Identity", ins[:1], []string{out})
		} else {
			e.node("Reshape", []string{ins[0], e.ints64(shape...)}, []string{out})
		}
	case tensor.OpSlice:
		if parts, ok := e.hubs[x]; ok {
			for _, p := range parts {
				if op.Axis == 0 && op.Start == p.off && op.End == p.off+p.n {
					e.node("Identity", []string{p.name}, []string{out})
					e.shape[n] = p.shape
					e.setBatch(n, p.batch)
					return nil
				}
			}
			return unsupported(fmt.Sprintf("slice [%d:%d] of a recurrent op's result is not one of its outputs", op.Start, op.End))
		}
		if op.Axis == xb {
			return unsupported("it slices the batch axis")
		}
		e.node("Slice", []string{ins[0], e.ints64(int64(op.Start)), e.ints64(int64(op.End)), e.ints64(int64(op.Axis))}, []string{out})
	case tensor.OpLinear, tensor.OpLinearReLU:
		res := out
		if op.Kind == tensor.OpLinearReLU {
			res = out + "_linear"
		}
		if len(x.Shape) != 2 {
			return unsupported(fmt.Sprintf("input %v is not [N, in]", x.Shape))
		}
		e.node("Gemm", ins, []string{res}, intAttr("transB", 1))
		if op.Kind == tensor.OpLinearReLU {
			e.node("Relu", []string{res}, []string{out})
		}
	case tensor.OpConv2d:
		w := op.Window
		wShape := n.Inputs[1].Shape
		if len(x.Shape) != 4 || len(wShape) != 4 || wShape[1] == 0 || x.Shape[1]%wShape[1] != 0 {
			return unsupported(fmt.Sprintf("input %v and weight %v are not NCHW and [out, in/groups, kh, kw]", x.Shape, wShape))
		}
		e.node("Conv", ins, []string{out},
			intsAttr("kernel_shape", w.Kernel[0], w.Kernel[1]),
			intsAttr("strides", w.Stride[0], w.Stride[1]),
			intsAttr("pads", w.Pad[0], w.Pad[1], w.Pad[0], w.Pad[1]),
			intsAttr("dilations", max(w.Dilation[0], 1), max(w.Dilation[1], 1)),
			intAttr("group", int64(x.Shape[1]/wShape[1])))
	case tensor.OpConvTranspose2d:
		// duboko's weight [in, out, kh, kw] is ONNX's [C, M/group, kH, kW]
		// with group 1; the bias, where there is one, is the third input.
		w := op.Window
		wShape := n.Inputs[1].Shape
		if len(x.Shape) != 4 || len(wShape) != 4 || x.Shape[1] != wShape[0] {
			return unsupported(fmt.Sprintf("input %v and weight %v are not NCHW and [in, out, kh, kw]", x.Shape, wShape))
		}
		for a := range 2 {
			// duboko (as PyTorch) allows an output padding below the
			// dilation; ONNX Runtime rejects one not below the stride.
			if int(op.OutputPad[a]) >= w.Stride[a] {
				return unsupported(fmt.Sprintf("output padding %d×%d is not below the stride %d×%d, which ONNX Runtime rejects", op.OutputPad[0], op.OutputPad[1], w.Stride[0], w.Stride[1]))
			}
		}
		e.node("ConvTranspose", ins, []string{out},
			intsAttr("kernel_shape", w.Kernel[0], w.Kernel[1]),
			intsAttr("strides", w.Stride[0], w.Stride[1]),
			intsAttr("pads", w.Pad[0], w.Pad[1], w.Pad[0], w.Pad[1]),
			intsAttr("dilations", max(w.Dilation[0], 1), max(w.Dilation[1], 1)),
			intsAttr("output_padding", int(op.OutputPad[0]), int(op.OutputPad[1])),
			intAttr("group", 1))
	case tensor.OpMaxPool2d, tensor.OpAvgPool2d:
		w := op.Window
		attrs := []attribute{
			intsAttr("kernel_shape", w.Kernel[0], w.Kernel[1]),
			intsAttr("strides", w.Stride[0], w.Stride[1]),
			intsAttr("pads", w.Pad[0], w.Pad[1], w.Pad[0], w.Pad[1]),
		}
		typ := "MaxPool"
		if op.Kind == tensor.OpAvgPool2d {
			typ = "AveragePool"
			// duboko divides every window by kh·kw, padded taps included.
			attrs = append(attrs, intAttr("count_include_pad", 1))
		}
		e.node(typ, ins, []string{out}, attrs...)
	case tensor.OpBatchNorm:
		if op.Training {
			return unsupported("recorded in training mode (batch statistics); export runs in evaluation mode")
		}
		if len(n.Inputs) != 3 {
			return unsupported("BatchNorm without a weight and a bias")
		}
		wName, ok := e.names[n.Inputs[1].Tensor]
		if !ok || !strings.HasSuffix(wName, "weight") {
			return unsupported("its weight is not a named state-dict tensor, so its running statistics cannot be found")
		}
		prefix := strings.TrimSuffix(wName, "weight")
		stats := []string{prefix + "running_mean", prefix + "running_var"}
		for _, s := range stats {
			t, ok := e.byName[s]
			if !ok {
				return unsupported("no " + s + " in the state dict")
			}
			if err := e.initializer(s, t); err != nil {
				return err
			}
		}
		e.node("BatchNormalization", append(ins, stats...), []string{out}, floatAttr("epsilon", op.Eps))
	case tensor.OpIndexSelect:
		// Gather(x, indices, axis): the indices are the record's second input.
		if len(n.Inputs) != 2 {
			return unsupported("the record does not hold its indices")
		}
		if op.Axis == xb || e.batchOf(n.Inputs[1]) >= 0 {
			return unsupported("it selects along the batch axis")
		}
		e.node("Gather", ins, []string{out}, intAttr("axis", int64(op.Axis)))
		e.setBatch(n, xb)
	case tensor.OpGather:
		// One entry per position: GatherElements on the index with the
		// axis restored, then that axis squeezed away.
		if len(n.Inputs) != 2 {
			return unsupported("the record does not hold its index")
		}
		b := xb
		if b > op.Axis {
			b--
		}
		if op.Axis == xb || (xb >= 0 && e.batchOf(n.Inputs[1]) != b) {
			// The index has the output's shape: fixed unless computed
			// from the input.
			return unsupported("it gathers along the batch axis, or with an index of the traced batch size, which a dynamic batch cannot express")
		}
		ax := e.ints64(int64(op.Axis))
		idx := out + "_index"
		e.node("Unsqueeze", []string{ins[1], ax}, []string{idx})
		picked := out + "_picked"
		e.node("GatherElements", []string{ins[0], idx}, []string{picked}, intAttr("axis", int64(op.Axis)))
		e.node("Squeeze", []string{picked, ax}, []string{out})
		e.setBatch(n, b)
	case tensor.OpRNN, tensor.OpLSTM, tensor.OpGRU:
		return e.recurrent(n, out)
	case tensor.OpCustom:
		if op.Decl == nn.EmbeddingOp && len(n.Inputs) == 2 {
			// nn.Embedding: rows of the weight picked by the ids, the
			// record's second input.
			e.node("Gather", ins, []string{out}, intAttr("axis", 0))
			e.setBatch(n, e.batchOf(n.Inputs[1]))
			return nil
		}
		return unsupported("a hand-written (custom) op has no ONNX translation")
	default:
		return unsupported("")
	}
	return nil
}

// setBatch records n's batch axis (none when b < 0).
func (e *exporter) setBatch(n *graph.Node, b int) {
	if b < 0 {
		delete(e.batch, n)
	} else {
		e.batch[n] = b
	}
}

// reduceBatch sets the batch axis of a reduction of x (batch axis xb) over
// axes: none when the batch axis is reduced, else moved down past the
// removed axes.
func (e *exporter) reduceBatch(n *graph.Node, xb int, axes []int, keep bool) {
	if xb < 0 || len(axes) == 0 || slices.Contains(axes, xb) {
		e.setBatch(n, -1)
		return
	}
	b := xb
	if !keep {
		for _, a := range axes {
			if a < xb {
				b--
			}
		}
	}
	e.setBatch(n, b)
}

// batchFreeConstants replaces, in the inputs of a broadcasting op, a
// constant that has the traced batch size along the output's batch axis
// (such as per-sample divisors computed in Go from the trace's batch) by
// one row of it, when all its rows are equal: the result is then the same
// for any batch size. A constant whose rows differ depends on the batch,
// which a dynamic batch cannot express: an error.
func (e *exporter) batchFreeConstants(n *graph.Node, ins []string) error {
	b := e.batchOf(n)
	if b < 0 || n.Shape[b] <= 1 {
		return nil
	}
	for i, in := range n.Inputs {
		if in.Kind == graph.Intermediate || in.Tensor == e.inputT || in.DType != tensor.Float32 {
			continue
		}
		a := b - (len(n.Shape) - len(in.Shape))
		if a < 0 || in.Shape[a] != n.Shape[b] {
			continue
		}
		vals := in.Tensor.Float32s()
		inner := numel(in.Shape[a+1:])
		outer, size := numel(in.Shape[:a]), in.Shape[a]
		row := make([]float32, 0, outer*inner)
		for o := 0; o < outer; o++ {
			first := vals[o*size*inner : o*size*inner+inner]
			for j := 1; j < size; j++ {
				if !slices.Equal(first, vals[(o*size+j)*inner:(o*size+j+1)*inner]) {
					return &UnsupportedError{Op: n.Op.String(), Kind: n.Op.Kind, Reason: fmt.Sprintf(
						"constant %v has the traced batch size %d along the batch axis with differing rows: it depends on the batch, which a dynamic batch cannot express", in.Shape, size)}
				}
			}
			row = append(row, first...)
		}
		shape := slices.Clone(in.Shape)
		shape[a] = 1
		ins[i] = e.floats(ins[i]+"_row", shape, row)
	}
	return nil
}
