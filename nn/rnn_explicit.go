package nn

import (
	"fmt"
	"reflect"
	"sync"

	"github.com/duboko/duboko/tensor"
)

// This file is the recurrent layers written out step by step, as students
// write them: a step's forward pass (stepper.step) with what its backward
// pass needs (stepCache), the step's backward pass (stepper.stepBackward),
// a direction's forward pass over a padded sequence (stepper.run) and
// backpropagation through time over it (stepper.bptt).
//
// The layers' ForwardN runs the fused op tensor.Recurrent (fast, and
// recorded for autodiff); their explicit BackwardInputsN / BackwardParamsN
// run this code instead, so the explicit interface and autodiff are two
// independent implementations that the tests compare. Unroll runs this
// forward pass with every elementary op recorded, for graphs drawn step by
// step and traces of the states.

// stepCache is what one step keeps for its backward pass.
type stepCache struct {
	x, h, c    *tensor.Tensor // the step's input x_t and the states it started from
	a, y       *tensor.Tensor // RNN: pre-activation a and h' = f(a)
	i, f, g, o *tensor.Tensor // LSTM gates after their nonlinearities
	tc         *tensor.Tensor // LSTM: tanh(c')
	r, z, n    *tensor.Tensor // GRU gates after their nonlinearities
	hn         *tensor.Tensor // GRU: W_hn h + b_hn, the term the reset gate scales
}

// stepper runs steps of one cell kind with one direction's weights.
type stepper struct {
	kind tensor.RecurrentCell
	act  tensor.Activation
	w    RecurrentWeights
	h    int // hidden size
}

// gate returns block j of a [N, G·H] tensor of stacked gates.
func (s *stepper) gate(t *tensor.Tensor, j int) *tensor.Tensor {
	return tensor.Slice(t, 1, j*s.h, (j+1)*s.h)
}

// oneMinus returns 1 − v.
func oneMinus(v *tensor.Tensor) *tensor.Tensor { return tensor.AddScalar(tensor.Neg(v), 1) }

// nameAs gives t a name when tag is not empty (graphs and traces read it).
func nameAs(t *tensor.Tensor, base, tag string) *tensor.Tensor {
	if tag != "" {
		t.SetName(base + tag)
	}
	return t
}

// step runs one step: x [N, I], h and c [N, H] (c for the LSTM only);
// it returns h' and c' (nil unless LSTM) and the cache of the step. With
// gradients enabled every op is recorded. tag, when not empty, names the
// step's tensors (h1, c1, i1, ...).
func (s *stepper) step(x, h, c *tensor.Tensor, tag string) (h2, c2 *tensor.Tensor, k stepCache) {
	k = stepCache{x: x, h: h, c: c}
	ax := tensor.Linear(x, s.w.WeightIH, s.w.BiasIH) // W_ih x + b_ih, all gates [N, G·H]
	ah := tensor.Linear(h, s.w.WeightHH, s.w.BiasHH) // W_hh h + b_hh
	switch s.kind {
	case tensor.CellRNN:
		k.a = nameAs(tensor.Add(ax, ah), "a", tag)
		k.y = nameAs(applyAct(s.act, k.a), "h", tag)
		return k.y, nil, k
	case tensor.CellLSTM:
		pre := tensor.Add(ax, ah)
		k.i = nameAs(tensor.Sigmoid(s.gate(pre, 0)), "i", tag)
		k.f = nameAs(tensor.Sigmoid(s.gate(pre, 1)), "f", tag)
		k.g = nameAs(tensor.Tanh(s.gate(pre, 2)), "g", tag)
		k.o = nameAs(tensor.Sigmoid(s.gate(pre, 3)), "o", tag)
		c2 = nameAs(tensor.Add(tensor.Mul(k.f, c), tensor.Mul(k.i, k.g)), "c", tag) // c' = f⊙c + i⊙g
		k.tc = tensor.Tanh(c2)
		return nameAs(tensor.Mul(k.o, k.tc), "h", tag), c2, k // h' = o⊙tanh(c')
	default: // GRU
		k.r = nameAs(tensor.Sigmoid(tensor.Add(s.gate(ax, 0), s.gate(ah, 0))), "r", tag)
		k.z = nameAs(tensor.Sigmoid(tensor.Add(s.gate(ax, 1), s.gate(ah, 1))), "z", tag)
		k.hn = s.gate(ah, 2)
		k.n = nameAs(tensor.Tanh(tensor.Add(s.gate(ax, 2), tensor.Mul(k.r, k.hn))), "n", tag)
		// h' = (1−z)⊙n + z⊙h, written n + z⊙(h − n)
		return nameAs(tensor.Add(k.n, tensor.Mul(k.z, tensor.Sub(h, k.n))), "h", tag), nil, k
	}
}

