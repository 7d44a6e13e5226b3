package onnx

import (
	"fmt"
	"strings"

	"github.com/duboko/duboko/graph"
	"github.com/duboko/duboko/tensor"
)

// hubPart is one output inside a recurrent op's recorded result: the
// record is one flat tensor holding Out [T, N, H], then HN [N, H] (then
// CN [N, H] for an LSTM), which tensor.Recurrent slices and reshapes.
type hubPart struct {
	off, n int    // its range in the flat result
	name   string // the ONNX value holding it
	shape  []int  // its shape
	batch  int    // its batch axis, or −1
}

// onnxGates is, for each cell, the PyTorch gate block that each ONNX gate
// block takes: LSTM i, o, f, c from PyTorch's i, f, g, o; GRU z, r, h
// from r, z, n.
var onnxGates = map[tensor.RecurrentCell][]int{
	tensor.CellRNN:  {0},
	tensor.CellLSTM: {0, 3, 1, 2},
	tensor.CellGRU:  {1, 0, 2},
}

// onnxActivations names the RNN nonlinearities ONNX's RNN has.
var onnxActivations = map[string]string{"tanh": "Tanh", "relu": "Relu", "sigmoid": "Sigmoid"}

// recLayer is one direction of a recurrent layer: its record and the
// configuration it ran with.
type recLayer struct {
	n       *graph.Node
	in      []*tensor.Tensor // x, weight_ih, weight_hh, bias_ih, bias_hh, h0, c0, lengths (nil where absent)
	cfg     tensor.RecurrentConfig
	lengths bool // it ran with the SequenceLengths
}

// recurrentLayer reads a recurrent record (tensor.Recurrent: inputs x,
// weight_ih, weight_hh, bias_ih, bias_hh, h0, c0, lengths, nil where
// absent) and the configuration it ran with (recordedConfig), once per node.
func (e *exporter) recurrentLayer(n *graph.Node) (*recLayer, error) {
	if l, ok := e.layers[n]; ok {
		return l, nil
	}
	op := n.Op
	unsupported := func(reason string) error {
		return &UnsupportedError{Op: op.String(), Kind: op.Kind, Reason: reason}
	}
	cell := map[tensor.OpKind]tensor.RecurrentCell{tensor.OpRNN: tensor.CellRNN, tensor.OpLSTM: tensor.CellLSTM, tensor.OpGRU: tensor.CellGRU}[op.Kind]
	raw := n.Tensor.Inputs()
	if len(raw) != 8 {
		return nil, unsupported(fmt.Sprintf("the record has %d inputs; want x, weight_ih, weight_hh, bias_ih, bias_hh, h0, c0, lengths", len(raw)))
	}
	for _, w := range raw[1:5] {
		if w != nil && (!w.IsLeaf() || w.DType() != tensor.Float32) {
			return nil, unsupported("its weights are computed by other ops (or not float32); export writes them as initializers")
		}
	}
	cfg, lens, err := recordedConfig(op, cell, raw, e.opts.lengths)
	if err != nil {
		return nil, unsupported(err.Error())
	}
	l := &recLayer{n: n, in: raw, cfg: cfg, lengths: lens}
	e.layers[n] = l
	return l, nil
}

// partner returns the other direction of layer l: a record not yet
// written, of the same kind on the same x, running the opposite way with
// the same nonlinearity and lengths, initial states given alike and
// already translated; or nil.
func (e *exporter) partner(l *recLayer) *recLayer {
	for _, m := range e.gr.Nodes {
		if _, done := e.hubs[m]; done || m == l.n || m.Op.Kind != l.n.Op.Kind || m.Tensor.Inputs() == nil || m.Tensor.Inputs()[0] != l.in[0] {
			continue
		}
		r, err := e.recurrentLayer(m)
		if err != nil || r.cfg.Reverse == l.cfg.Reverse || r.cfg.Act.Name != l.cfg.Act.Name || r.in[2].Dim(1) != l.in[2].Dim(1) || r.lengths != l.lengths {
			continue
		}
		ok := true
		for i := 5; i < 7; i++ {
			if (l.in[i] == nil) != (r.in[i] == nil) || (r.in[i] != nil && e.value[e.gr.Node(r.in[i])] == "") {
				ok = false
			}
		}
		if ok {
			return r
		}
	}
	return nil
}

