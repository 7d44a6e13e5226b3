package onnx

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/duboko/duboko/graph"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// Opset is the version of the default ONNX operator set that exported
// models import.
const Opset = 17

// IRVersion is the ONNX IR version written (8 is the version that
// introduced opset 17's generation of the format).
const IRVersion = 8

// BatchDim is the symbolic name of the dynamic batch dimension of the
// exported input and output.
const BatchDim = "N"

// traceBatch is the batch size of the dummy input Export traces with. It
// is not 1, so that an op that mixes the batch axis with others shows.
const traceBatch = 2

// UnsupportedError reports a recorded operation that has no ONNX
// translation here: Export writes nothing rather than a wrong file.
type UnsupportedError struct {
	Op     string        // the op's name (Op.String: "Where", a custom op's name)
	Kind   tensor.OpKind // its kind
	Reason string        // why, when it is not simply an unmapped kind
}

func (e *UnsupportedError) Error() string {
	msg := fmt.Sprintf("onnx: cannot export op %s (kind %s)", e.Op, e.Kind)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Option configures Export.
type Option func(*options)

type options struct {
	inputName, outputName string
	graphName             string
	producerVersion       string
}

// InputName names the graph's input ("input" by default).
func InputName(name string) Option { return func(o *options) { o.inputName = name } }

// OutputName names the graph's output ("output" by default).
func OutputName(name string) Option { return func(o *options) { o.outputName = name } }

// GraphName names the graph ("duboko" by default), e.g. with the model's name.
func GraphName(name string) Option { return func(o *options) { o.graphName = name } }

// ProducerVersion records the exporting program's version in the model.
func ProducerVersion(v string) Option { return func(o *options) { o.producerVersion = v } }

// Export writes model as an ONNX model (opset 17, float32) to w. It puts
// the model in evaluation mode (SetTraining(false)), runs it once on a
// dummy input of shape [2, inputShape...], and translates the recorded
// operations; the input's first axis becomes the dynamic dimension "N".
// Parameters and BatchNorm running statistics become initializers named
// as in the model's state dict (nn.StateDict). The model is left in
// evaluation mode: nn.Module does not report its mode, so Export cannot
// restore a training mode; call SetTraining(true) to continue training.
//
// An operation without an ONNX translation returns an *UnsupportedError
// naming it, and nothing is written.
func Export(w io.Writer, model nn.Module, inputShape []int, opts ...Option) error {
	model.SetTraining(false)
	shape := append([]int{traceBatch}, inputShape...)
	x := tensor.RandN(tensor.NewRand(1), shape...)
	x.SetRequiresGrad(true) // so that ops on the input alone (Flatten) are recorded
	var y *tensor.Tensor
	if err := catch(func() { y = model.Forward(x) }); err != nil {
		return fmt.Errorf("onnx: tracing the model on an input of shape %v: %v", shape, err)
	}
	return ExportTrace(w, x, y, nn.StateDict(model), opts...)
}

// ExportTrace writes the recorded computation from input to output as an
// ONNX model. input's first axis is taken as the dynamic batch axis. Leaves
// named in state become initializers with those names (the running
// statistics of a BatchNorm are found there by its weight's name); other
// leaves become initializers with generated names. Every leaf that the
// computation needs must be recorded: set SetRequiresGrad(true) on input.
func ExportTrace(w io.Writer, input, output *tensor.Tensor, state []nn.Param, opts ...Option) error {
	o := options{inputName: "input", outputName: "output", graphName: "duboko"}
	for _, f := range opts {
		f(&o)
	}
	names := map[*tensor.Tensor]string{}
	byName := map[string]*tensor.Tensor{}
	var params []*tensor.Tensor
	for _, p := range state {
		names[p.Tensor] = p.Name
		byName[p.Name] = p.Tensor
		params = append(params, p.Tensor)
	}
	if output == input {
		return fmt.Errorf("onnx: the output is the input itself; nothing to export")
	}
	if output.Op().Kind == tensor.OpNone {
		return fmt.Errorf("onnx: the output has no recorded operations (does the input require a gradient?)")
	}
	g := graph.Build(output, graph.WithParams(params...), graph.WithInputs(input))
	e := &exporter{opts: o, names: names, byName: byName, value: map[*graph.Node]string{}, batched: map[*graph.Node]bool{}, inputT: input}
	if err := e.build(g); err != nil {
		return err
	}
	m := modelProto{irVersion: IRVersion, opset: Opset, producerName: "duboko", producerVersion: o.producerVersion, graph: e.g}
	_, err := w.Write(m.marshal())
	return err
}

// exporter translates one recorded graph.
type exporter struct {
	opts    options
	names   map[*tensor.Tensor]string // state-dict names
	byName  map[string]*tensor.Tensor
	value   map[*graph.Node]string // ONNX value name of each node
	batched map[*graph.Node]bool   // the node's first axis is the dynamic batch axis
	inputT  *tensor.Tensor
	g       graphProto
	consts  int
	inits   map[string]bool
}

func (e *exporter) build(g *graph.Graph) error {
	e.g.name = e.opts.graphName
	e.inits = map[string]bool{}
	out := g.Outputs[0]
	sawInput := false
	for _, n := range g.Nodes {
		if n.Kind != graph.Intermediate {
			if err := e.leaf(n, &sawInput); err != nil {
				return err
			}
			continue
		}
		if n.DType != tensor.Float32 {
			return &UnsupportedError{Op: n.Op.String(), Kind: n.Op.Kind, Reason: fmt.Sprintf("dtype %v (export writes float32)", n.DType)}
		}
		name := fmt.Sprintf("t%d", n.ID)
		if n == out {
			name = e.opts.outputName
		}
		e.value[n] = name
		for _, in := range n.Inputs {
			if e.batched[in] {
				e.batched[n] = true
			}
		}
		if err := e.op(n, name); err != nil {
			return err
		}
	}
	if !sawInput {
		return fmt.Errorf("onnx: the output does not depend on the input")
	}
	e.g.outputs = append(e.g.outputs, e.info(out, e.opts.outputName))
	return nil
}

// leaf adds the graph input or an initializer for a leaf.
func (e *exporter) leaf(n *graph.Node, sawInput *bool) error {
	if n.Tensor == e.inputT {
		*sawInput = true
		if n.DType != tensor.Float32 {
			return fmt.Errorf("onnx: the input has dtype %v; export writes float32", n.DType)
		}
		e.value[n] = e.opts.inputName
		e.batched[n] = true
		e.g.inputs = append(e.g.inputs, e.info(n, e.opts.inputName))
		return nil
	}
	name, ok := e.names[n.Tensor]
	if !ok {
		e.consts++
		name = fmt.Sprintf("const%d", e.consts)
	}
	e.value[n] = name
	return e.initializer(name, n.Tensor)
}

// initializer adds a float32 initializer with the tensor's values (once).
func (e *exporter) initializer(name string, t *tensor.Tensor) error {
	if e.inits[name] {
		return nil
	}
	if t.DType() != tensor.Float32 {
		return fmt.Errorf("onnx: tensor %s has dtype %v; export writes float32", name, t.DType())
	}
	e.inits[name] = true
	e.g.initializer = append(e.g.initializer, floatTensor(name, t.Shape(), t.Float32s()))
	return nil
}

// info describes a node's value, with the dynamic batch axis where it has one.
func (e *exporter) info(n *graph.Node, name string) valueInfo {
	v := valueInfo{name: name, elemType: dataFloat}
	for i, d := range n.Shape {
		if i == 0 && e.batched[n] {
			v.shape = append(v.shape, dim{param: BatchDim})
		} else {
			v.shape = append(v.shape, dim{value: int64(d)})
		}
	}
	return v
}

// ints64 returns an INT64 constant initializer and its name.
func (e *exporter) ints64(vals ...int64) string {
	e.consts++
	name := fmt.Sprintf("const%d", e.consts)
	e.g.initializer = append(e.g.initializer, int64Tensor(name, vals))
	return name
}

// scalar returns a FLOAT scalar constant initializer and its name.
func (e *exporter) scalar(v float32) string {
	e.consts++
	name := fmt.Sprintf("const%d", e.consts)
	e.g.initializer = append(e.g.initializer, floatTensor(name, nil, []float32{v}))
	return name
}

// node appends an ONNX node.
func (e *exporter) node(opType string, ins, outs []string, attrs ...attribute) {
	e.g.nodes = append(e.g.nodes, nodeProto{name: fmt.Sprintf("%s_%d", opType, len(e.g.nodes)), opType: opType, inputs: ins, outputs: outs, attrs: attrs})
}

func intAttr(name string, v int64) attribute { return attribute{name: name, typ: attrInt, i: v} }
func floatAttr(name string, v float64) attribute {
	return attribute{name: name, typ: attrFloat, f: float32(v)}
}
func intsAttr(name string, vs ...int) attribute {
	return attribute{name: name, typ: attrInts, ints: int64s(vs)}
}

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
	switch op.Kind {
	case tensor.OpGlobalAvgPool2d, tensor.OpGlobalMaxPool2d:
		// duboko's global pools return [N, C]; ONNX's keep [N, C, 1, 1].
		tmp := out + "_pooled"
		e.node(simple[op.Kind], ins, []string{tmp})
		e.node("Flatten", []string{tmp}, []string{out}, intAttr("axis", 1))
	case tensor.OpAdd, tensor.OpSub, tensor.OpMul, tensor.OpDiv, tensor.OpMaximum, tensor.OpNeg,
		tensor.OpAbs, tensor.OpExp, tensor.OpLog, tensor.OpSqrt, tensor.OpReLU, tensor.OpSigmoid,
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
		if slices.Contains(op.Axes, 0) || len(op.Axes) == 0 {
			e.batched[n] = false
		}
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
		if slices.Contains(axes, 0) {
			e.batched[n] = false
		}
	case tensor.OpReshape:
		shape := int64s(n.Shape)
		if e.batched[x] {
			if len(n.Shape) == 0 || n.Shape[0] != x.Shape[0] {
				return unsupported(fmt.Sprintf("reshape %v → %v merges the batch axis with others, which a dynamic batch cannot express", x.Shape, n.Shape))
			}
			shape[0] = 0 // copy the batch size from the input
		}
		e.node("Reshape", []string{ins[0], e.ints64(shape...)}, []string{out})
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
	case tensor.OpIndexSelect, tensor.OpGather:
		// ONNX's Gather takes the indices as an input; duboko's record keeps
		// only the axis (the indices are captured by the backward closure,
		// not recorded), so the values cannot be written.
		return unsupported("the recorded op does not carry its indices, which ONNX's Gather needs as an input")
	case tensor.OpCustom:
		return unsupported("a hand-written (custom) op has no ONNX translation")
	default:
		return unsupported("")
	}
	return nil
}

// catch runs f and returns a panic's value as an error.
func catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	f()
	return nil
}