// stepBackward is one step's backward pass: given ∂L/∂h' and ∂L/∂c' (c'
// for the LSTM only, nil for zeros), it returns ∂L/∂x, ∂L/∂h and ∂L/∂c of
// the step's inputs and the gradients of the gates' pre-activations: dAx
// of W_ih x + b_ih and dAh of W_hh h + b_hh (the same except for the GRU's
// n gate, whose recurrent part the reset gate scales).
func (s *stepper) stepBackward(k stepCache, dh, dc *tensor.Tensor) (dx, dhPrev, dcPrev, dAx, dAh *tensor.Tensor) {
	switch s.kind {
	case tensor.CellRNN:
		dAx = tensor.Mul(dh, actDeriv(s.act, k.a, k.y)) // ∂L/∂a = ∂L/∂h' ⊙ f'(a)
		dAh = dAx
	case tensor.CellLSTM:
		dct := tensor.Mul(tensor.Mul(dh, k.o), oneMinus(tensor.Square(k.tc))) // through h' = o⊙tanh(c')
		if dc != nil {
			dct = tensor.Add(dct, dc)
		}
		di := tensor.Mul(dct, k.g)
		df := tensor.Mul(dct, k.c)
		dg := tensor.Mul(dct, k.i)
		do := tensor.Mul(dh, k.tc)
		dcPrev = tensor.Mul(dct, k.f)
		sigD := func(d, s *tensor.Tensor) *tensor.Tensor { return tensor.Mul(d, tensor.Mul(s, oneMinus(s))) } // σ' = σ(1−σ)
		dAx = tensor.Concat(1, sigD(di, k.i), sigD(df, k.f), tensor.Mul(dg, oneMinus(tensor.Square(k.g))), sigD(do, k.o))
		dAh = dAx
	default: // GRU
		dn := tensor.Mul(dh, oneMinus(k.z))
		dz := tensor.Mul(dh, tensor.Sub(k.h, k.n))
		dan := tensor.Mul(dn, oneMinus(tensor.Square(k.n)))
		dar := tensor.Mul(tensor.Mul(dan, k.hn), tensor.Mul(k.r, oneMinus(k.r)))
		daz := tensor.Mul(dz, tensor.Mul(k.z, oneMinus(k.z)))
		dAx = tensor.Concat(1, dar, daz, dan)
		dAh = tensor.Concat(1, dar, daz, tensor.Mul(dan, k.r))
	}
	dx = tensor.MatMul(dAx, s.w.WeightIH)
	dhPrev = tensor.MatMul(dAh, s.w.WeightHH)
	if s.kind == tensor.CellGRU {
		dhPrev = tensor.Add(dhPrev, tensor.Mul(dh, k.z)) // the z⊙h path
	}
	return dx, dhPrev, dcPrev, dAx, dAh
}

// dirRun is one direction's forward pass over a sequence, step by step.
type dirRun struct {
	steps  []stepCache
	times  []int            // the time index of each step, in the order run
	masks  []*tensor.Tensor // [N, 1] per step: 1 where the sequence runs it; nil when all do
	states [][2]*tensor.Tensor
	out    *tensor.Tensor // [T, N, H]
	hN, cN *tensor.Tensor
}

// lengthMask returns the [N, 1] mask of the sequences that run step t,
// nil when all do.
func lengthMask(dt tensor.DType, t int, lens []int) *tensor.Tensor {
	v := make([]float64, len(lens))
	all := true
	for n, l := range lens {
		if t < l {
			v[n] = 1
		} else {
			all = false
		}
	}
	if all {
		return nil
	}
	return tensor.FromValues(dt, v, len(lens), 1)
}

