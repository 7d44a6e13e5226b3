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
	run  *tensor.RecurrentRun // the last ForwardN
	in   []bool               // which states it was given
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
	c.in = []bool{in[1] != nil, c0 != nil}
	cfg := tensor.RecurrentConfig{Cell: c.kind, Act: c.act}
	c.run = tensor.Recurrent(cfg, tensor.Unsqueeze(x, 0), c.WeightIH, c.WeightHH, c.BiasIH, c.BiasHH, in[1], c0, nil)
	if c.kind == tensor.CellLSTM {
		return []*tensor.Tensor{c.run.HN, c.run.CN}
	}
	return []*tensor.Tensor{c.run.HN}
}

// grads runs the step's backward for the output gradients.
func (c *cell) grads(grads []*tensor.Tensor) tensor.RecurrentGrads {
	mustInput(c.Name(), tensorOrNil(c.run))
	if len(grads) != c.numIn()-1 {
		panic(&LayerError{Layer: c.Name(), Msg: fmt.Sprintf("has %d outputs, got %d gradients", c.numIn()-1, len(grads))})
	}
	var dc *tensor.Tensor
	if c.kind == tensor.CellLSTM {
		dc = grads[1]
	}
	return c.run.Backward(nil, grads[0], dc)
}

func tensorOrNil(r *tensor.RecurrentRun) *tensor.Tensor {
	if r == nil {
		return nil
	}
	return r.HN
}

// BackwardInputsN returns ∂L/∂x and ∂L/∂h (and ∂L/∂c) for the last step,
// nil for a state that was omitted.
func (c *cell) BackwardInputsN(grads []*tensor.Tensor) []*tensor.Tensor {
	g := c.grads(grads)
	out := make([]*tensor.Tensor, c.numIn())
	out[0] = tensor.Reshape(g.X, c.run.Out.Dim(1), c.InputSize)
	if c.in[0] {
		out[1] = g.H0
	}
	if c.kind == tensor.CellLSTM && c.in[1] {
		out[2] = g.C0
	}
	return out
}

// BackwardParamsN returns the weights' gradients for the last step.
func (c *cell) BackwardParamsN(grads []*tensor.Tensor) []ParamGrad {
	g := c.grads(grads)
	return []ParamGrad{{"weight_ih", c.WeightIH, g.WeightIH}, {"weight_hh", c.WeightHH, g.WeightHH},
		{"bias_ih", c.BiasIH, g.BiasIH}, {"bias_hh", c.BiasHH, g.BiasHH}}
}
