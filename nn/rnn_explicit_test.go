package nn_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/graph"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// numGrad returns ∂f/∂t by central differences, element by element.
func centralDiff(f func() float64, t *tensor.Tensor) []float64 {
	const h = 1e-5 // the course's check_grads step
	v := t.Float64s()
	g := make([]float64, len(v))
	for i := range v {
		old := v[i]
		v[i] = old + h
		fp := f()
		v[i] = old - h
		fm := f()
		v[i] = old
		g[i] = (fp - fm) / (2 * h)
	}
	return g
}

// dot returns Σ ys_i ⊙ gs_i, skipping nil gradients.
func dot(ys, gs []*tensor.Tensor) float64 {
	s := 0.0
	for i, y := range ys {
		if gs[i] == nil {
			continue
		}
		a, b := y.Values(), gs[i].Values()
		for j := range a {
			s += a[j] * b[j]
		}
	}
	return s
}

// recurrentCase is a layer configuration of the explicit tests.
type recurrentCase struct {
	kind       string
	opts       []nn.RecurrentOption
	batchFirst bool
}

func explicitCases() []recurrentCase {
	two := []nn.RecurrentOption{nn.NumLayers(2), nn.Bidirectional()}
	return []recurrentCase{
		{"RNN", two, false},
		{"RNN", append([]nn.RecurrentOption{nn.RNNActivation(tensor.ActSigmoid)}, two...), false},
		{"RNN", append([]nn.RecurrentOption{nn.RNNActivation(tensor.ActReLU)}, two...), false},
		{"RNN", append([]nn.RecurrentOption{nn.RNNActivation(softsign), nn.BatchFirst()}, two...), true},
		{"LSTM", two, false},
		{"LSTM", append([]nn.RecurrentOption{nn.OneBiasPerGate()}, two...), false},
		{"GRU", two, false},
		{"GRU", append([]nn.RecurrentOption{nn.OneBiasPerGate(), nn.BatchFirst()}, two...), true},
	}
}

// TestExplicitBPTTGradcheck checks the written-out backpropagation
// through time of BackwardInputsN and BackwardParamsN against central
// differences in float64: two layers, both directions, a padded batch
// (lengths 4, 1, 0 and 3 of T = 4), given initial states and a gradient on
// every output.
func TestExplicitBPTTGradcheck(t *testing.T) {
	const T, N, I, H = 4, 4, 2, 2
	lens := tensor.FromInts([]int{4, 1, 0, 3}, N)
	for ci, c := range explicitCases() {
		t.Run(fmt.Sprintf("%s_%d", c.kind, ci), func(t *testing.T) {
			m := newRecurrentF64(c.kind, I, H, c.opts...)
			x := randF64(1, T, N, I)
			if c.batchFirst {
				x = randF64(1, N, T, I)
			}
			ins := []*tensor.Tensor{x, randF64(2, 4, N, H)}
			if c.kind == "LSTM" {
				ins = append(ins, randF64(3, 4, N, H))
			}
			ins = append(ins, lens)
			ys := m.ForwardN(ins...)
			gs := make([]*tensor.Tensor, len(ys))
			for i, y := range ys {
				gs[i] = randF64(uint64(20+i), y.Shape()...)
			}
			gin := m.BackwardInputsN(gs)
			pg := m.BackwardParamsN(gs)
			loss := func() float64 {
				var v float64
				tensor.NoGrad(func() { v = dot(m.ForwardN(ins...), gs) })
				return v
			}
			for i, in := range ins[:len(ins)-1] {
				if d := gradcheck.RelError(gin[i].Values(), centralDiff(loss, in)); d > 1e-5 {
					t.Errorf("input %d: explicit and central differences differ by %g", i, d)
				}
			}
			if gin[len(ins)-1] != nil {
				t.Error("a gradient for lengths")
			}
			for _, p := range pg {
				if d := gradcheck.RelError(p.Grad.Values(), centralDiff(loss, p.Param)); d > 1e-5 {
					t.Errorf("%s: explicit and central differences differ by %g", p.Name, d)
				}
			}
		})
	}
}

