package onnx

import (
	"fmt"
	"io"

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
	ids                   int            // > 0: the input is Int64 ids in [0, ids)
	lengths               *tensor.Tensor // SequenceLengths
}

// InputName names the graph's input ("input" by default).
func InputName(name string) Option { return func(o *options) { o.inputName = name } }

// OutputName names the graph's output ("output" by default).
func OutputName(name string) Option { return func(o *options) { o.outputName = name } }

// GraphName names the graph ("duboko" by default), e.g. with the model's name.
func GraphName(name string) Option { return func(o *options) { o.graphName = name } }

// ProducerVersion records the exporting program's version in the model.
func ProducerVersion(v string) Option { return func(o *options) { o.producerVersion = v } }

// InputIDs makes Export trace the model with an Int64 input of token ids
// in [0, vocab) (a model that starts with an nn.Embedding, such as the
// sentiment models) instead of a float32 one; the graph's input is then
// INT64.
func InputIDs(vocab int) Option { return func(o *options) { o.ids = vocab } }

// SequenceLengths declares lengths, the Int64 tensor [N] of sequence
// lengths that the traced recurrent layers ran with (ExportTrace), as the
// graph's second input "lengths" (INT64 [N]): each recurrent op recorded
// with these lengths (tensor.Recurrent keeps them as an input) gets them
// as ONNX's sequence_lens.
func SequenceLengths(lengths *tensor.Tensor) Option {
	return func(o *options) { o.lengths = lengths }
}

// Export writes model as an ONNX model (opset 17, float32) to w. It puts
// the model in evaluation mode (SetTraining(false)), runs it once on a
// dummy input of shape [2, inputShape...] (float32 from N(0, 1), or Int64
// ids with InputIDs), and translates the recorded operations; the input's
// first axis becomes the dynamic dimension "N". Parameters and BatchNorm
// running statistics become initializers named as in the model's state
// dict (nn.StateDict). Parameters that do not require a gradient (a frozen
// embedding) are made to for the trace, so that their ops are recorded,
// and restored afterwards. The model is put back in training mode
// afterwards when nn.IsTraining reported it in training mode.
//
// An operation without an ONNX translation returns an *UnsupportedError
// naming it, and nothing is written.
func Export(w io.Writer, model nn.Module, inputShape []int, opts ...Option) error {
	return exportModel(w, model, inputShape, nil, opts)
}

// TextModel is a model of padded token ids [N, T] and their lengths [N]
// (1..T) that returns one output per sequence: models.SentimentModel.
type TextModel interface {
	nn.Module
	ForwardText(ids, lengths *tensor.Tensor) *tensor.Tensor
}

// ExportText is Export for a TextModel with two inputs: "input", INT64 ids
// [N, steps] in [0, vocab), and "lengths", INT64 [N], each sequence's
// length in 1..steps. The recurrent layers get ONNX's sequence_lens from
// it (cast to int32), so that padded batches give what ForwardText gives.
// Go code of the model that computes with the lengths outside recorded ops
// (the sentiment baseline's mean divides by them) is a constant of the
// trace, and an *UnsupportedError when it differs per sequence.
func ExportText(w io.Writer, model TextModel, steps, vocab int, opts ...Option) error {
	return exportModel(w, model, []int{steps}, model.ForwardText, append(opts, InputIDs(vocab)))
}

// exportModel traces model in evaluation mode (Forward, or text with
// lengths when text is not nil) and exports the trace.
func exportModel(w io.Writer, model nn.Module, inputShape []int, text func(ids, lengths *tensor.Tensor) *tensor.Tensor, opts []Option) error {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if was, _ := nn.IsTraining(model); was {
		defer model.SetTraining(true)
	}
	model.SetTraining(false)
	state := nn.StateDict(model)
	for _, p := range state {
		if p.Tensor.DType().IsFloat() && !p.Tensor.RequiresGrad() {
			p.Tensor.SetRequiresGrad(true)
			defer p.Tensor.SetRequiresGrad(false)
		}
	}
	shape := append([]int{traceBatch}, inputShape...)
	rng := tensor.NewRand(1)
	var x *tensor.Tensor
	if o.ids > 0 {
		ids := make([]int64, numel(shape))
		for i := range ids {
			ids[i] = int64(rng.IntN(o.ids))
		}
		x = tensor.FromInt64(ids, shape...)
	} else {
		x = tensor.RandN(rng, shape...)
		x.SetRequiresGrad(true) // so that ops on the input alone (Flatten) are recorded
	}
	var y, lengths *tensor.Tensor
	if text != nil {
		// Different lengths, the first the longest, so that a run without
		// lengths cannot reproduce the trace.
		ls := make([]int64, traceBatch)
		for i := range ls {
			ls[i] = int64(max(inputShape[0]-i, 1))
		}
		lengths = tensor.FromInt64(ls, traceBatch)
		opts = append(opts, SequenceLengths(lengths))
	}
	if err := catch(func() {
		if text != nil {
			y = text(x, lengths)
		} else {
			y = model.Forward(x)
		}
	}); err != nil {
		return fmt.Errorf("onnx: tracing the model on an input of shape %v: %v", shape, err)
	}
	return ExportTrace(w, x, y, state, opts...)
}

