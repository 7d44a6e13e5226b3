package nn_test

import (
	"fmt"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// namedLeaves returns the names of the tensors without a recorded op that
// y's graph reaches.
func namedLeaves(y *tensor.Tensor) map[string]bool {
	names := map[string]bool{}
	seen := map[*tensor.Tensor]bool{}
	var walk func(t *tensor.Tensor)
	walk = func(t *tensor.Tensor) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		in := t.Inputs()
		if len(in) == 0 && t.Name() != "" {
			names[t.Name()] = true
		}
		for _, x := range in {
			walk(x)
		}
	}
	walk(y)
	return names
}

// TestUnrollNamesInputsAndInitialStates: Unroll names each step's input
// x1, x2, … and the zero initial states it creates h0 (and c0), which is
// how graph.Unrolled labels them; initial states the caller named and
// handed to a cell keep their names.
func TestUnrollNamesInputsAndInitialStates(t *testing.T) {
	const T, N, I, H = 3, 2, 3, 2
	m := nn.NewLSTM(tensor.NewRand(1), I, H)
	nn.To(m, tensor.Float64)
	x := rnd(1, T, N, I).SetRequiresGrad(true)
	u := m.Unroll(x)
	for i, st := range u.Steps[0][0] {
		if want := fmt.Sprintf("x%d", i+1); st.X.Name() != want {
			t.Errorf("step %d: input named %q, want %q", i+1, st.X.Name(), want)
		}
	}
	if got := namedLeaves(u.Steps[0][0][0].H); !got["h0"] || !got["c0"] {
		t.Errorf("zero initial states: leaves named %v, want h0 and c0 among them", got)
	}
	cl := nn.NewLSTMCell(tensor.NewRand(1), I, H)
	nn.To(cl, tensor.Float64)
	h0 := rnd(2, N, H).SetName("start")
	c0 := rnd(3, N, H).SetName("cell")
	u = cl.Unroll(x, h0, c0)
	if got := namedLeaves(u.Steps[0][0][0].H); !got["start"] || !got["cell"] || got["h0"] || got["c0"] {
		t.Errorf("a cell's named initial states: leaves named %v, want start and cell kept", got)
	}
}

// TestCellExplicitWithoutStates: a cell's explicit backward when its states
// were omitted (zeros): x's gradient and the parameters' against central
// differences, for every cell, with no state and (LSTM) with h alone.
func TestCellExplicitWithoutStates(t *testing.T) {
	const N, I, H = 2, 3, 2
	rng := tensor.NewRand(6)
	cells := map[string]nn.MultiModule{"RNN": nn.NewRNNCell(rng, I, H), "LSTM": nn.NewLSTMCell(rng, I, H), "GRU": nn.NewGRUCell(rng, I, H)}
	for kind, cl := range cells {
		nn.To(cl, tensor.Float64)
		inputs := [][]*tensor.Tensor{{randF64(1, N, I)}}
		if kind == "LSTM" {
			inputs = append(inputs, []*tensor.Tensor{randF64(1, N, I), randF64(2, N, H)})
		}
		for _, ins := range inputs {
			ys := cl.ForwardN(ins...)
			gs := make([]*tensor.Tensor, len(ys))
			for i, y := range ys {
				gs[i] = randF64(uint64(5+i), y.Shape()...)
			}
			gin, pg := cl.BackwardInputsN(gs), cl.BackwardParamsN(gs)
			loss := func() float64 {
				var v float64
				tensor.NoGrad(func() { v = dot(cl.ForwardN(ins...), gs) })
				return v
			}
			for i, in := range ins {
				if d := gradcheck.RelError(gin[i].Values(), centralDiff(loss, in)); d > 1e-5 {
					t.Errorf("%s cell, %d inputs: input %d differs from central differences by %g", kind, len(ins), i, d)
				}
			}
			for _, p := range pg {
				if d := gradcheck.RelError(p.Grad.Values(), centralDiff(loss, p.Param)); d > 1e-5 {
					t.Errorf("%s cell, %d inputs: %s differs from central differences by %g", kind, len(ins), p.Name, d)
				}
			}
		}
	}
}

// TestCellArgumentErrors: a cell refuses layer options, too many inputs
// and a wrong number of output gradients, each with a LayerError that
// names the cell and the counts.
func TestCellArgumentErrors(t *testing.T) {
	rng := tensor.NewRand(7)
	for _, opt := range []nn.RecurrentOption{nn.NumLayers(2), nn.Bidirectional(), nn.BatchFirst(), nn.InterLayerDropout(0.5), nn.OneBiasPerGate()} {
		mustLayerError(t, "RNNCell: a cell takes no layer, direction, batch-first, dropout or bias option", func() {
			nn.NewRNNCell(rng, 3, 2, opt)
		})
	}
	cells := map[string]nn.MultiModule{"RNNCell": nn.NewRNNCell(rng, 3, 2), "LSTMCell": nn.NewLSTMCell(rng, 3, 2)}
	for name, cl := range cells {
		states := 1
		if name == "LSTMCell" {
			states = 2
		}
		x := tensor.Zeros(2, 3)
		ins := make([]*tensor.Tensor, states+2)
		ins[0] = x
		mustLayerError(t, fmt.Sprintf("%s: takes x and up to %d states, got %d inputs", name, states, states+2), func() { cl.ForwardN(ins...) })
		cl.ForwardN(x)
		mustLayerError(t, fmt.Sprintf("%s: has %d outputs, got %d gradients", name, states, states+1), func() {
			cl.BackwardInputsN(make([]*tensor.Tensor, states+1))
		})
	}
}