// run is the forward pass of one direction over x [T, N, I] from the
// states h0, c0 [N, H] (nil: zeros) for sequences of lengths lens. A
// sequence past its length keeps its state and outputs zeros:
// h_t = h_{t−1} + m⊙(h' − h_{t−1}) and out_t = m⊙h' with the step's mask m.
// The reverse direction runs t = T−1 … 0. When named, the step's tensors
// are named (see step) with the step's number and then tag appended: h1,
// h2, ... or h1_l0r; at a step that some sequences skip, the cell's result
// is the candidate h̃t (c̃t) and ht (ct) the state after the mask.
func (s *stepper) run(x, h0, c0 *tensor.Tensor, lens []int, reverse, named bool, tag string) *dirRun {
	T, N := x.Dim(0), x.Dim(1)
	dt := x.DType()
	h, c := h0, c0
	if h == nil {
		h = tensor.ZerosOf(dt, N, s.h)
	}
	if c == nil && s.kind == tensor.CellLSTM {
		c = tensor.ZerosOf(dt, N, s.h)
	}
	if named { // the initial states: h0, c0 (with the tag)
		if h.Name() == "" {
			h.SetName("h0" + tag)
		}
		if c != nil && c.Name() == "" {
			c.SetName("c0" + tag)
		}
	}
	d := &dirRun{}
	outs := make([]*tensor.Tensor, T)
	for i := range T {
		t := i
		if reverse {
			t = T - 1 - i
		}
		st := ""
		if named {
			st = fmt.Sprint(t+1) + tag
		}
		xt := tensor.Reshape(tensor.Slice(x, 0, t, t+1), N, x.Dim(2))
		if st != "" {
			xt.SetName("x" + st)
		}
		h2, c2, k := s.step(xt, h, c, st)
		m := lengthMask(dt, t, lens)
		if m == nil {
			h, c, outs[t] = h2, c2, h2
		} else { // the step's result is a candidate (h̃1) that the mask keeps or not (h1)
			nameAs(h2, "h̃", st)
			h = nameAs(tensor.Add(h, tensor.Mul(m, tensor.Sub(h2, h))), "h", st)
			if c != nil {
				nameAs(c2, "c̃", st)
				c = nameAs(tensor.Add(c, tensor.Mul(m, tensor.Sub(c2, c))), "c", st)
			}
			outs[t] = tensor.Mul(m, h2)
		}
		d.steps = append(d.steps, k)
		d.times = append(d.times, t)
		d.masks = append(d.masks, m)
		d.states = append(d.states, [2]*tensor.Tensor{h, c})
	}
	d.out = tensor.Stack(0, outs...)
	d.hN, d.cN = h, c
	return d
}

// bpttGrads are the gradients of one direction's inputs: the sequence X,
// the weights, and the initial states H0 and C0 (LSTM only; zeros
// included), with BiasHH nil under one bias per gate.
type bpttGrads struct {
	X, WeightIH, WeightHH, BiasIH, BiasHH, H0, C0 *tensor.Tensor
}