// recurrent writes a recurrent layer: one direction, or both directions of
// a bidirectional layer when n's partner is found, as one ONNX RNN, LSTM
// or GRU node, the weights re-ordered to ONNX's gates, and the nodes that
// give each record's Out and HN (CN) duboko's shapes.
func (e *exporter) recurrent(n *graph.Node, out string) error {
	if _, done := e.hubs[n]; done { // the reverse half of a layer already written
		return nil
	}
	l, err := e.recurrentLayer(n)
	if err != nil {
		return err
	}
	unsupported := func(reason string) error {
		return &UnsupportedError{Op: n.Op.String(), Kind: n.Op.Kind, Reason: reason}
	}
	dirs := []*recLayer{l}
	if r := e.partner(l); r != nil {
		dirs = append(dirs, r)
		if l.cfg.Reverse { // ONNX's bidirectional order: forward, reverse
			dirs[0], dirs[1] = r, l
		}
		l = dirs[0]
	}
	D := len(dirs)
	cell := l.cfg.Cell
	x := l.in[0]
	T, N, H := x.Dim(0), x.Dim(1), l.in[2].Dim(1)
	xn := e.gr.Node(x)
	xb := e.batchOf(xn)
	if xb > 1 {
		return unsupported("the batch axis is x's feature axis")
	}
	order := onnxGates[cell]
	G := len(order) * H
	var w, r, b []float32
	for _, d := range dirs {
		w = append(w, gateRows(d.in[1].Float32s(), order)...)
		r = append(r, gateRows(d.in[2].Float32s(), order)...)
		b = append(b, gateRows(d.in[3].Float32s(), order)...)
		if d.in[4] != nil {
			b = append(b, gateRows(d.in[4].Float32s(), order)...)
		} else {
			b = append(b, make([]float32, G)...)
		}
	}
	// Initializers named after the weights: rnn.weight_ih_l0 gives
	// rnn.onnx_W_l0 (generated names for unnamed weights).
	base := e.names[l.in[1]]
	name := func(what string) string {
		if base == "" {
			return ""
		}
		return strings.Replace(base, "weight_ih", "onnx_"+what, 1)
	}
	ins := []string{e.value[xn],
		e.floats(name("W"), []int{D, G, x.Dim(2)}, w),
		e.floats(name("R"), []int{D, G, H}, r),
		e.floats(name("B"), []int{D, 2 * G}, b),
		""} // sequence_lens: none (all T steps) unless the layer ran with lengths
	if l.lengths {
		ins[4] = e.seqLens()
	}
	zero := e.ints64(0)
	for i := 5; i < 7; i++ {
		if l.in[i] == nil {
			continue
		}
		for len(ins) < i {
			ins = append(ins, "")
		}
		var st []string
		for k, d := range dirs {
			s := fmt.Sprintf("%s_s%d_%d", out, i-5, k)
			e.node("Unsqueeze", []string{e.value[e.gr.Node(d.in[i])], zero}, []string{s})
			st = append(st, s)
		}
		if D == 2 {
			s := fmt.Sprintf("%s_s%d", out, i-5)
			e.node("Concat", st, []string{s}, intAttr("axis", 0))
			st = []string{s}
		}
		ins = append(ins, st[0])
	}
	dir := "forward"
	switch {
	case D == 2:
		dir = "bidirectional"
	case l.cfg.Reverse:
		dir = "reverse"
	}
	attrs := []attribute{intAttr("hidden_size", int64(H)), stringAttr("direction", dir), intAttr("layout", 0)}
	switch cell {
	case tensor.CellRNN:
		act := onnxActivations[l.cfg.Act.Name]
		acts := []string{act}
		if D == 2 {
			acts = append(acts, act)
		}
		attrs = append(attrs, stringsAttr("activations", acts...))
	case tensor.CellGRU:
		attrs = append(attrs, intAttr("linear_before_reset", 1)) // r⊙(W_hn h + b_hn), as PyTorch
	}
	outs := []string{out + "_Y", out + "_Yh"}
	if cell == tensor.CellLSTM {
		outs = append(outs, out+"_Yc")
	}
	e.node(cell.String(), ins, outs, attrs...)

	// Y [T, D, N, H] and Y_h, Y_c [D, N, H]: each direction's part without
	// the direction axis (Squeeze for one direction, Gather for two).
	stateBatch := -1
	if xb == 1 {
		stateBatch = 0
	}
	one := e.ints64(1)
	for k, d := range dirs {
		pick := func(from, to string, axis int) {
			if D == 1 {
				e.node("Squeeze", []string{from, map[int]string{0: zero, 1: one}[axis]}, []string{to})
				return
			}
			e.node("Gather", []string{from, e.int64Scalar(int64(k))}, []string{to}, intAttr("axis", int64(axis)))
		}
		sfx := ""
		if D == 2 {
			sfx = fmt.Sprintf("_%d", k)
		}
		parts := []hubPart{{off: 0, n: T * N * H, name: out + "_out" + sfx, shape: []int{T, N, H}, batch: xb}}
		pick(outs[0], parts[0].name, 1)
		for i, o := range outs[1:] {
			p := hubPart{off: T*N*H + i*N*H, n: N * H, name: o + "_state" + sfx, shape: []int{N, H}, batch: stateBatch}
			pick(o, p.name, 0)
			parts = append(parts, p)
		}
		e.hubs[d.n] = parts
		e.setBatch(d.n, -1)
	}
	return nil
}

