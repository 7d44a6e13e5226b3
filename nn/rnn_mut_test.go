package nn_test

import (
	"errors"
	"fmt"
	"testing"

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
			checkCellExplicit(t, fmt.Sprintf("%s cell, %d inputs,", kind, len(ins)), cl, ins)
		}
	}
}

// TestCellArgumentErrors: a cell refuses layer options, too many inputs
// (to ForwardN and Unroll) and a wrong number of output gradients, each
// with a LayerError that names the cell and the counts, and Unroll of an x
// that is not [T, N, I] with a ShapeError.
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
		xs := tensor.Zeros(4, 2, 3)
		mustLayerError(t, fmt.Sprintf("%s: Unroll takes x [T, N, I] and up to %d states, got %d inputs", name, states, states+2), func() {
			cl.(nn.Unroller).Unroll(append([]*tensor.Tensor{xs}, ins[1:]...)...)
		})
		func() {
			defer func() {
				var se *tensor.ShapeError
				if err, _ := recover().(error); !errors.As(err, &se) || se.Op != name+" Unroll" {
					t.Errorf("%s: Unroll of a 2-D x: recovered %v, want a ShapeError of %s Unroll", name, err, name)
				}
			}()
			cl.(nn.Unroller).Unroll(x)
		}()
		cl.ForwardN(x)
		mustLayerError(t, fmt.Sprintf("%s: has %d outputs, got %d gradients", name, states, states+1), func() {
			cl.BackwardInputsN(make([]*tensor.Tensor, states+1))
		})
	}
}

// TestUnrollLayersDirectionsAndDropout: in a two-layer bidirectional RNN's
// Unroll, each step records its layer and direction, and in training mode
// the second layer's inputs are the first layer's outputs (both directions)
// through inter-layer dropout (each element 0 or doubled, at p = 0.5),
// while the last layer's output has none; in evaluation mode the inputs are
// the outputs unchanged.
func TestUnrollLayersDirectionsAndDropout(t *testing.T) {
	const T, N, I, H = 4, 3, 2, 3
	m := nn.NewRNN(tensor.NewRand(8), I, H, nn.NumLayers(2), nn.Bidirectional(), nn.InterLayerDropout(0.5))
	nn.To(m, tensor.Float64)
	x := randF64(1, T, N, I)
	for _, training := range []bool{true, false} {
		m.SetTraining(training)
		u := m.Unroll(x)
		below := map[int][]float64{} // layer 0's output at each time: [N, 2H]
		for k, layer := range u.Steps {
			for d, dir := range layer {
				for _, st := range dir {
					if st.Layer != k || st.Reverse != (d == 1) {
						t.Fatalf("layer %d direction %d: step says layer %d, reverse %v", k, d, st.Layer, st.Reverse)
					}
					if k == 0 {
						h := st.H.Values()
						if below[st.T] == nil {
							below[st.T] = make([]float64, N*2*H)
						}
						for n := range N {
							copy(below[st.T][n*2*H+d*H:n*2*H+(d+1)*H], h[n*H:(n+1)*H])
						}
					}
				}
			}
		}
		zeros := 0
		for _, st := range u.Steps[1][0] {
			for i, v := range st.X.Values() {
				w := below[st.T][i]
				switch {
				case training && v == 0:
					zeros++
				case training && v == 2*w, !training && v == w:
				default:
					t.Fatalf("training %v: layer 1's input at t=%d, element %d = %v, layer 0's output %v", training, st.T, i, v, w)
				}
			}
		}
		if training && zeros == 0 {
			t.Errorf("training: no element of layer 1's inputs was dropped")
		}
		for _, v := range u.Outputs[0].Values() {
			if v == 0 {
				t.Fatalf("training %v: the last layer's output has a zero: dropout after the last layer", training)
			}
		}
	}
}
