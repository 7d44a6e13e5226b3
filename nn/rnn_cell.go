package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/duboko/duboko/tensor"
)

// RNNCell is one step of an RNN, as torch.nn.RNNCell: ForwardN(x, h)
// returns [h'] with x [N, I] and h [N, H] (zeros when omitted or nil).
// Parameters weight_ih [H, I], weight_hh [H, H], bias_ih [H], bias_hh [H],
// uniform in ±1/√H. The activation is tanh unless RNNActivation says
// otherwise (the only option cells take).
type RNNCell struct{ *cell }

// LSTMCell is one step of an LSTM, as torch.nn.LSTMCell: ForwardN(x, h,
// c) returns [h', c']; weights [4H, I] and [4H, H], gates i, f, g, o.
type LSTMCell struct{ *cell }

// GRUCell is one step of a GRU, as torch.nn.GRUCell: ForwardN(x, h)
// returns [h']; weights [3H, I] and [3H, H], gates r, z, n.
type GRUCell struct{ *cell }

// NewRNNCell returns an RNNCell from in to hidden features.
func NewRNNCell(rng *rand.Rand, in, hidden int, opts ...RecurrentOption) *RNNCell {
	return &RNNCell{newCell(tensor.CellRNN, rng, in, hidden, opts)}
}

// NewLSTMCell returns an LSTMCell from in to hidden features.
func NewLSTMCell(rng *rand.Rand, in, hidden int) *LSTMCell {
	return &LSTMCell{newCell(tensor.CellLSTM, rng, in, hidden, nil)}
}

// NewGRUCell returns a GRUCell from in to hidden features.
func NewGRUCell(rng *rand.Rand, in, hidden int) *GRUCell {
	return &GRUCell{newCell(tensor.CellGRU, rng, in, hidden, nil)}
}

// cell is the machinery of the three cells: a one-step, one-layer run of
// tensor.Recurrent.
type cell struct {
	InputSize, HiddenSize int
	RecurrentWeights

	kind tensor.RecurrentCell
	act  tensor.Activation
	in   []bool           // which states the last ForwardN was given
	ins  []*tensor.Tensor // the last ForwardN's x, h, c (nil: zeros)
}

func newCell(kind tensor.RecurrentCell, rng *rand.Rand, in, hidden int, opts []RecurrentOption) *cell {
	r := &recurrent{cell: kind, NumLayers: 1}
	if kind == tensor.CellRNN {
		r.act = tensor.ActTanh
	}
	for _, o := range opts {
		o(r)
	}
	if r.NumLayers != 1 || r.Bidirectional || r.BatchFirst || r.Dropout != 0 || r.oneBias {
		panic(&LayerError{Layer: kind.String() + "Cell", Msg: "a cell takes no layer, direction, batch-first, dropout or bias option"})
	}
	if in <= 0 || hidden <= 0 {
		panic(&LayerError{Layer: kind.String() + "Cell", Msg: fmt.Sprintf("sizes must be positive: input %d, hidden %d", in, hidden)})
	}
	g := kind.Gates() * hidden
	c := &cell{InputSize: in, HiddenSize: hidden, kind: kind, act: r.act, RecurrentWeights: RecurrentWeights{
		WeightIH: tensor.ZerosOf(tensor.Float32, g, in), WeightHH: tensor.ZerosOf(tensor.Float32, g, hidden),
		BiasIH: tensor.ZerosOf(tensor.Float32, g), BiasHH: tensor.ZerosOf(tensor.Float32, g),
	}}
	bound := 1 / math.Sqrt(float64(hidden))
	for _, t := range []*tensor.Tensor{c.WeightIH, c.WeightHH, c.BiasIH, c.BiasHH} {
		Uniform(-bound, bound)(rng, t)
		t.SetRequiresGrad(true)
	}
	return c
}

// Name returns "RNNCell", "LSTMCell" or "GRUCell".
func (c *cell) Name() string { return c.kind.String() + "Cell" }

// Params returns weight_ih, weight_hh, bias_ih, bias_hh.
func (c *cell) Params() []Param {
	return []Param{{"weight_ih", c.WeightIH}, {"weight_hh", c.WeightHH}, {"bias_ih", c.BiasIH}, {"bias_hh", c.BiasHH}}
}

// SetTraining does nothing: a cell behaves the same in both modes.
func (c *cell) SetTraining(bool) {}

func (c *cell) numIn() int {
	if c.kind == tensor.CellLSTM {
		return 3
	}
	return 2
}