// bptt is backpropagation through time over the direction's run, given
// ∂L/∂out [T, N, H], ∂L/∂hN and ∂L/∂cN [N, H] (any nil for zeros). It
// walks the steps in the reverse of the order they ran, carrying ∂L/∂h
// (and ∂L/∂c) from each step to the one before, and sums the weights'
// gradients over the steps, since every step uses the same weights.
func (s *stepper) bptt(d *dirRun, dOut, dHN, dCN *tensor.Tensor) bpttGrads {
	T := len(d.steps)
	x0 := d.steps[0].x
	N, dt := x0.Dim(0), x0.DType()
	zeros := func(shape ...int) *tensor.Tensor { return tensor.ZerosOf(dt, shape...) }
	g := bpttGrads{
		WeightIH: zeros(s.w.WeightIH.Shape()...), WeightHH: zeros(s.w.WeightHH.Shape()...),
		BiasIH: zeros(s.w.BiasIH.Shape()...),
	}
	if s.w.BiasHH != nil {
		g.BiasHH = zeros(s.w.BiasHH.Shape()...)
	}
	dh, dc := dHN, dCN // ∂L/∂ of the state after the current step
	if dh == nil {
		dh = zeros(N, s.h)
	}
	if dc == nil && s.kind == tensor.CellLSTM {
		dc = zeros(N, s.h)
	}
	dxs := make([]*tensor.Tensor, T)
	for i := T - 1; i >= 0; i-- {
		k, t, m := d.steps[i], d.times[i], d.masks[i]
		// ∂L/∂h' of the step's new state: through h_t and through out_t.
		dh2, dc2 := dh, dc
		if dOut != nil {
			dh2 = tensor.Add(dh2, tensor.Reshape(tensor.Slice(dOut, 0, t, t+1), N, s.h))
		}
		if m != nil {
			dh2 = tensor.Mul(m, dh2)
			if dc2 != nil {
				dc2 = tensor.Mul(m, dc2)
			}
		}
		dx, dhPrev, dcPrev, dAx, dAh := s.stepBackward(k, dh2, dc2)
		if m != nil { // sequences past their end pass ∂L/∂h_t on unchanged
			dhPrev = tensor.Add(dhPrev, tensor.Mul(oneMinus(m), dh))
			if dc != nil {
				dcPrev = tensor.Add(dcPrev, tensor.Mul(oneMinus(m), dc))
			}
		}
		dxs[t] = dx
		dh, dc = dhPrev, dcPrev
		g.WeightIH = tensor.Add(g.WeightIH, tensor.MatMul(tensor.T(dAx), k.x))
		g.WeightHH = tensor.Add(g.WeightHH, tensor.MatMul(tensor.T(dAh), k.h))
		g.BiasIH = tensor.Add(g.BiasIH, tensor.Sum(dAx, 0))
		if g.BiasHH != nil {
			g.BiasHH = tensor.Add(g.BiasHH, tensor.Sum(dAh, 0))
		}
	}
	g.X = tensor.Stack(0, dxs...)
	g.H0, g.C0 = dh, dc
	return g
}

// builtinActs are the activations drawn with their own ops (tanh, σ,
// ReLU) rather than as a custom op.
var builtinActs = []struct {
	act tensor.Activation
	op  func(*tensor.Tensor) *tensor.Tensor
}{{tensor.ActTanh, tensor.Tanh}, {tensor.ActSigmoid, tensor.Sigmoid}, {tensor.ActReLU, tensor.ReLU}}

func sameFunc(a, b any) bool { return reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer() }

// actOps holds one OpDef per user activation name (CustomOp wants them
// declared once).
var actOps sync.Map

// applyAct returns f(a), recorded as tanh, σ or ReLU for those
// activations and as a custom op named after the activation otherwise.
func applyAct(act tensor.Activation, a *tensor.Tensor) *tensor.Tensor {
	for _, b := range builtinActs {
		if sameFunc(act.F, b.act.F) && sameFunc(act.D, b.act.D) {
			return b.op(a)
		}
	}
	vals := a.Values()
	for i, v := range vals {
		vals[i] = act.F(v)
	}
	y := tensor.FromValues(a.DType(), vals, a.Shape()...)
	def, _ := actOps.LoadOrStore(act.Name, &tensor.OpDef{Name: act.Name, Symbol: act.Name,
		Counts: func(_ *tensor.Op, out []int, _ [][]int) tensor.Counts {
			return tensor.Counts{Other: int64(numel(out))}
		},
		Jacobian: func(_ *tensor.Op, out []int, _ [][]int, _ int) tensor.Structure {
			return tensor.NewStructure(tensor.StructDiagonal, numel(out), numel(out), int64(numel(out)))
		},
		Field: func(*tensor.Op, []int, [][]int) tensor.FieldRule { return tensor.FieldRule{Kind: tensor.FieldSame} },
	})
	return tensor.CustomOp(def.(*tensor.OpDef), y, []*tensor.Tensor{a}, func(g *tensor.Tensor) []*tensor.Tensor {
		return []*tensor.Tensor{tensor.Mul(g, actDeriv(act, a, y))}
	})
}

// actDeriv returns f'(a) element-wise, given a and y = f(a).
func actDeriv(act tensor.Activation, a, y *tensor.Tensor) *tensor.Tensor {
	av, yv := a.Values(), y.Values()
	for i := range av {
		av[i] = act.D(av[i], yv[i])
	}
	return tensor.FromValues(a.DType(), av, a.Shape()...)
}
