package nn_test

import (
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/graph"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// softsign is a user-supplied RNN activation x/(1+|x|) with its
// derivative 1/(1+|x|)².
var softsign = tensor.Activation{Name: "softsign",
	F: func(x float64) float64 { return x / (1 + math.Abs(x)) },
	D: func(x, _ float64) float64 { return 1 / ((1 + math.Abs(x)) * (1 + math.Abs(x))) },
}

func randF64(seed uint64, shape ...int) *tensor.Tensor {
	return tensor.To(tensor.RandN(tensor.NewRand(seed), shape...), tensor.Float64)
}

// newRecurrentF64 builds a recurrent layer of the given kind in float64.
func newRecurrentF64(kind string, in, hidden int, opts ...nn.RecurrentOption) nn.MultiModule {
	rng := tensor.NewRand(7)
	var m nn.MultiModule
	switch kind {
	case "RNN":
		m = nn.NewRNN(rng, in, hidden, opts...)
	case "LSTM":
		m = nn.NewLSTM(rng, in, hidden, opts...)
	case "GRU":
		m = nn.NewGRU(rng, in, hidden, opts...)
	}
	nn.To(m, tensor.Float64)
	return m
}

// flatAll concatenates the flattened outputs into one tensor.
func flatAll(ys []*tensor.Tensor) *tensor.Tensor {
	fs := make([]*tensor.Tensor, len(ys))
	for i, y := range ys {
		fs[i] = tensor.Reshape(y, -1)
	}
	return tensor.Concat(0, fs...)
}

// TestRecurrentGradcheck checks the gradients of every input and
// parameter of two-layer bidirectional recurrent layers over a padded
// batch against central differences in float64, through autodiff and
// through the explicit methods.
func TestRecurrentGradcheck(t *testing.T) {
	const T, N, I, H = 4, 3, 3, 2
	cases := []struct {
		kind       string
		batchFirst bool
		opts       []nn.RecurrentOption
	}{
		{"RNN", false, nil},
		{"RNN", false, []nn.RecurrentOption{nn.RNNActivation(tensor.ActSigmoid)}},
		{"RNN", true, []nn.RecurrentOption{nn.RNNActivation(softsign), nn.BatchFirst()}},
		{"LSTM", false, nil},
		{"GRU", false, nil},
		{"GRU", true, []nn.RecurrentOption{nn.BatchFirst()}},
		{"LSTM", false, []nn.RecurrentOption{nn.OneBiasPerGate()}},
		{"GRU", false, []nn.RecurrentOption{nn.OneBiasPerGate()}},
	}
	for _, c := range cases {
		opts := append([]nn.RecurrentOption{nn.NumLayers(2), nn.Bidirectional()}, c.opts...)
		m := newRecurrentF64(c.kind, I, H, opts...)
		lens := tensor.FromInts([]int{4, 1, 3}, N)
		x := randF64(1, T, N, I).SetName("x")
		if c.batchFirst {
			x = randF64(1, N, T, I).SetName("x")
		}
		h0 := randF64(2, 4, N, H).SetName("h0")
		ins := []*tensor.Tensor{x, h0}
		if c.kind == "LSTM" {
			ins = append(ins, randF64(3, 4, N, H).SetName("c0"))
		}
		all := append([]*tensor.Tensor(nil), ins...)
		for _, p := range m.Params() {
			all = append(all, p.Tensor.SetName(p.Name))
		}
		rep := gradcheck.Func(func(in []*tensor.Tensor) *tensor.Tensor {
			return flatAll(m.ForwardN(append(append([]*tensor.Tensor(nil), in[:len(ins)]...), lens)...))
		}, all)
		if !rep.OK() {
			t.Errorf("%s %v autodiff:\n%v", c.kind, len(c.opts), rep)
		}
		// The explicit methods against the same central differences: the
		// last output alone (Select), with h0 fixed.
		sel := nn.Select(m, 0)
		if rep := gradcheck.Layer(sel, x); !rep.OK() {
			t.Errorf("%s %v explicit:\n%v", c.kind, len(c.opts), rep)
		}
	}
}

// TestRecurrentExplicitEqualsAutodiff runs one forward pass with dropout
// between layers, batch first, bidirectional, over a padded batch, and
// compares the explicit backward with autodiff's on the same pass.
func TestRecurrentExplicitEqualsAutodiff(t *testing.T) {
	const T, N, I, H = 5, 3, 4, 3
	for _, kind := range []string{"RNN", "LSTM", "GRU"} {
		m := newRecurrentF64(kind, I, H, nn.NumLayers(3), nn.Bidirectional(), nn.BatchFirst(), nn.InterLayerDropout(0.3))
		x := randF64(1, N, T, I).SetRequiresGrad(true)
		h0 := randF64(2, 6, N, H).SetRequiresGrad(true)
		ins := []*tensor.Tensor{x, h0}
		if kind == "LSTM" {
			ins = append(ins, randF64(3, 6, N, H).SetRequiresGrad(true))
		}
		ins = append(ins, tensor.FromInts([]int{2, 5, 3}, N))
		ys := m.ForwardN(ins...)
		gs := make([]*tensor.Tensor, len(ys))
		loss := tensor.To(tensor.Scalar(0), tensor.Float64)
		for i, y := range ys {
			gs[i] = randF64(uint64(10+i), y.Shape()...)
			loss = tensor.Add(loss, tensor.Sum(tensor.Mul(y, gs[i])))
		}
		// Zero outputs past each sequence's length (batch first: [N, T, ·]).
		for n, l := range []int{2, 5, 3} {
			for s := l; s < T; s++ {
				for j := 0; j < 2*H; j++ {
					if v := ys[0].At(n, s, j); v != 0 {
						t.Fatalf("%s: out[%d, %d, %d] = %v past length %d", kind, n, s, j, v, l)
					}
				}
			}
		}
		gin := m.BackwardInputsN(gs)
		pg := m.BackwardParamsN(gs)
		loss.Backward()
		for i, in := range ins[:len(ins)-1] {
			if d := gradcheck.RelError(gin[i].Values(), in.Grad().Values()); d > 1e-12 {
				t.Errorf("%s input %d: explicit and autodiff differ by %g", kind, i, d)
			}
		}
		if gin[len(gin)-1] != nil {
			t.Errorf("%s: a gradient for lengths", kind)
		}
		if len(pg) != len(m.Params()) {
			t.Fatalf("%s: %d parameter gradients for %d parameters", kind, len(pg), len(m.Params()))
		}
		for i, p := range m.Params() {
			if pg[i].Name != p.Name || pg[i].Param != p.Tensor {
				t.Errorf("%s: gradient %d is %s, want %s", kind, i, pg[i].Name, p.Name)
			}
			if d := gradcheck.RelError(pg[i].Grad.Values(), p.Tensor.Grad().Values()); d > 1e-12 {
				t.Errorf("%s %s: explicit and autodiff differ by %g", kind, p.Name, d)
			}
		}
	}
}

// TestRecurrentNames checks PyTorch's parameter names, shapes and counts
// for a two-layer bidirectional LSTM (the SST model's sizes).
func TestRecurrentNames(t *testing.T) {
	m := nn.NewLSTM(tensor.NewRand(1), 300, 150, nn.NumLayers(2), nn.Bidirectional())
	want := map[string][]int{
		"weight_ih_l0": {600, 300}, "weight_hh_l0": {600, 150}, "bias_ih_l0": {600}, "bias_hh_l0": {600},
		"weight_ih_l0_reverse": {600, 300}, "weight_hh_l0_reverse": {600, 150}, "bias_ih_l0_reverse": {600}, "bias_hh_l0_reverse": {600},
		"weight_ih_l1": {600, 300}, "weight_hh_l1": {600, 150}, "bias_ih_l1": {600}, "bias_hh_l1": {600},
		"weight_ih_l1_reverse": {600, 300}, "weight_hh_l1_reverse": {600, 150}, "bias_ih_l1_reverse": {600}, "bias_hh_l1_reverse": {600},
	}
	ps := m.Params()
	if len(ps) != len(want) {
		t.Fatalf("%d parameters, want %d", len(ps), len(want))
	}
	bound := 1 / math.Sqrt(150)
	for _, p := range ps {
		if !equalInts(p.Tensor.Shape(), want[p.Name]) {
			t.Errorf("%s: shape %v, want %v", p.Name, p.Tensor.Shape(), want[p.Name])
		}
		for _, v := range p.Tensor.Values() {
			if math.Abs(v) > bound {
				t.Fatalf("%s: %v outside ±1/√H", p.Name, v)
			}
		}
	}
	// Layer 0: 2·4·(150·300 + 150·150 + 2·150); layer 1 has input 300 too.
	if got, want := nn.NumParams(m), 2*2*4*(150*300+150*150+300); got != want {
		t.Errorf("NumParams = %d, want %d", got, want)
	}
}

// TestRecurrentCheckpointRoundTrip saves a GRU's state dict with
// PyTorch's names and loads it into a fresh GRU.
func TestRecurrentCheckpointRoundTrip(t *testing.T) {
	a := nn.NewGRU(tensor.NewRand(1), 3, 4, nn.NumLayers(2), nn.Bidirectional())
	b := nn.NewGRU(tensor.NewRand(2), 3, 4, nn.NumLayers(2), nn.Bidirectional())
	path := filepath.Join(t.TempDir(), "gru.safetensors")
	if err := nn.Save(path, nn.Select(a, 0), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := nn.Load(path, nn.Select(b, 0)); err != nil {
		t.Fatal(err)
	}
	pa, pb := a.Params(), b.Params()
	for i := range pa {
		if pa[i].Name != pb[i].Name || gradcheck.RelError(pa[i].Tensor.Values(), pb[i].Tensor.Values()) != 0 {
			t.Errorf("%s did not round-trip", pa[i].Name)
		}
	}
	x := tensor.RandN(tensor.NewRand(3), 5, 2, 3)
	ya, yb := a.ForwardN(x)[0], b.ForwardN(x)[0]
	if gradcheck.RelError(ya.Values(), yb.Values()) != 0 {
		t.Error("loaded GRU computes something else")
	}
}

// TestRecurrentClipping clips an LSTM's gradients by norm (0.25, the
// course's setting) and by value ([−5, 5], the numpy lab's).
func TestRecurrentClipping(t *testing.T) {
	m := nn.NewLSTM(tensor.NewRand(1), 3, 4, nn.NumLayers(2))
	x := tensor.MulScalar(tensor.RandN(tensor.NewRand(2), 6, 2, 3), 50)
	loss := tensor.MulScalar(tensor.Sum(m.ForwardN(x)[0]), 100)
	loss.Backward()
	before := optim.GradNorm(m.Params())
	if before <= 5 {
		t.Fatalf("gradient norm %v too small to test clipping", before)
	}
	optim.ClipGradValue(m.Params(), 5)
	for _, p := range m.Params() {
		for _, v := range p.Tensor.Grad().Values() {
			if math.Abs(v) > 5 {
				t.Fatalf("%s: %v after clipping to ±5", p.Name, v)
			}
		}
	}
	optim.ClipGradNorm(m.Params(), 0.25)
	if n := optim.GradNorm(m.Params()); math.Abs(n-0.25) > 1e-5 {
		t.Errorf("norm after clipping = %v, want 0.25", n)
	}
}

// TestRecurrentErrors wants typed errors for misuse.
func TestRecurrentErrors(t *testing.T) {
	m := nn.NewGRU(tensor.NewRand(1), 3, 4)
	for name, f := range map[string]func(){
		"input size":  func() { m.ForwardN(tensor.Zeros(5, 2, 2)) },
		"h0 shape":    func() { m.ForwardN(tensor.Zeros(5, 2, 3), tensor.Zeros(1, 3, 4)) },
		"long length": func() { m.ForwardN(tensor.Zeros(5, 2, 3), nil, tensor.FromInts([]int{6, 1}, 2)) },
		"float lengths": func() {
			m.ForwardN(tensor.Zeros(5, 2, 3), nil, tensor.Ones(2))
		},
		"dtype":        func() { m.ForwardN(tensor.ZerosOf(tensor.Float64, 5, 2, 3)) },
		"too many ins": func() { m.ForwardN(tensor.Zeros(5, 2, 3), nil, nil, nil) },
	} {
		var r any
		func() {
			defer func() { r = recover() }()
			f()
		}()
		err, _ := r.(error)
		var se *tensor.ShapeError
		var de *tensor.DTypeError
		var le *nn.LayerError
		if !errors.As(err, &se) && !errors.As(err, &de) && !errors.As(err, &le) {
			t.Errorf("%s: panic %v (%T), want a typed error", name, r, r)
		}
	}
}

// TestRecurrentOpCounts checks the counts an LSTM's recorded op declares.
func TestRecurrentOpCounts(t *testing.T) {
	const T, N, I, H = 3, 2, 5, 4
	m := nn.NewLSTM(tensor.NewRand(1), I, H)
	out := m.ForwardN(tensor.RandN(tensor.NewRand(2), T, N, I))[0]
	op := out.Inputs()[0].Inputs()[0].Op()
	if op.Kind != tensor.OpLSTM {
		t.Fatalf("recorded %v, want LSTM", op)
	}
	c := op.CountsFor([]int{T*N*H + 2*N*H}, [][]int{{T, N, I}, {4 * H, I}, {4 * H, H}, {4 * H}, {4 * H}, nil, nil})
	if want := int64(T * N * H * (4*(I+H) + 3)); c.Mul != want {
		t.Errorf("Mul = %d, want %d", c.Mul, want)
	}
	if want := int64(T * N * H * 5); c.Other != want {
		t.Errorf("Other = %d, want %d", c.Other, want)
	}
}

// TestRecurrentSummary counts a two-layer bidirectional GRU through
// graph.Summarize (from the ops it records) and through its own Counts.
func TestRecurrentSummary(t *testing.T) {
	const T, N, I, H = 5, 2, 3, 4
	m := nn.NewGRU(tensor.NewRand(1), I, H, nn.NumLayers(2), nn.Bidirectional())
	s, err := graph.Summarize(nn.Select(m, 0), []int{T, N, I})
	if err != nil {
		t.Fatal(err)
	}
	own, shape := m.Counts([]int{T, N, I})
	// Per step, sequence and unit: 3 gates of dot products of lengths I_k
	// and H with two biases, plus 3 mul, 2 add, 3 σ/tanh.
	per := func(ik int) int64 { return int64(T * N * H * (3*(ik+H) + 3)) }
	if want := 2*per(I) + 2*per(2*H); own.Mul != want {
		t.Errorf("Counts Mul = %d, want %d", own.Mul, want)
	}
	if !equalInts(shape, []int{T, N, 2 * H}) {
		t.Errorf("Counts shape %v", shape)
	}
	if s.Total != own || s.TotalParams != nn.NumParams(m) {
		t.Errorf("Summarize: %v and %d parameters; Counts %v and %d", s.Total, s.TotalParams, own, nn.NumParams(m))
	}
}

// TestRecurrentFloat32 runs the float32 path against the float64 one on
// the same weights and inputs.
func TestRecurrentFloat32(t *testing.T) {
	for _, kind := range []string{"RNN", "LSTM", "GRU"} {
		m := newRecurrentF64(kind, 3, 5, nn.NumLayers(2), nn.Bidirectional())
		x := randF64(1, 6, 4, 3)
		lens := tensor.FromInts([]int{6, 2, 5, 1}, 4)
		in := []*tensor.Tensor{x, nil, lens}
		if kind == "LSTM" {
			in = []*tensor.Tensor{x, nil, nil, lens}
		}
		want := flatAll(m.ForwardN(in...)).Values()
		nn.To(m, tensor.Float32)
		in[0] = tensor.To(x, tensor.Float32)
		got := flatAll(m.ForwardN(in...)).Values()
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-5 {
				t.Fatalf("%s: float32 output %d = %v, float64 %v", kind, i, got[i], want[i])
			}
		}
	}
}

// TestOneBiasPerGate checks the textbook convention: no bias_hh, the
// textbook parameter count, and the same function as PyTorch's layer with
// bias_hh = 0.
func TestOneBiasPerGate(t *testing.T) {
	for _, kind := range []string{"RNN", "LSTM", "GRU"} {
		one := newRecurrentF64(kind, 3, 4, nn.OneBiasPerGate(), nn.NumLayers(2))
		two := newRecurrentF64(kind, 3, 4, nn.NumLayers(2))
		g := map[string]int{"RNN": 1, "LSTM": 4, "GRU": 3}[kind]
		if got, want := nn.NumParams(one), g*(4*3+4*4+4)+g*(4*4+4*4+4); got != want {
			t.Errorf("%s: %d parameters, want %d", kind, got, want)
		}
		for _, p := range two.Params() {
			if len(p.Name) > 7 && p.Name[:7] == "bias_hh" {
				p.Tensor.CopyFrom(tensor.ZerosLike(p.Tensor))
			}
		}
		byName := map[string]*tensor.Tensor{}
		for _, p := range two.Params() {
			byName[p.Name] = p.Tensor
		}
		for _, p := range one.Params() {
			if len(p.Name) > 7 && p.Name[:7] == "bias_hh" {
				t.Fatalf("%s: %s with one bias per gate", kind, p.Name)
			}
			p.Tensor.CopyFrom(byName[p.Name])
		}
		x := randF64(4, 5, 2, 3)
		ya, yb := flatAll(one.ForwardN(x)), flatAll(two.ForwardN(x))
		if d := gradcheck.RelError(ya.Values(), yb.Values()); d > 1e-14 {
			t.Errorf("%s: one bias per gate differs from bias_hh = 0 by %g", kind, d)
		}
	}
}