// ForwardN runs one step: inputs x, h[, c]; outputs h'[, c'].
func (c *cell) ForwardN(inputs ...*tensor.Tensor) []*tensor.Tensor {
	name := c.Name()
	if len(inputs) == 0 || len(inputs) > c.numIn() || inputs[0] == nil {
		panic(&LayerError{Layer: name, Msg: fmt.Sprintf("takes x and up to %d states, got %d inputs", c.numIn()-1, len(inputs))})
	}
	in := make([]*tensor.Tensor, c.numIn())
	copy(in, inputs)
	x := in[0]
	if x.NDim() != 2 || x.Dim(1) != c.InputSize {
		panic(&tensor.ShapeError{Op: name, Shapes: [][]int{x.Shape()}, Msg: fmt.Sprintf("input must be [N, %d]", c.InputSize)})
	}
	var c0 *tensor.Tensor
	if c.kind == tensor.CellLSTM {
		c0 = in[2]
	}
	cfg := tensor.RecurrentConfig{Cell: c.kind, Act: c.act}
	run := tensor.Recurrent(cfg, tensor.Unsqueeze(x, 0), c.WeightIH, c.WeightHH, c.BiasIH, c.BiasHH, in[1], c0, nil)
	c.in = []bool{in[1] != nil, c0 != nil}
	c.ins = []*tensor.Tensor{x, in[1], c0}
	if c.kind == tensor.CellLSTM {
		return []*tensor.Tensor{run.HN, run.CN}
	}
	return []*tensor.Tensor{run.HN}
}

// grads is the step's explicit backward pass, written out
// (stepper.stepBackward): the step runs again from the inputs kept by
// ForwardN, whose fused op keeps its own intermediates.
func (c *cell) grads(grads []*tensor.Tensor) (dx, dh, dc *tensor.Tensor, pg []ParamGrad) {
	if c.ins == nil {
		mustInput(c.Name(), nil)
	}
	if len(grads) != c.numIn()-1 {
		panic(&LayerError{Layer: c.Name(), Msg: fmt.Sprintf("has %d outputs, got %d gradients", c.numIn()-1, len(grads))})
	}
	tensor.NoGrad(func() {
		x, h, cs := c.ins[0], c.ins[1], c.ins[2]
		N, dt := x.Dim(0), x.DType()
		if h == nil {
			h = tensor.ZerosOf(dt, N, c.HiddenSize)
		}
		if cs == nil && c.kind == tensor.CellLSTM {
			cs = tensor.ZerosOf(dt, N, c.HiddenSize)
		}
		st := &stepper{kind: c.kind, act: c.act, w: c.RecurrentWeights, h: c.HiddenSize}
		_, _, k := st.step(x, h, cs, "")
		dh2 := grads[0]
		if dh2 == nil {
			dh2 = tensor.ZerosOf(dt, N, c.HiddenSize)
		}
		var dc2 *tensor.Tensor
		if c.kind == tensor.CellLSTM {
			dc2 = grads[1]
		}
		var dAx, dAh *tensor.Tensor
		dx, dh, dc, dAx, dAh = st.stepBackward(k, dh2, dc2)
		pg = []ParamGrad{{"weight_ih", c.WeightIH, tensor.MatMul(tensor.T(dAx), x)}, {"weight_hh", c.WeightHH, tensor.MatMul(tensor.T(dAh), h)},
			{"bias_ih", c.BiasIH, tensor.Sum(dAx, 0)}, {"bias_hh", c.BiasHH, tensor.Sum(dAh, 0)}}
	})
	return dx, dh, dc, pg
}

// BackwardInputsN returns ∂L/∂x and ∂L/∂h (and ∂L/∂c) for the last step,
// nil for a state that was omitted.
func (c *cell) BackwardInputsN(grads []*tensor.Tensor) []*tensor.Tensor {
	dx, dh, dc, _ := c.grads(grads)
	out := make([]*tensor.Tensor, c.numIn())
	out[0] = dx
	if c.in[0] {
		out[1] = dh
	}
	if c.kind == tensor.CellLSTM && c.in[1] {
		out[2] = dc
	}
	return out
}

// BackwardParamsN returns the weights' gradients for the last step.
func (c *cell) BackwardParamsN(grads []*tensor.Tensor) []ParamGrad {
	_, _, _, pg := c.grads(grads)
	return pg
}

// Counts returns the operations of one step on x of shape in [N, I] (the
// recorded op's declaration, tensor.Recurrent with T = 1) and the shape
// [N, H] of h'.
func (c *cell) Counts(in []int) (tensor.Counts, []int) {
	if len(in) != 2 || in[1] != c.InputSize {
		return unknownCounts, nil
	}
	kind := map[tensor.RecurrentCell]tensor.OpKind{tensor.CellRNN: tensor.OpRNN, tensor.CellLSTM: tensor.OpLSTM, tensor.CellGRU: tensor.OpGRU}[c.kind]
	counts := opCounts(tensor.Op{Kind: kind}, nil, []int{1, in[0], in[1]}, c.WeightIH.Shape(), c.WeightHH.Shape(), c.BiasIH.Shape(), c.BiasHH.Shape(), nil, nil)
	return counts, []int{in[0], c.HiddenSize}
}
