package graph

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestUnrollShared draws an RNN and an LSTM unrolled over three steps:
// each weight is one node read by every step, the states h1…h3 are
// nodes, and the ops' declared counts add up to the fused layer's.
func TestUnrollShared(t *testing.T) {
	const T, N, I, H = 3, 2, 4, 3
	for _, m := range []nn.Unroller{nn.NewRNN(tensor.NewRand(1), I, H), nn.NewLSTM(tensor.NewRand(1), I, H)} {
		x := tensor.RandN(tensor.NewRand(2), T, N, I)
		g, u, err := Unroll(m, x)
		if err != nil {
			t.Fatal(err)
		}
		uses := map[string]int{}
		for _, n := range g.Nodes {
			for _, in := range n.Inputs {
				uses[in.Name]++
			}
		}
		for _, p := range m.Params() {
			n := g.Lookup(p.Name)
			if n == nil || n.Kind != Param {
				t.Fatalf("%s: no parameter node %s", typeName(m), p.Name)
			}
			if uses[p.Name] != T {
				t.Errorf("%s: %s read by %d ops, want one per step (%d)", typeName(m), p.Name, uses[p.Name], T)
			}
		}
		for _, name := range []string{"x1", "x3", "h1", "h2", "h3"} {
			if g.Lookup(name) == nil {
				t.Errorf("%s: no node %s", typeName(m), name)
			}
		}
		if _, isLSTM := m.(*nn.LSTM); isLSTM && (g.Lookup("c2") == nil || g.Lookup("f2") == nil) {
			t.Error("LSTM: no node c2 or f2")
		}
		var sum Counts
		for _, n := range g.Nodes {
			sum = sum.Plus(OpCounts(n))
		}
		want, _ := m.(nn.Counter).Counts([]int{T, N, I})
		if sum != want {
			t.Errorf("%s: unrolled ops count %v, the fused layer declares %v", typeName(m), sum, want)
		}
		if len(u.Steps[0][0]) != T {
			t.Errorf("%d steps", len(u.Steps[0][0]))
		}
		for _, f := range []string{"text", "dot"} {
			var b bytes.Buffer
			if err := Render(g, f, &b); err != nil || !strings.Contains(b.String(), "h2") {
				t.Errorf("%s: render %s: %v", typeName(m), f, err)
			}
		}
	}
}

// TestTraceSteps prints the exam's 2-unit sigmoid RNN, h_t = σ(W_hh h_{t−1}
// + W_xh x_t), and reads h1 and h2 back against the closed form.
func TestTraceSteps(t *testing.T) {
	cell := nn.NewRNNCell(tensor.NewRand(1), 1, 2, nn.RNNActivation(tensor.ActSigmoid))
	nn.To(cell, tensor.Float64)
	_ = nn.SetValues(cell.WeightIH, 1, -1)
	_ = nn.SetValues(cell.WeightHH, 0.5, 0, 0, 0.5)
	_ = nn.SetValues(cell.BiasIH, 0, 0)
	_ = nn.SetValues(cell.BiasHH, 0, 0)
	_, u, err := Unroll(cell, tensor.FromFloat64([]float64{1, 2}, 2, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := TraceSteps(&b, u, StepTraceOptions{Digits: 6, Inputs: true}); err != nil {
		t.Fatal(err)
	}
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	h1 := [2]float64{sig(1), sig(-1)}
	h2 := [2]float64{sig(0.5*h1[0] + 2), sig(0.5*h1[1] - 2)}
	for _, want := range []string{
		"x1   = [1.000000]", "x2   = [2.000000]",
		"h1   = [" + f6(h1[0]) + " " + f6(h1[1]) + "]",
		"h2   = [" + f6(h2[0]) + " " + f6(h2[1]) + "]",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("trace lacks %q:\n%s", want, b.String())
		}
	}
}

func f6(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }
