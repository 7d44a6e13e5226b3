package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/duboko/duboko/tensor"
)

// RNN is a multi-layer Elman recurrent layer, as torch.nn.RNN:
// h_t = f(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh) with f tanh (the
// default), ReLU, the logistic sigmoid or any element-wise function with
// its derivative (RNNActivation).
//
// Inputs of ForwardN, in order: x, h0, lengths (h0 and lengths may be
// omitted or nil). x is [T, N, I], time first as PyTorch's default, or
// [N, T, I] with BatchFirst; h0 is [L·D, N, H] (L layers, D = 2 when
// bidirectional, else 1; zeros when nil); lengths is an Int64 tensor [N]
// of sequence lengths in [0, T] for a padded batch (nil: all T).
// Outputs: out [T, N, D·H] (or [N, T, D·H] batch first: the last layer's
// hidden states, both directions concatenated, zero past each sequence's
// length, as pad_packed_sequence gives) and hN [L·D, N, H] (each
// sequence's state after its own last step; for the reverse direction,
// after step 0).
//
// Parameters, named and shaped as in PyTorch (k = layer, G gate blocks:
// 1 for RNN, 4 for LSTM, 3 for GRU; I_k = I for layer 0, D·H above):
// weight_ih_lk [G·H, I_k], weight_hh_lk [G·H, H], bias_ih_lk [G·H],
// bias_hh_lk [G·H], and the same with the suffix _reverse for the reverse
// direction; all initialised uniform in ±1/√H. Each gate has two bias
// vectors (b_i· and b_h·), PyTorch's and cuDNN's convention: a layer has
// D·G·(H·I_k + H·H + 2H) parameters, e.g. 4·(150·300 + 150·150 + 300) =
// 271 200 for the first layer of an LSTM with I=300, H=150. Textbooks
// that give each gate one bias count D·G·(H·I_k + H·H + H), which
// OneBiasPerGate builds (no bias_hh_lk parameters; 4·(150·300 + 150·150 +
// 150) = 270 600 for that layer). The two compute the same functions, for
// the GRU's n gate only when b_hn = 0, since the reset gate multiplies
// b_hn.
//
// The configuration is readable in the fields InputSize, HiddenSize,
// NumLayers, Bidirectional, BatchFirst and Dropout, and the weights in
// Weights[layer][direction] (shared by RNN, LSTM and GRU).
//
// The forward pass of each layer and direction is one recorded op
// (tensor.Recurrent, fast) whose backward is a fused backpropagation
// through time: that is what autodiff runs. The explicit BackwardInputsN
// / BackwardParamsN are a second, independent implementation written out
// as students write it (rnn_explicit.go): one step's forward and backward
// pass in elementary tensor ops, backpropagation through time over the
// steps of each direction, chained by hand through the layers, directions
// and dropout. Unroll runs the forward pass that way with every op
// recorded, for graphs drawn step by step and traces of the states.
type RNN struct{ *recurrent }

// LSTM is a multi-layer long short-term memory layer, as torch.nn.LSTM:
// gates i, f, g, o (that order in the weights' rows), c_t = f⊙c_{t−1} +
// i⊙g, h_t = o⊙tanh(c_t). Inputs of ForwardN: x, h0, c0, lengths;
// outputs: out, hN, cN. Shapes, options and parameters are RNN's with
// G = 4.
type LSTM struct{ *recurrent }

// GRU is a multi-layer gated recurrent unit layer, as torch.nn.GRU: gates
// r, z, n, n_t = tanh(W_in x_t + b_in + r⊙(W_hn h_{t−1} + b_hn)),
// h_t = (1−z)⊙n + z⊙h_{t−1}. Inputs of ForwardN: x, h0, lengths;
// outputs: out, hN. Shapes, options and parameters are RNN's with G = 3.
type GRU struct{ *recurrent }

// RecurrentOption configures NewRNN, NewLSTM and NewGRU.
type RecurrentOption func(*recurrent)

// NumLayers stacks n layers, each taking the previous one's output (1 by
// default).
func NumLayers(n int) RecurrentOption { return func(r *recurrent) { r.NumLayers = n } }

// Bidirectional adds a reverse direction to every layer; outputs
// concatenate the two directions' hidden states.
func Bidirectional() RecurrentOption { return func(r *recurrent) { r.Bidirectional = true } }

// BatchFirst makes x and out [N, T, ·] instead of [T, N, ·] (states stay
// [L·D, N, H], as in PyTorch).
func BatchFirst() RecurrentOption { return func(r *recurrent) { r.BatchFirst = true } }

// InterLayerDropout drops each output of every layer but the last with
// probability p in training mode, as PyTorch's dropout argument.
func InterLayerDropout(p float64) RecurrentOption { return func(r *recurrent) { r.Dropout = p } }

// OneBiasPerGate gives each gate one bias vector (bias_ih_lk only, no
// bias_hh_lk), the textbook convention, instead of PyTorch's two. A state
// dict then lacks PyTorch's bias_hh entries.
func OneBiasPerGate() RecurrentOption { return func(r *recurrent) { r.oneBias = true } }

// RNNActivation sets an RNN's nonlinearity: tensor.ActTanh (default),
// tensor.ActReLU, tensor.ActSigmoid or any tensor.Activation with its
// derivative. The three built-in ones run fused with the recurrence (in
// float32 through the vectorised tanh and σ kernels, as the LSTM's and
// GRU's gates); any other is called element by element in float64. Other
// layers reject it.
func RNNActivation(a tensor.Activation) RecurrentOption {
	return func(r *recurrent) {
		if r.cell != tensor.CellRNN {
			panic(&LayerError{Layer: r.cell.String(), Msg: "RNNActivation applies to RNN only"})
		}
		if a.F == nil || a.D == nil {
			panic(&LayerError{Layer: "RNN", Msg: "activation needs both F and its derivative D"})
		}
		r.act = a
	}
}

// NewRNN returns an RNN from I = in to H = hidden features (see RNN).
func NewRNN(rng *rand.Rand, in, hidden int, opts ...RecurrentOption) *RNN {
	return &RNN{newRecurrent(tensor.CellRNN, rng, in, hidden, opts)}
}

// NewLSTM returns an LSTM from I = in to H = hidden features (see LSTM).
func NewLSTM(rng *rand.Rand, in, hidden int, opts ...RecurrentOption) *LSTM {
	return &LSTM{newRecurrent(tensor.CellLSTM, rng, in, hidden, opts)}
}

// NewGRU returns a GRU from I = in to H = hidden features (see GRU).
func NewGRU(rng *rand.Rand, in, hidden int, opts ...RecurrentOption) *GRU {
	return &GRU{newRecurrent(tensor.CellGRU, rng, in, hidden, opts)}
}

// RecurrentWeights are one direction of one layer (BiasHH nil with
// OneBiasPerGate).
type RecurrentWeights struct {
	WeightIH, WeightHH, BiasIH, BiasHH *tensor.Tensor
}

// recurrent is the machinery RNN, LSTM and GRU share.
type recurrent struct {
	InputSize, HiddenSize, NumLayers int
	Bidirectional, BatchFirst        bool
	Dropout                          float64
	// Weights[k][d] are layer k's weights, direction d (1: reverse).
	Weights [][]RecurrentWeights

	cell     tensor.RecurrentCell
	act      tensor.Activation
	oneBias  bool
	training bool
	rng      *rand.Rand

	last *recCall // the last ForwardN, for the explicit backward
}

// recCall is what one ForwardN keeps for the explicit backward.
type recCall struct {
	layerIn []*tensor.Tensor // each layer's input [T, N, I_k], time first
	h0, c0  []*tensor.Tensor // initial states per layer and direction (nil: zeros)
	lens    []int            // sequence lengths
	masks   []*tensor.Tensor // dropout mask of each layer's output (nil: none)
	in      []bool           // which inputs were given
	grads   []*tensor.Tensor // the output gradients of the memoised backward
	inGrad  []*tensor.Tensor
	pGrad   []ParamGrad
}