// TestExplicitEqualsAutodiffPadded compares the explicit backward with
// autodiff's on the same forward pass for every configuration of
// explicitCases with a zero-length sequence in the batch.
func TestExplicitEqualsAutodiffPadded(t *testing.T) {
	const T, N, I, H = 5, 3, 3, 4
	for ci, c := range explicitCases() {
		m := newRecurrentF64(c.kind, I, H, c.opts...)
		x := randF64(1, T, N, I)
		if c.batchFirst {
			x = randF64(1, N, T, I)
		}
		x.SetRequiresGrad(true)
		ins := []*tensor.Tensor{x, nil}
		if c.kind == "LSTM" {
			ins = append(ins, nil)
		}
		ins = append(ins, tensor.FromInts([]int{5, 0, 2}, N))
		ys := m.ForwardN(ins...)
		gs := []*tensor.Tensor{randF64(9, ys[0].Shape()...), nil}
		if c.kind == "LSTM" {
			gs = append(gs, randF64(10, ys[2].Shape()...))
		}
		loss := tensor.Sum(tensor.Mul(ys[0], gs[0]))
		if c.kind == "LSTM" {
			loss = tensor.Add(loss, tensor.Sum(tensor.Mul(ys[2], gs[2])))
		}
		gin := m.BackwardInputsN(gs)
		pg := m.BackwardParamsN(gs)
		loss.Backward()
		if d := gradcheck.RelError(gin[0].Values(), x.Grad().Values()); d > 1e-12 {
			t.Errorf("%s %d input: explicit and autodiff differ by %g", c.kind, ci, d)
		}
		for i, p := range m.Params() {
			if pg[i].Param != p.Tensor {
				t.Fatalf("%s %d: gradient %d is %s, want %s", c.kind, ci, i, pg[i].Name, p.Name)
			}
			if d := gradcheck.RelError(pg[i].Grad.Values(), p.Tensor.Grad().Values()); d > 1e-12 {
				t.Errorf("%s %d %s: explicit and autodiff differ by %g", c.kind, ci, p.Name, d)
			}
		}
	}
}

// TestUnroll: the step-by-step forward pass gives ForwardN's outputs, and
// autodiff through its elementary ops gives the fused op's gradients.
func TestUnroll(t *testing.T) {
	const T, N, I, H = 4, 3, 2, 3
	for ci, c := range explicitCases() {
		m := newRecurrentF64(c.kind, I, H, c.opts...)
		u := m.(nn.Unroller)
		x := randF64(1, T, N, I)
		if c.batchFirst {
			x = randF64(1, N, T, I)
		}
		ins := []*tensor.Tensor{x, randF64(2, 4, N, H)}
		if c.kind == "LSTM" {
			ins = append(ins, randF64(3, 4, N, H))
		}
		ins = append(ins, tensor.FromInts([]int{2, 4, 0}, N))
		for _, in := range ins[:len(ins)-1] {
			in.SetRequiresGrad(true)
		}
		grads := func(ys []*tensor.Tensor) [][]float64 {
			loss := tensor.ScalarOf(tensor.Float64, 0)
			for i, y := range ys {
				loss = tensor.Add(loss, tensor.Sum(tensor.Mul(y, randF64(uint64(30+i), y.Shape()...))))
			}
			nn.ZeroGrad(m)
			for _, in := range ins[:len(ins)-1] {
				in.ZeroGrad()
			}
			loss.Backward()
			var gs [][]float64
			for _, in := range ins[:len(ins)-1] {
				gs = append(gs, in.Grad().Values())
			}
			for _, p := range m.Params() {
				gs = append(gs, p.Tensor.Grad().Values())
			}
			return gs
		}
		fused := m.ForwardN(ins...)
		want := grads(fused)
		un := u.Unroll(ins...)
		if len(un.Outputs) != len(fused) {
			t.Fatalf("%s %d: %d outputs, ForwardN %d", c.kind, ci, len(un.Outputs), len(fused))
		}
		for i := range fused {
			if d := gradcheck.RelError(un.Outputs[i].Values(), fused[i].Values()); d > 1e-13 {
				t.Errorf("%s %d: output %d differs from ForwardN's by %g", c.kind, ci, i, d)
			}
		}
		got := grads(un.Outputs)
		for i := range want {
			if d := gradcheck.RelError(got[i], want[i]); d > 1e-12 {
				t.Errorf("%s %d: gradient %d through Unroll differs by %g", c.kind, ci, i, d)
			}
		}
		if len(un.Steps) != 2 || len(un.Steps[1]) != 2 || len(un.Steps[1][1]) != T || un.Steps[1][1][0].T != T-1 {
			t.Errorf("%s %d: steps laid out wrongly", c.kind, ci)
		}
		for _, st := range un.Steps[1][1] {
			if want := fmt.Sprintf("h%d_l1r", st.T+1); st.H.Name() != want {
				t.Errorf("%s %d: state named %q, want %q", c.kind, ci, st.H.Name(), want)
			}
		}
		if c.kind == "LSTM" && (un.Steps[0][0][0].C == nil || len(un.Steps[0][0][0].Gates) != 4) {
			t.Errorf("LSTM step without cell state or gates")
		}
	}
}

