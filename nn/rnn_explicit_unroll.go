package nn

import (
	"fmt"

	"github.com/duboko/duboko/tensor"
)

// Unroller is a recurrent layer or cell that can run its forward pass
// step by step with every elementary op recorded (RNN, LSTM, GRU and their
// cells): graph.Unrolled draws it and graph.TraceSteps prints its states.
type Unroller interface {
	MultiModule
	// Unroll takes ForwardN's inputs and returns the same outputs, computed
	// one step at a time, with every step's states.
	Unroll(inputs ...*tensor.Tensor) *Unrolled
}

// Unrolled is a recurrent forward pass written out step by step.
type Unrolled struct {
	// Outputs are what ForwardN returns for the same inputs (out, hN and,
	// for the LSTM, cN; a cell: h' and c').
	Outputs []*tensor.Tensor
	// Steps[k][d] are layer k's steps in direction d (1: reverse), in the
	// order they ran (t = T−1 … 0 for the reverse direction).
	Steps [][][]RecurrentStep
	// Layers and Directions are the numbers of layers and directions.
	Layers, Directions int
}

// RecurrentStep is one step of one layer in one direction.
type RecurrentStep struct {
	Layer   int  // layer index from 0
	Reverse bool // the reverse direction of a bidirectional layer
	T       int  // time index from 0 (the exam's h_{T+1})
	// X is the step's input x_t [N, I_k]; H (and C for the LSTM) the state
	// after the step [N, H], unchanged from the previous step for a
	// sequence past its length.
	X, H, C *tensor.Tensor
	// Gates are the gates after their nonlinearities, named as PyTorch
	// orders them (LSTM i, f, g, o; GRU r, z, n); for an RNN, its
	// pre-activation a = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh (h_t = f(a)).
	Gates []Param
}

// tag returns the suffix naming the tensors of layer k, direction d of a
// layer with L layers and D directions: none for one layer and direction,
// else "_lk" with "r" for reverse (h3_l1r is layer 1's reverse state at
// t = 3).
func stepTag(k, d, L, D int) string {
	if L == 1 && D == 1 {
		return ""
	}
	t := fmt.Sprintf("_l%d", k)
	if d == 1 {
		t += "r"
	}
	return t
}

// steps converts a direction's run into RecurrentSteps.
func (s *stepper) steps(run *dirRun, k int, reverse bool) []RecurrentStep {
	out := make([]RecurrentStep, len(run.steps))
	for i, c := range run.steps {
		st := RecurrentStep{Layer: k, Reverse: reverse, T: run.times[i], X: c.x, H: run.states[i][0], C: run.states[i][1]}
		switch s.kind {
		case tensor.CellRNN:
			st.Gates = []Param{{"a", c.a}}
		case tensor.CellLSTM:
			st.Gates = []Param{{"i", c.i}, {"f", c.f}, {"g", c.g}, {"o", c.o}}
		case tensor.CellGRU:
			st.Gates = []Param{{"r", c.r}, {"z", c.z}, {"n", c.n}}
		}
		out[i] = st
	}
	return out
}

// Unroll runs the layer as ForwardN does (same inputs, same outputs) but
// one step at a time with elementary recorded ops: each step is
// W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh followed by the cell's gates, all
// steps sharing the layer's weights. Autodiff runs through it; it is what
// graph.Unrolled draws and graph.TraceSteps prints. The tensors are named
// x1, h1, c1, i1, … by step number (from 1, as the exam counts), with a
// suffix _lk (and r for the reverse direction) when the layer has several
// layers or directions. Much slower than ForwardN: meant for small inputs.
// Unroll leaves the explicit backward methods referring to the last
// ForwardN (differentiate an unrolled pass with autodiff).
func (r *recurrent) Unroll(inputs ...*tensor.Tensor) *Unrolled {
	ri := r.prepare(inputs)
	x, h0, c0 := ri.x, ri.h0, ri.c0
	L, D := r.NumLayers, r.dirs()
	lens := seqLengths(x.Dim(0), x.Dim(1), ri.lengths)
	u := &Unrolled{Layers: L, Directions: D}
	var hN, cN []*tensor.Tensor
	layerIn := x
	for k := 0; k < L; k++ {
		outs := make([]*tensor.Tensor, D)
		var steps [][]RecurrentStep
		for d := 0; d < D; d++ {
			st := r.stepper(k, d)
			run := st.run(layerIn, stateAt(h0, k*D+d), stateAt(c0, k*D+d), lens, d == 1, true, stepTag(k, d, L, D))
			outs[d] = run.out
			hN, cN = append(hN, run.hN), append(cN, run.cN)
			steps = append(steps, st.steps(run, k, d == 1))
		}
		u.Steps = append(u.Steps, steps)
		out := outs[0]
		if D == 2 {
			out = tensor.Concat(2, outs...)
		}
		if k < L-1 && r.training && r.Dropout > 0 {
			out, _ = tensor.DropoutMask(out, r.Dropout, r.rng)
		}
		layerIn = out
	}
	out := layerIn
	if r.BatchFirst {
		out = tensor.Permute(out, 1, 0, 2)
	}
	u.Outputs = []*tensor.Tensor{out.SetName("out"), tensor.Stack(0, hN...).SetName("hN")}
	if r.cell == tensor.CellLSTM {
		u.Outputs = append(u.Outputs, tensor.Stack(0, cN...).SetName("cN"))
	}
	return u
}

// Unroll runs the cell over a sequence: x [T, N, I] and optional states
// h0 (and c0) [N, H], one ForwardN per step with the same weights, written
// out with elementary recorded ops as the layers' Unroll. Outputs: the
// states after the last step, h (and c).
func (c *cell) Unroll(inputs ...*tensor.Tensor) *Unrolled {
	name := c.Name()
	if len(inputs) == 0 || len(inputs) > c.numIn() || inputs[0] == nil {
		panic(&LayerError{Layer: name, Msg: fmt.Sprintf("Unroll takes x [T, N, I] and up to %d states, got %d inputs", c.numIn()-1, len(inputs))})
	}
	in := make([]*tensor.Tensor, c.numIn())
	copy(in, inputs)
	x := in[0]
	if x.NDim() != 3 || x.Dim(2) != c.InputSize {
		panic(&tensor.ShapeError{Op: name + " Unroll", Shapes: [][]int{x.Shape()}, Msg: fmt.Sprintf("input must be [T, N, %d]", c.InputSize)})
	}
	var c0 *tensor.Tensor
	if c.kind == tensor.CellLSTM {
		c0 = in[2]
	}
	st := &stepper{kind: c.kind, act: c.act, w: c.RecurrentWeights, h: c.HiddenSize}
	lens := seqLengths(x.Dim(0), x.Dim(1), nil)
	run := st.run(x, in[1], c0, lens, false, true, "")
	u := &Unrolled{Layers: 1, Directions: 1, Steps: [][][]RecurrentStep{{st.steps(run, 0, false)}}}
	u.Outputs = []*tensor.Tensor{run.hN}
	if c.kind == tensor.CellLSTM {
		u.Outputs = append(u.Outputs, run.cN)
	}
	return u
}