// gateRows returns the rows of a PyTorch-ordered gate-stacked matrix (or
// vector) w, in the block order given.
func gateRows(w []float32, order []int) []float32 {
	block := len(w) / len(order)
	out := make([]float32, 0, len(w))
	for _, g := range order {
		out = append(out, w[g*block:(g+1)*block]...)
	}
	return out
}

// recordedConfig returns the configuration a recurrent record ran with,
// as the record keeps it: the cell from its kind, the direction and a plain
// RNN's nonlinearity from its Op, and whether it ran with sequence lengths
// (its eighth input). Lengths must be the ones declared by
// SequenceLengths (the graph's input "lengths"); a nonlinearity ONNX has
// no name for is an error.
func recordedConfig(op tensor.Op, cell tensor.RecurrentCell, in []*tensor.Tensor, declared *tensor.Tensor) (tensor.RecurrentConfig, bool, error) {
	cfg := tensor.RecurrentConfig{Cell: cell, Reverse: op.Reverse}
	if cell == tensor.CellRNN {
		a, ok := map[tensor.ActivationKind]tensor.Activation{tensor.ActivationTanh: tensor.ActTanh,
			tensor.ActivationReLU: tensor.ActReLU, tensor.ActivationSigmoid: tensor.ActSigmoid}[op.Act]
		if !ok {
			return cfg, false, fmt.Errorf("its nonlinearity is a function of the user's (%v); ONNX's RNN has tanh, relu and sigmoid", op.Act)
		}
		cfg.Act = a
	}
	lengths := in[7]
	if lengths == nil {
		return cfg, false, nil
	}
	if declared == nil || !sameValues(lengths, declared) {
		return cfg, false, fmt.Errorf("it ran with sequence lengths that are not the graph's input: declare them with SequenceLengths (ExportText does) to write ONNX's sequence_lens")
	}
	return cfg, true, nil
}

// sameValues reports whether the Int64 tensors a and b hold the same values.
func sameValues(a, b *tensor.Tensor) bool {
	if a == b {
		return true
	}
	if a.DType() != tensor.Int64 || b.DType() != tensor.Int64 || a.Len() != b.Len() {
		return false
	}
	av, bv := a.Int64s(), b.Int64s()
	for i := range av {
		if av[i] != bv[i] {
			return false
		}
	}
	return true
}
