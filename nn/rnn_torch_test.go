package nn_test

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// rnnTorchCase is one torch.nn.RNN/LSTM/GRU (or …Cell) run by
// testdata/gen_rnn.py, in float64.
type rnnTorchCase struct {
	Name          string `json:"name"`
	Kind          string `json:"kind"`
	Cell          bool   `json:"cell"`
	Nonlinearity  string `json:"nonlinearity"`
	InputSize     int    `json:"input_size"`
	Hidden        int    `json:"hidden"`
	Layers        int    `json:"layers"`
	Bidirectional bool   `json:"bidirectional"`
	BatchFirst    bool   `json:"batch_first"`
	T, N          int
	Lengths       []int `json:"lengths"`
	X, H0, C0     []float64
	Params        map[string]struct {
		Shape []int     `json:"shape"`
		Data  []float64 `json:"data"`
	} `json:"params"`
	Out, HN, CN           []float64
	GOut, GHN, GCN        []float64
	GradX, GradH0, GradC0 []float64
	GradParams            map[string][]float64 `json:"grad_params"`
}

func (c *rnnTorchCase) UnmarshalJSON(b []byte) error {
	type plain rnnTorchCase
	var aux struct {
		plain
		X      []float64 `json:"x"`
		H0     []float64 `json:"h0"`
		C0     []float64 `json:"c0"`
		Out    []float64 `json:"out"`
		HN     []float64 `json:"hN"`
		CN     []float64 `json:"cN"`
		GOut   []float64 `json:"g_out"`
		GHN    []float64 `json:"g_hN"`
		GCN    []float64 `json:"g_cN"`
		GradX  []float64 `json:"grad_x"`
		GradH0 []float64 `json:"grad_h0"`
		GradC0 []float64 `json:"grad_c0"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*c = rnnTorchCase(aux.plain)
	c.X, c.H0, c.C0, c.Out, c.HN, c.CN = aux.X, aux.H0, aux.C0, aux.Out, aux.HN, aux.CN
	c.GOut, c.GHN, c.GCN, c.GradX, c.GradH0, c.GradC0 = aux.GOut, aux.GHN, aux.GCN, aux.GradX, aux.GradH0, aux.GradC0
	return nil
}

func loadRNNCases(t *testing.T) []rnnTorchCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/rnn_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []rnnTorchCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) < 10 {
		t.Fatalf("only %d cases", len(f.Cases))
	}
	return f.Cases
}

// build returns the case's layer in float64 with PyTorch's weights.
func (c *rnnTorchCase) build(t *testing.T) nn.MultiModule {
	t.Helper()
	rng := tensor.NewRand(1)
	var m nn.MultiModule
	if c.Cell {
		switch c.Kind {
		case "RNN":
			m = nn.NewRNNCell(rng, c.InputSize, c.Hidden)
		case "LSTM":
			m = nn.NewLSTMCell(rng, c.InputSize, c.Hidden)
		case "GRU":
			m = nn.NewGRUCell(rng, c.InputSize, c.Hidden)
		}
	} else {
		opts := []nn.RecurrentOption{nn.NumLayers(c.Layers)}
		if c.Bidirectional {
			opts = append(opts, nn.Bidirectional())
		}
		if c.BatchFirst {
			opts = append(opts, nn.BatchFirst())
		}
		switch c.Kind {
		case "RNN":
			if c.Nonlinearity == "relu" {
				opts = append(opts, nn.RNNActivation(tensor.ActReLU))
			}
			m = nn.NewRNN(rng, c.InputSize, c.Hidden, opts...)
		case "LSTM":
			m = nn.NewLSTM(rng, c.InputSize, c.Hidden, opts...)
		case "GRU":
			m = nn.NewGRU(rng, c.InputSize, c.Hidden, opts...)
		}
	}
	nn.To(m, tensor.Float64)
	ps := m.Params()
	if len(ps) != len(c.Params) {
		t.Fatalf("%d parameters, PyTorch has %d", len(ps), len(c.Params))
	}
	for _, p := range ps {
		ref, ok := c.Params[p.Name]
		if !ok {
			t.Fatalf("parameter %q not in PyTorch's state dict", p.Name)
		}
		if !equalInts(p.Tensor.Shape(), ref.Shape) {
			t.Fatalf("%s: shape %v, PyTorch %v", p.Name, p.Tensor.Shape(), ref.Shape)
		}
		p.Tensor.CopyFrom(tensor.FromFloat64(ref.Data, ref.Shape...))
	}
	return m
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// inputs returns the case's inputs in ForwardN order.
func (c *rnnTorchCase) inputs() []*tensor.Tensor {
	D := 1
	if c.Bidirectional {
		D = 2
	}
	if c.Cell {
		in := []*tensor.Tensor{tensor.FromFloat64(c.X, c.N, c.InputSize), tensor.FromFloat64(c.H0, c.N, c.Hidden)}
		if c.Kind == "LSTM" {
			in = append(in, tensor.FromFloat64(c.C0, c.N, c.Hidden))
		}
		return in
	}
	xs := []int{c.T, c.N, c.InputSize}
	if c.BatchFirst {
		xs = []int{c.N, c.T, c.InputSize}
	}
	in := []*tensor.Tensor{tensor.FromFloat64(c.X, xs...), nil}
	if c.H0 != nil {
		in[1] = tensor.FromFloat64(c.H0, c.Layers*D, c.N, c.Hidden)
	}
	if c.Kind == "LSTM" {
		var c0 *tensor.Tensor
		if c.C0 != nil {
			c0 = tensor.FromFloat64(c.C0, c.Layers*D, c.N, c.Hidden)
		}
		in = append(in, c0)
	}
	var lens *tensor.Tensor
	if c.Lengths != nil {
		lens = tensor.FromInts(c.Lengths, c.N)
	}
	return append(in, lens)
}

// wantOut returns the expected outputs and the loss weights, in order.
func (c *rnnTorchCase) wantOut() (want, g [][]float64) {
	if !c.Cell {
		want, g = append(want, c.Out), append(g, c.GOut)
	}
	want, g = append(want, c.HN), append(g, c.GHN)
	if c.Kind == "LSTM" {
		want, g = append(want, c.CN), append(g, c.GCN)
	}
	return want, g
}

func rnnClose(t *testing.T, what string, got *tensor.Tensor, want []float64, tol float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: nil, want %d values", what, len(want))
		return
	}
	v := got.Values()
	if len(v) != len(want) {
		t.Errorf("%s: %d values, want %d", what, len(v), len(want))
		return
	}
	for i := range v {
		if math.Abs(v[i]-want[i]) > tol*(1+math.Abs(want[i])) {
			t.Errorf("%s[%d] = %.15g, PyTorch %.15g", what, i, v[i], want[i])
			return
		}
	}
}

// TestRecurrentAgainstPyTorch compares outputs, final states and every
// input and parameter gradient, from autodiff and from the explicit
// methods, with PyTorch's RNN, LSTM, GRU and their cells: one and two
// layers, bidirectional, variable lengths, batch first, without h0.
func TestRecurrentAgainstPyTorch(t *testing.T) {
	const tol = 1e-11
	for _, c := range loadRNNCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			m := c.build(t)
			want, g := c.wantOut()
			wantIn := [][]float64{c.GradX, c.GradH0}
			if c.Kind == "LSTM" {
				wantIn = append(wantIn, c.GradC0)
			}
			check := func(mode string, ys, gin []*tensor.Tensor, pg map[string]*tensor.Tensor) {
				for i := range want {
					rnnClose(t, mode+" output "+string(rune('0'+i)), ys[i], want[i], tol)
				}
				for i, w := range wantIn {
					if w == nil {
						if gin[i] != nil {
							t.Errorf("%s: gradient for omitted input %d", mode, i)
						}
						continue
					}
					rnnClose(t, mode+" input grad "+string(rune('0'+i)), gin[i], w, tol)
				}
				for name, w := range c.GradParams {
					rnnClose(t, mode+" grad "+name, pg[name], w, tol)
				}
			}

			// Autodiff.
			in := c.inputs()
			for i := range wantIn {
				if in[i] != nil {
					in[i].SetRequiresGrad(true)
				}
			}
			ys := m.ForwardN(in...)
			loss := tensor.Scalar(0)
			loss = tensor.To(loss, tensor.Float64)
			for i, y := range ys {
				loss = tensor.Add(loss, tensor.Sum(tensor.Mul(y, tensor.FromFloat64(g[i], y.Shape()...))))
			}
			loss.Backward()
			gin := make([]*tensor.Tensor, len(wantIn))
			for i := range wantIn {
				if in[i] != nil {
					gin[i] = in[i].Grad()
				}
			}
			pg := map[string]*tensor.Tensor{}
			for _, p := range m.Params() {
				pg[p.Name] = p.Tensor.Grad()
			}
			check("autodiff", ys, gin, pg)

			// Explicit.
			in = c.inputs()
			ys = m.ForwardN(in...)
			gs := make([]*tensor.Tensor, len(ys))
			for i, y := range ys {
				gs[i] = tensor.FromFloat64(g[i], y.Shape()...)
			}
			gin = m.BackwardInputsN(gs)
			pg = map[string]*tensor.Tensor{}
			for _, p := range m.BackwardParamsN(gs) {
				pg[p.Name] = p.Grad
			}
			check("explicit", ys, gin, pg)
		})
	}
}

// TestLSTMLoadsPyTorchSafetensors loads the state dict of a 2-layer
// bidirectional torch.nn.LSTM, written by PyTorch's side
// (testdata/gen_rnn.py), and reproduces its outputs.
func TestLSTMLoadsPyTorchSafetensors(t *testing.T) {
	raw, err := os.ReadFile("testdata/rnn_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		S struct {
			X, Out, HN, CN []float64
			Keys           []string
		} `json:"safetensors"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	m := nn.NewLSTM(tensor.NewRand(9), 3, 4, nn.NumLayers(2), nn.Bidirectional())
	if _, err := nn.Load("testdata/rnn_lstm_torch.safetensors", nn.Select(m, 0)); err != nil {
		t.Fatal(err)
	}
	if len(f.S.Keys) != len(m.Params()) {
		t.Fatalf("PyTorch keys %v", f.S.Keys)
	}
	for i, p := range m.Params() {
		if p.Name != f.S.Keys[i] {
			t.Errorf("parameter %d is %s, PyTorch's state dict has %s", i, p.Name, f.S.Keys[i])
		}
	}
	ys := m.ForwardN(tensor.FromValues(tensor.Float32, f.S.X, 5, 2, 3))
	rnnClose(t, "out", ys[0], f.S.Out, 1e-5)
	rnnClose(t, "hN", ys[1], f.S.HN, 1e-5)
	rnnClose(t, "cN", ys[2], f.S.CN, 1e-5)
}