// checkCellExplicit runs the cell on ins and checks its explicit backward
// (the inputs' and the parameters' gradients, for random output
// gradients) against central differences of the same loss.
func checkCellExplicit(t *testing.T, what string, cl nn.MultiModule, ins []*tensor.Tensor) {
	t.Helper()
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
			t.Errorf("%s input %d: differs from central differences by %g", what, i, d)
		}
	}
	for _, p := range pg {
		if d := gradcheck.RelError(p.Grad.Values(), centralDiff(loss, p.Param)); d > 1e-5 {
			t.Errorf("%s %s: differs from central differences by %g", what, p.Name, d)
		}
	}
}

// TestCellExplicitAndUnroll: a cell's explicit backward (written out)
// against central differences, and its Unroll against ForwardN step after
// step.
func TestCellExplicitAndUnroll(t *testing.T) {
	const T, N, I, H = 3, 2, 3, 2
	rng := tensor.NewRand(4)
	cells := map[string]nn.MultiModule{
		"RNN": nn.NewRNNCell(rng, I, H, nn.RNNActivation(softsign)), "LSTM": nn.NewLSTMCell(rng, I, H), "GRU": nn.NewGRUCell(rng, I, H),
	}
	for kind, cl := range cells {
		nn.To(cl, tensor.Float64)
		x := randF64(1, N, I)
		ins := []*tensor.Tensor{x, randF64(2, N, H)}
		if kind == "LSTM" {
			ins = append(ins, randF64(3, N, H))
		}
		checkCellExplicit(t, kind+" cell", cl, ins)
		// Unroll over T steps = ForwardN T times.
		xs := randF64(9, T, N, I)
		state := ins[1:]
		for s := 0; s < T; s++ {
			state = cl.ForwardN(append([]*tensor.Tensor{tensor.Reshape(tensor.Slice(xs, 0, s, s+1), N, I)}, state...)...)
		}
		u := cl.(nn.Unroller).Unroll(append([]*tensor.Tensor{xs}, ins[1:]...)...)
		for i := range state {
			if d := gradcheck.RelError(u.Outputs[i].Values(), state[i].Values()); d > 1e-13 {
				t.Errorf("%s cell: Unroll output %d differs by %g", kind, i, d)
			}
		}
		if got := u.Steps[0][0][2].H.Name(); got != "h3" {
			t.Errorf("%s cell: step 3's state is named %q, want h3", kind, got)
		}
	}
}

// TestUnrollSigmoidByHand: the exam's 2-unit sigmoid RNN, h_t =
// σ(W_hh h_{t−1} + W_xh x_t), against the closed form.
func TestUnrollSigmoidByHand(t *testing.T) {
	m := nn.NewRNN(tensor.NewRand(1), 1, 2, nn.RNNActivation(tensor.ActSigmoid), nn.OneBiasPerGate())
	nn.To(m, tensor.Float64)
	w := m.Weights[0][0]
	_ = nn.SetValues(w.WeightIH, 1, -1)
	_ = nn.SetValues(w.WeightHH, 0.5, -0.25, 0.3, 0.5)
	_ = nn.SetValues(w.BiasIH, 0.1, 0)
	x := tensor.FromFloat64([]float64{1, 2}, 2, 1, 1)
	u := m.Unroll(x)
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	h1 := []float64{sig(1 + 0.1), sig(-1)}
	h2 := []float64{sig(0.5*h1[0] - 0.25*h1[1] + 2 + 0.1), sig(0.3*h1[0] + 0.5*h1[1] - 2)}
	for i, want := range [][]float64{h1, h2} {
		st := u.Steps[0][0][i]
		if name := st.H.Name(); name != fmt.Sprintf("h%d", i+1) {
			t.Errorf("step %d named %q", i+1, name)
		}
		if d := gradcheck.RelError(st.H.Values(), want); d > 1e-15 {
			t.Errorf("h%d = %v, want %v", i+1, st.H.Values(), want)
		}
	}
}