func newRecurrent(cell tensor.RecurrentCell, rng *rand.Rand, in, hidden int, opts []RecurrentOption) *recurrent {
	r := &recurrent{InputSize: in, HiddenSize: hidden, NumLayers: 1, cell: cell, training: true}
	if cell == tensor.CellRNN {
		r.act = tensor.ActTanh
	}
	for _, o := range opts {
		o(r)
	}
	if in <= 0 || hidden <= 0 || r.NumLayers <= 0 {
		panic(&LayerError{Layer: cell.String(), Msg: fmt.Sprintf("sizes must be positive: input %d, hidden %d, layers %d", in, hidden, r.NumLayers)})
	}
	if !(r.Dropout >= 0 && r.Dropout <= 1) {
		panic(&LayerError{Layer: cell.String(), Msg: fmt.Sprintf("dropout probability %v outside [0, 1]", r.Dropout)})
	}
	g := cell.Gates() * hidden
	bound := 1 / math.Sqrt(float64(hidden))
	for k := 0; k < r.NumLayers; k++ {
		ik := in
		if k > 0 {
			ik = r.dirs() * hidden
		}
		var ws []RecurrentWeights
		for d := 0; d < r.dirs(); d++ {
			w := RecurrentWeights{
				WeightIH: tensor.ZerosOf(tensor.Float32, g, ik), WeightHH: tensor.ZerosOf(tensor.Float32, g, hidden),
				BiasIH: tensor.ZerosOf(tensor.Float32, g),
			}
			ts := []*tensor.Tensor{w.WeightIH, w.WeightHH, w.BiasIH}
			if !r.oneBias {
				w.BiasHH = tensor.ZerosOf(tensor.Float32, g)
				ts = append(ts, w.BiasHH)
			}
			for _, t := range ts {
				Uniform(-bound, bound)(rng, t)
				t.SetRequiresGrad(true)
			}
			ws = append(ws, w)
		}
		r.Weights = append(r.Weights, ws)
	}
	if r.Dropout > 0 && r.NumLayers > 1 {
		r.rng = tensor.NewRand(rng.Uint64())
	}
	return r
}

// dirs returns D, the number of directions.
func (r *recurrent) dirs() int {
	if r.Bidirectional {
		return 2
	}
	return 1
}

// Name returns "RNN", "LSTM" or "GRU".
func (r *recurrent) Name() string { return r.cell.String() }

// Params returns the weights with PyTorch's names, layer by layer,
// forward direction first.
func (r *recurrent) Params() []Param {
	var ps []Param
	for k, ws := range r.Weights {
		for d, w := range ws {
			sfx := fmt.Sprintf("_l%d", k)
			if d == 1 {
				sfx += "_reverse"
			}
			ps = append(ps, Param{"weight_ih" + sfx, w.WeightIH}, Param{"weight_hh" + sfx, w.WeightHH},
				Param{"bias_ih" + sfx, w.BiasIH})
			if w.BiasHH != nil {
				ps = append(ps, Param{"bias_hh" + sfx, w.BiasHH})
			}
		}
	}
	return ps
}

// SetTraining switches inter-layer dropout on (training) or off.
func (r *recurrent) SetTraining(training bool) { r.training = training }

// numIn returns the number of inputs ForwardN takes.
func (r *recurrent) numIn() int {
	if r.cell == tensor.CellLSTM {
		return 4
	}
	return 3
}

// recInputs are ForwardN's inputs, checked, with x time first.
type recInputs struct {
	x, h0, c0, lengths *tensor.Tensor
	in                 []bool // which inputs were given
}

// prepare checks ForwardN's (or Unroll's) inputs.
func (r *recurrent) prepare(inputs []*tensor.Tensor) recInputs {
	name := r.Name()
	if len(inputs) == 0 || len(inputs) > r.numIn() || inputs[0] == nil {
		panic(&LayerError{Layer: name, Msg: fmt.Sprintf("takes x and up to %d optional inputs, got %d", r.numIn()-1, len(inputs))})
	}
	in := make([]*tensor.Tensor, r.numIn())
	copy(in, inputs)
	x, h0, lengths := in[0], in[1], in[len(in)-1]
	var c0 *tensor.Tensor
	if r.cell == tensor.CellLSTM {
		c0 = in[2]
	}
	if x.NDim() != 3 || x.Dim(2) != r.InputSize {
		panic(&tensor.ShapeError{Op: name, Shapes: [][]int{x.Shape()}, Msg: fmt.Sprintf("input must be [T, N, %d] (or [N, T, %d] batch first)", r.InputSize, r.InputSize)})
	}
	if r.BatchFirst {
		x = tensor.Permute(x, 1, 0, 2)
	}
	N, L, D, H := x.Dim(1), r.NumLayers, r.dirs(), r.HiddenSize
	for _, s := range []*tensor.Tensor{h0, c0} {
		if s != nil && (s.NDim() != 3 || s.Dim(0) != L*D || s.Dim(1) != N || s.Dim(2) != H) {
			panic(&tensor.ShapeError{Op: name, Shapes: [][]int{x.Shape(), s.Shape()}, Msg: fmt.Sprintf("initial states must be [%d, %d, %d]", L*D, N, H)})
		}
	}
	ri := recInputs{x: x, h0: h0, c0: c0, lengths: lengths, in: make([]bool, len(in))}
	for i, t := range in {
		ri.in[i] = t != nil
	}
	return ri
}

