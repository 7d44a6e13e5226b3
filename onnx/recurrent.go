package onnx

import (
	"fmt"
	"math"
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

// recurrent writes one direction of one recurrent layer (a tensor.Recurrent
// record: inputs x, weight_ih, weight_hh, bias_ih, bias_hh, h0, c0, nil
// where absent) as an ONNX RNN, LSTM or GRU node, the weights re-ordered
// to ONNX's gates, and Squeeze nodes that give Out and HN (CN) duboko's
// shapes.
func (e *exporter) recurrent(n *graph.Node, out string) error {
	op := n.Op
	unsupported := func(reason string) error {
		return &UnsupportedError{Op: op.String(), Kind: op.Kind, Reason: reason}
	}
	cell := map[tensor.OpKind]tensor.RecurrentCell{tensor.OpRNN: tensor.CellRNN, tensor.OpLSTM: tensor.CellLSTM, tensor.OpGRU: tensor.CellGRU}[op.Kind]
	raw := n.Tensor.Inputs()
	if len(raw) != 7 {
		return unsupported(fmt.Sprintf("the record has %d inputs; want x, weight_ih, weight_hh, bias_ih, bias_hh, h0, c0", len(raw)))
	}
	x, wih, whh, bih, bhh, h0, c0 := raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6]
	for _, w := range []*tensor.Tensor{wih, whh, bih, bhh} {
		if w != nil && (!w.IsLeaf() || w.DType() != tensor.Float32) {
			return unsupported("its weights are computed by other ops (or not float32); export writes them as initializers")
		}
	}
	T, N := x.Dim(0), x.Dim(1)
	H := whh.Dim(1)
	cfg, err := matchRecurrent(n.Tensor, cell, raw)
	if err != nil {
		return unsupported(err.Error())
	}
	xn := e.gr.Node(x)
	xb := e.batchOf(xn)
	if xb > 1 {
		return unsupported("the batch axis is x's feature axis")
	}
	base := e.names[wih]
	name := func(what string) string {
		if base == "" {
			return ""
		}
		return strings.Replace(base, "weight_ih", "onnx_"+what, 1)
	}
	order := onnxGates[cell]
	w := e.floats(name("W"), []int{1, wih.Dim(0), wih.Dim(1)}, gateRows(wih.Float32s(), order))
	r := e.floats(name("R"), []int{1, whh.Dim(0), H}, gateRows(whh.Float32s(), order))
	bias := gateRows(bih.Float32s(), order)
	if bhh != nil {
		bias = append(bias, gateRows(bhh.Float32s(), order)...)
	} else {
		bias = append(bias, make([]float32, len(order)*H)...)
	}
	b := e.floats(name("B"), []int{1, 2 * len(order) * H}, bias)
	ins := []string{e.value[xn], w, r, b, ""} // no sequence_lens: all T steps
	zero := e.ints64(0)
	for i, s := range []*tensor.Tensor{h0, c0} {
		if s == nil {
			continue
		}
		for len(ins) < 5+i {
			ins = append(ins, "")
		}
		st := fmt.Sprintf("%s_s%d", out, i)
		e.node("Unsqueeze", []string{e.value[e.gr.Node(s)], zero}, []string{st})
		ins = append(ins, st)
	}
	dir := "forward"
	if cfg.Reverse {
		dir = "reverse"
	}
	attrs := []attribute{intAttr("hidden_size", int64(H)), stringAttr("direction", dir), intAttr("layout", 0)}
	switch cell {
	case tensor.CellRNN:
		attrs = append(attrs, stringsAttr("activations", onnxActivations[cfg.Act.Name]))
	case tensor.CellGRU:
		attrs = append(attrs, intAttr("linear_before_reset", 1)) // r⊙(W_hn h + b_hn), as PyTorch
	}
	outs := []string{out + "_Y", out + "_Yh"}
	if cell == tensor.CellLSTM {
		outs = append(outs, out+"_Yc")
	}
	e.node(cell.String(), ins, outs, attrs...)

	// Y [T, 1, N, H] and Y_h, Y_c [1, N, H] without the direction axis.
	one := e.ints64(1)
	stateBatch := -1
	if xb == 1 {
		stateBatch = 0
	}
	parts := []hubPart{{off: 0, n: T * N * H, name: out + "_out", shape: []int{T, N, H}, batch: xb}}
	e.node("Squeeze", []string{outs[0], one}, []string{parts[0].name})
	for i, o := range outs[1:] {
		p := hubPart{off: T*N*H + i*N*H, n: N * H, name: o + "_state", shape: []int{N, H}, batch: stateBatch}
		e.node("Squeeze", []string{o, zero}, []string{p.name})
		parts = append(parts, p)
	}
	e.hubs[n] = parts
	e.setBatch(n, -1)
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

// matchRecurrent finds the configuration a recurrent record ran with: its
// kind gives the cell, but the direction and a plain RNN's nonlinearity are
// not recorded (tensor/recurrent.go), nor are sequence lengths. It reruns
// the record's inputs without lengths, in each direction (and for an RNN
// with each nonlinearity ONNX has) and returns the configuration whose
// outputs equal the recorded ones. None matching (a run with lengths, or
// another nonlinearity) is an error: export never guesses.
func matchRecurrent(hub *tensor.Tensor, cell tensor.RecurrentCell, in []*tensor.Tensor) (tensor.RecurrentConfig, error) {
	acts := []tensor.Activation{{}}
	if cell == tensor.CellRNN {
		acts = []tensor.Activation{tensor.ActTanh, tensor.ActReLU, tensor.ActSigmoid}
	}
	want := hub.Float32s()
	scale := 0.0
	for _, v := range want {
		scale = max(scale, math.Abs(float64(v)))
	}
	for _, rev := range []bool{false, true} {
		for _, act := range acts {
			cfg := tensor.RecurrentConfig{Cell: cell, Act: act, Reverse: rev}
			var run *tensor.RecurrentRun
			tensor.NoGrad(func() { run = tensor.Recurrent(cfg, in[0], in[1], in[2], in[3], in[4], in[5], in[6], nil) })
			got := append(append([]float32(nil), run.Out.Float32s()...), run.HN.Float32s()...)
			if run.CN != nil {
				got = append(got, run.CN.Float32s()...)
			}
			if len(got) != len(want) {
				continue
			}
			diff := 0.0
			for i := range got {
				diff = max(diff, math.Abs(float64(got[i])-float64(want[i])))
			}
			if diff <= 1e-6*max(scale, 1) {
				return cfg, nil
			}
		}
	}
	return tensor.RecurrentConfig{}, fmt.Errorf("its recorded results match no run over all steps in either direction%s: was it run with sequence lengths? The record does not carry them, so ONNX's sequence_lens cannot be written",
		map[bool]string{true: " with tanh, relu or sigmoid", false: ""}[cell == tensor.CellRNN])
}