// TestRecurrentCounters: cells and the embedding declare their counts
// (nn.Counter), the same as their recorded ops declare.
func TestRecurrentCounters(t *testing.T) {
	const N, I, H = 3, 4, 5
	rng := tensor.NewRand(1)
	for _, c := range []nn.MultiModule{nn.NewRNNCell(rng, I, H), nn.NewLSTMCell(rng, I, H), nn.NewGRUCell(rng, I, H)} {
		x := tensor.RandN(rng, N, I)
		y := c.ForwardN(x)[0]
		own, shape := c.(nn.Counter).Counts([]int{N, I})
		g := graph.Build(y)
		var rec tensor.Counts
		for _, n := range g.Nodes {
			rec = rec.Plus(graph.OpCounts(n))
		}
		if own != rec || !own.Known() || own.Mul == 0 || !equalInts(shape, []int{N, H}) {
			t.Errorf("%T: Counts %v %v, recorded ops %v", c, own, shape, rec)
		}
	}
	e := nn.NewEmbedding(rng, 10, 6)
	c, shape := e.Counts([]int{2, 3})
	if c != (tensor.Counts{}) || !equalInts(shape, []int{2, 3, 6}) {
		t.Errorf("Embedding Counts %v %v", c, shape)
	}
}

// padded is a recurrent layer with fixed lengths and initial states as a
// single-input Layer, for gradcheck.Layer: Forward(x) returns all outputs
// flattened into one vector.
type padded struct {
	m      nn.MultiModule
	states []*tensor.Tensor
	lens   *tensor.Tensor
	shapes [][]int
}

func (p *padded) Forward(x *tensor.Tensor) *tensor.Tensor {
	ys := p.m.ForwardN(append(append([]*tensor.Tensor{x}, p.states...), p.lens)...)
	p.shapes = nil
	for _, y := range ys {
		p.shapes = append(p.shapes, y.Shape())
	}
	return flatAll(ys)
}

// grads splits the flat gradient into one per output.
func (p *padded) grads(g *tensor.Tensor) []*tensor.Tensor {
	var gs []*tensor.Tensor
	off := 0
	for _, s := range p.shapes {
		n := 1
		for _, d := range s {
			n *= d
		}
		gs = append(gs, tensor.Reshape(tensor.Slice(g, 0, off, off+n), s...))
		off += n
	}
	return gs
}

func (p *padded) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	return p.m.BackwardInputsN(p.grads(g))[0]
}

func (p *padded) BackwardParams(g *tensor.Tensor) []nn.ParamGrad {
	return p.m.BackwardParamsN(p.grads(g))
}

func (p *padded) Params() []nn.Param { return p.m.Params() }

// TestExplicitGradcheckLayer runs package gradcheck's layer check on the
// explicit methods of two-layer bidirectional layers over a padded batch
// with initial states, every output in the loss.
func TestExplicitGradcheckLayer(t *testing.T) {
	const T, N, I, H = 3, 3, 2, 2
	for ci, c := range explicitCases() {
		m := newRecurrentF64(c.kind, I, H, c.opts...)
		x := randF64(1, T, N, I)
		if c.batchFirst {
			x = randF64(1, N, T, I)
		}
		p := &padded{m: m, states: []*tensor.Tensor{randF64(2, 4, N, H)}, lens: tensor.FromInts([]int{3, 0, 2}, N)}
		if c.kind == "LSTM" {
			p.states = append(p.states, randF64(3, 4, N, H))
		}
		if rep := gradcheck.Layer(p, x); !rep.OK() {
			t.Errorf("%s %d:\n%v", c.kind, ci, rep)
		}
	}
}