// stateAt returns state i [N, H] of s [L·D, N, H], nil for nil.
func stateAt(s *tensor.Tensor, i int) *tensor.Tensor {
	if s == nil {
		return nil
	}
	return tensor.Reshape(tensor.Slice(s, 0, i, i+1), s.Dim(1), s.Dim(2))
}

// ForwardN runs the layer: inputs x, h0[, c0], lengths; outputs out, hN[, cN].
func (r *recurrent) ForwardN(inputs ...*tensor.Tensor) []*tensor.Tensor {
	ri := r.prepare(inputs)
	x, h0, c0, lengths := ri.x, ri.h0, ri.c0, ri.lengths
	L, D := r.NumLayers, r.dirs()
	call := &recCall{in: ri.in, lens: seqLengths(x.Dim(0), x.Dim(1), lengths)}
	var hN, cN []*tensor.Tensor
	layerIn := x
	for k := 0; k < L; k++ {
		call.layerIn = append(call.layerIn, layerIn)
		outs := make([]*tensor.Tensor, D)
		for d := 0; d < D; d++ {
			w := r.Weights[k][d]
			cfg := tensor.RecurrentConfig{Cell: r.cell, Act: r.act, Reverse: d == 1}
			hs, cs := stateAt(h0, k*D+d), stateAt(c0, k*D+d)
			call.h0, call.c0 = append(call.h0, hs), append(call.c0, cs)
			run := tensor.Recurrent(cfg, layerIn, w.WeightIH, w.WeightHH, w.BiasIH, w.BiasHH, hs, cs, lengths)
			outs[d] = run.Out
			hN = append(hN, run.HN)
			cN = append(cN, run.CN)
		}
		out := outs[0]
		if D == 2 {
			out = tensor.Concat(2, outs...)
		}
		var mask *tensor.Tensor
		if k < L-1 && r.training && r.Dropout > 0 {
			out, mask = tensor.DropoutMask(out, r.Dropout, r.rng)
		}
		call.masks = append(call.masks, mask)
		layerIn = out
	}
	out := layerIn
	if r.BatchFirst {
		out = tensor.Permute(out, 1, 0, 2)
	}
	r.last = call
	res := []*tensor.Tensor{out, tensor.Stack(0, hN...)}
	if r.cell == tensor.CellLSTM {
		res = append(res, tensor.Stack(0, cN...))
	}
	return res
}