// ExportTrace writes the recorded computation from input to output as an
// ONNX model. input's first axis is taken as the dynamic batch axis; it is
// float32, or Int64 (ids that an embedding looks up). Leaves named in
// state become initializers with those names (the running statistics of a
// BatchNorm are found there by its weight's name); other leaves become
// initializers with generated names. Every leaf that the computation needs
// must be recorded: set SetRequiresGrad(true) on a float input.
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
		return fmt.Errorf("onnx: the output has no recorded operations (does the input, or a parameter, require a gradient?)")
	}
	g := graph.Build(output, graph.WithParams(params...), graph.WithInputs(input))
	e := &exporter{opts: o, names: names, byName: byName, gr: g, value: map[*graph.Node]string{},
		batch: map[*graph.Node]int{}, shape: map[*graph.Node][]int{}, hubs: map[*graph.Node][]hubPart{}, layers: map[*graph.Node]*recLayer{}, inputT: input}
	if err := e.build(g); err != nil {
		return err
	}
	m := modelProto{irVersion: IRVersion, opset: Opset, producerName: "duboko", producerVersion: o.producerVersion, graph: e.g}
	_, err := w.Write(m.marshal())
	return err
}

// exporter translates one recorded graph.
type exporter struct {
	opts   options
	names  map[*tensor.Tensor]string // state-dict names
	byName map[string]*tensor.Tensor
	gr     *graph.Graph
	value  map[*graph.Node]string // ONNX value name of each node
	// batch holds the dynamic batch axis of each node's value that has one
	// (the input's first axis, wherever ops move it).
	batch map[*graph.Node]int
	// shape holds the ONNX shape of a value whose duboko shape differs: a
	// part of a recurrent op's flat result.
	shape  map[*graph.Node][]int
	hubs   map[*graph.Node][]hubPart // the parts of each recurrent op's result
	layers map[*graph.Node]*recLayer // each recurrent op's configuration
	inputT *tensor.Tensor
	g      graphProto
	consts int
	inits  map[string]bool
}

func (e *exporter) build(g *graph.Graph) error {
	e.g.name = e.opts.graphName
	e.inits = map[string]bool{}
	if l := e.opts.lengths; l != nil && (l.DType() != tensor.Int64 || l.NDim() != 1 || l.Dim(0) != e.inputT.Dim(0)) {
		return fmt.Errorf("onnx: sequence lengths must be an Int64 tensor [%d] (the input's batch), got %v %v", e.inputT.Dim(0), l.DType(), l.Shape())
	}
	out := g.Outputs[0]
	sawInput := false
	// Leaves first (the input and the initializers), so that every leaf
	// has its value when an op looks beyond its own inputs (the states of
	// a bidirectional layer's second direction).
	for _, n := range g.Nodes {
		if n.Kind != graph.Intermediate {
			if err := e.leaf(n, &sawInput); err != nil {
				return err
			}
		}
	}
	for _, n := range g.Nodes {
		if n.Kind != graph.Intermediate {
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
		e.propagateBatch(n)
		if err := e.op(n, name); err != nil {
			return err
		}
	}
	if !sawInput {
		return fmt.Errorf("onnx: the output does not depend on the input")
	}
	if l := e.opts.lengths; l != nil {
		e.g.inputs = append(e.g.inputs, valueInfo{name: lengthsInput, elemType: dataInt64, shape: []dim{{param: BatchDim}}})
	}
	if _, ok := e.hubs[out]; ok {
		return &UnsupportedError{Op: out.Op.String(), Kind: out.Op.Kind, Reason: "the output is a recurrent op's raw result; export its outputs (RecurrentRun.Out, HN)"}
	}
	e.g.outputs = append(e.g.outputs, e.info(out, e.opts.outputName))
	e.pruneInitializers()
	return nil
}

// pruneInitializers drops initializers that no node reads: the PyTorch-
// ordered weights of recurrent layers, which are written re-ordered under
// other names.
func (e *exporter) pruneInitializers() {
	used := map[string]bool{}
	for _, n := range e.g.nodes {
		for _, in := range n.inputs {
			used[in] = true
		}
	}
	kept := e.g.initializer[:0]
	for _, t := range e.g.initializer {
		if used[t.name] {
			kept = append(kept, t)
		}
	}
	e.g.initializer = kept
}

// batchOf returns the dynamic batch axis of n's value, or −1.
func (e *exporter) batchOf(n *graph.Node) int {
	if b, ok := e.batch[n]; ok {
		return b
	}
	return -1
}

// shapeOf returns the shape of n's ONNX value.
func (e *exporter) shapeOf(n *graph.Node) []int {
	if s, ok := e.shape[n]; ok {
		return s
	}
	return n.Shape
}

// propagateBatch sets n's batch axis from its inputs' by the rule of
// ops that keep the rank (the same axis) or broadcast (aligned from the
// right); ops that move axes correct it in op.
func (e *exporter) propagateBatch(n *graph.Node) {
	for _, in := range n.Inputs {
		b := e.batchOf(in)
		if b < 0 {
			continue
		}
		if d := len(n.Shape) - len(e.shapeOf(in)); d != 0 {
			b += d
		}
		if b >= 0 && b < len(n.Shape) {
			e.batch[n] = b
		}
		return
	}
}

// leaf adds the graph input or an initializer for a leaf.
func (e *exporter) leaf(n *graph.Node, sawInput *bool) error {
	if n.Tensor == e.inputT {
		*sawInput = true
		if n.DType != tensor.Float32 && n.DType != tensor.Int64 {
			return fmt.Errorf("onnx: the input has dtype %v; export takes float32 (or Int64 ids)", n.DType)
		}
		e.value[n] = e.opts.inputName
		e.batch[n] = 0
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

// initializer adds a float32 or Int64 initializer with the tensor's values (once).
func (e *exporter) initializer(name string, t *tensor.Tensor) error {
	if e.inits[name] {
		return nil
	}
	switch t.DType() {
	case tensor.Float32:
		e.g.initializer = append(e.g.initializer, floatTensor(name, t.Shape(), t.Float32s()))
	case tensor.Int64:
		tp := int64Tensor(name, t.Int64s())
		tp.dims = int64s(t.Shape())
		e.g.initializer = append(e.g.initializer, tp)
	default:
		return fmt.Errorf("onnx: tensor %s has dtype %v; export writes float32 (and Int64 indices)", name, t.DType())
	}
	e.inits[name] = true
	return nil
}

// floats adds a FLOAT initializer of the given values and returns its name.
func (e *exporter) floats(name string, dims []int, vals []float32) string {
	if name == "" || e.inits[name] {
		e.consts++
		name = fmt.Sprintf("const%d", e.consts)
	}
	e.inits[name] = true
	e.g.initializer = append(e.g.initializer, floatTensor(name, dims, vals))
	return name
}

// info describes a node's value, with the dynamic batch axis where it has one.
func (e *exporter) info(n *graph.Node, name string) valueInfo {
	v := valueInfo{name: name, elemType: dataFloat}
	if n.DType == tensor.Int64 {
		v.elemType = dataInt64
	}
	b := e.batchOf(n)
	for i, d := range e.shapeOf(n) {
		if i == b {
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

// lengthsInput names the graph input of SequenceLengths.
const lengthsInput = "lengths"

// seqLens returns the INT32 sequence lengths that ONNX's recurrent ops
// take, cast from the "lengths" input once.
func (e *exporter) seqLens() string {
	const name = "lengths_int32"
	if !e.inits[name] {
		e.inits[name] = true // marks the Cast as written
		e.node("Cast", []string{lengthsInput}, []string{name}, intAttr("to", dataInt32))
	}
	return name
}

// int64Scalar returns an INT64 scalar constant initializer and its name.
func (e *exporter) int64Scalar(v int64) string {
	name := e.ints64(v)
	e.g.initializer[len(e.g.initializer)-1].dims = nil
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
func stringAttr(name, v string) attribute { return attribute{name: name, typ: attrString, s: v} }
func stringsAttr(name string, vs ...string) attribute {
	return attribute{name: name, typ: attrStrings, strs: vs}
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
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