// backward is the explicit backpropagation through time over all layers
// and directions, written out step by step (rnn_explicit.go): for each
// layer from the top and each direction it runs that direction's forward
// pass again step by step from the layer's input kept by ForwardN (the
// fused op of ForwardN keeps its own intermediates) and then
// stepper.bptt. It is memoised for the output gradients it was last given
// (BackwardInputsN and BackwardParamsN share one pass: calling both with
// the same gradient tensors runs it once; gradients changed in place
// between the two calls are not seen).
func (r *recurrent) backward(grads []*tensor.Tensor) {
	name := r.Name()
	c := r.last
	if c == nil {
		mustInput(name, nil)
	}
	nOut := r.numIn() - 1
	if len(grads) != nOut {
		panic(&LayerError{Layer: name, Msg: fmt.Sprintf("has %d outputs, got %d gradients", nOut, len(grads))})
	}
	if c.grads != nil && slices.Equal(c.grads, grads) {
		return
	}
	L, D, H := r.NumLayers, r.dirs(), r.HiddenSize
	tensor.NoGrad(func() {
		dOut := grads[0]
		if dOut != nil && r.BatchFirst {
			dOut = tensor.Permute(dOut, 1, 0, 2)
		}
		state := func(g *tensor.Tensor, i int) *tensor.Tensor {
			if g == nil {
				return nil
			}
			return tensor.Reshape(tensor.Slice(g, 0, i, i+1), g.Dim(1), H)
		}
		var cGrad *tensor.Tensor
		if r.cell == tensor.CellLSTM {
			cGrad = grads[2]
		}
		dh0 := make([]*tensor.Tensor, L*D)
		dc0 := make([]*tensor.Tensor, L*D)
		pg := make([][]ParamGrad, L)
		for k := L - 1; k >= 0; k-- {
			if dOut != nil && c.masks[k] != nil {
				dOut = tensor.Mul(dOut, c.masks[k])
			}
			var dIn *tensor.Tensor
			for d := 0; d < D; d++ {
				var dOutD *tensor.Tensor
				if dOut != nil {
					dOutD = dOut
					if D == 2 {
						dOutD = tensor.Slice(dOut, 2, d*H, (d+1)*H)
					}
				}
				st := r.stepper(k, d)
				run := st.run(c.layerIn[k], c.h0[k*D+d], c.c0[k*D+d], c.lens, d == 1, false, "")
				g := st.bptt(run, dOutD, state(grads[1], k*D+d), state(cGrad, k*D+d))
				dh0[k*D+d], dc0[k*D+d] = g.H0, g.C0
				w := r.Weights[k][d]
				sfx := fmt.Sprintf("_l%d", k)
				if d == 1 {
					sfx += "_reverse"
				}
				pg[k] = append(pg[k], ParamGrad{"weight_ih" + sfx, w.WeightIH, g.WeightIH}, ParamGrad{"weight_hh" + sfx, w.WeightHH, g.WeightHH},
					ParamGrad{"bias_ih" + sfx, w.BiasIH, g.BiasIH})
				if w.BiasHH != nil {
					pg[k] = append(pg[k], ParamGrad{"bias_hh" + sfx, w.BiasHH, g.BiasHH})
				}
				if dIn == nil {
					dIn = g.X
				} else {
					dIn = tensor.Add(dIn, g.X)
				}
			}
			dOut = dIn
		}
		if r.BatchFirst {
			dOut = tensor.Permute(dOut, 1, 0, 2)
		}
		c.inGrad = make([]*tensor.Tensor, r.numIn())
		c.inGrad[0] = dOut
		if c.in[1] {
			c.inGrad[1] = tensor.Stack(0, dh0...)
		}
		if r.cell == tensor.CellLSTM && c.in[2] {
			c.inGrad[2] = tensor.Stack(0, dc0...)
		}
		c.pGrad = nil
		for _, p := range pg {
			c.pGrad = append(c.pGrad, p...)
		}
	})
	c.grads = append([]*tensor.Tensor(nil), grads...)
}

// BackwardInputsN returns ∂L/∂x, ∂L/∂h0 (and ∂L/∂c0) for the last
// ForwardN, nil for an omitted state and for lengths, given the gradients
// of out, hN (and cN), nil for zeros.
func (r *recurrent) BackwardInputsN(grads []*tensor.Tensor) []*tensor.Tensor {
	r.backward(grads)
	return append([]*tensor.Tensor(nil), r.last.inGrad...)
}

// BackwardParamsN returns the gradients of every weight for the last
// ForwardN, in Params order.
func (r *recurrent) BackwardParamsN(grads []*tensor.Tensor) []ParamGrad {
	r.backward(grads)
	return append([]ParamGrad(nil), r.last.pGrad...)
}

// stepper returns the step-by-step machinery of layer k, direction d.
func (r *recurrent) stepper(k, d int) *stepper {
	return &stepper{kind: r.cell, act: r.act, w: r.Weights[k][d], h: r.HiddenSize}
}

// seqLengths returns the N sequence lengths that lengths gives (all T when
// nil), panicking with a typed error unless lengths is Int64 [N] with
// values in [0, T].
func seqLengths(T, N int, lengths *tensor.Tensor) []int {
	lens := make([]int, N)
	for i := range lens {
		lens[i] = T
	}
	if lengths == nil {
		return lens
	}
	if lengths.DType() != tensor.Int64 {
		panic(&tensor.DTypeError{Op: "recurrent lengths", DTypes: []tensor.DType{lengths.DType()}, Shapes: [][]int{lengths.Shape()}, Msg: "lengths must be an Int64 tensor"})
	}
	if lengths.NDim() != 1 || lengths.Dim(0) != N {
		panic(&tensor.ShapeError{Op: "recurrent lengths", Shapes: [][]int{lengths.Shape()}, Msg: fmt.Sprintf("lengths must be [N] = [%d]", N)})
	}
	for i, v := range lengths.Int64s() {
		if v < 0 || v > int64(T) {
			panic(&tensor.ShapeError{Op: "recurrent lengths", Shapes: [][]int{lengths.Shape()}, Msg: fmt.Sprintf("length %d outside [0, %d]", v, T)})
		}
		lens[i] = int(v)
	}
	return lens
}
