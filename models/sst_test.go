package models

import (
	"errors"
	"math"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestSSTModels: each model maps [N, T] ids with lengths to [N] logits,
// has the documented parameter names, ignores the padding past a
// sentence's length, and learns (one backward pass reaches every weight).
func TestSSTModels(t *testing.T) {
	for _, name := range SSTNames() {
		t.Run(name, func(t *testing.T) {
			m, err := NewSST(name, tensor.NewRand(1), 20, SSTEmbedDim)
			if err != nil {
				t.Fatal(err)
			}
			ids := tensor.FromInts([]int{3, 4, 5, 0, 7, 8, 9, 10}, 2, 4)
			lengths := tensor.FromInts([]int{3, 4})
			out := m.ForwardText(ids, lengths)
			if s := out.Shape(); len(s) != 1 || s[0] != 2 {
				t.Fatalf("logits shape %v, want [2]", s)
			}
			// The first sentence alone, unpadded, gives the same logit.
			alone := m.ForwardText(tensor.FromInts([]int{3, 4, 5}, 1, 3), tensor.FromInts([]int{3}))
			if d := math.Abs(float64(out.Float32s()[0] - alone.Float32s()[0])); d > 1e-5 {
				t.Fatalf("padding changed the logit by %g", d)
			}
			// Padding with another id (not 0) past the length still must not matter.
			other := m.ForwardText(tensor.FromInts([]int{3, 4, 5, 2, 7, 8, 9, 10}, 2, 4), lengths)
			if d := math.Abs(float64(out.Float32s()[0] - other.Float32s()[0])); name != "baseline" && d > 1e-5 {
				t.Fatalf("ids past the length changed the logit by %g", d)
			}
			names := map[string]bool{}
			for _, p := range nn.StateDict(m) {
				names[p.Name] = true
			}
			want := []string{"embedding.weight", "fc1.weight", "fc2.bias"}
			if name == "baseline" {
				want = append(want, "fc3.weight")
			} else {
				want = append(want, "rnn.weight_ih_l0", "rnn.weight_hh_l1", "rnn.bias_hh_l1")
			}
			for _, w := range want {
				if !names[w] {
					t.Fatalf("no parameter %s in %v", w, names)
				}
			}
			loss := nn.BCEWithLogits(out, tensor.FromFloat32([]float32{1, 0}, 2))
			loss.Backward()
			for _, p := range m.Params() {
				g := p.Tensor.Grad()
				if g == nil {
					t.Fatalf("%s got no gradient", p.Name)
				}
				nz := false
				for _, v := range g.Float32s() {
					nz = nz || v != 0
				}
				if !nz && p.Name != "fc3.bias" {
					t.Fatalf("%s has a zero gradient", p.Name)
				}
			}
			// The padding row of the embedding gets no gradient.
			for _, v := range m.Embedding().Weight.Grad().Float32s()[:SSTEmbedDim] {
				if v != 0 {
					t.Fatal("padding row got a gradient")
				}
			}
		})
	}
}

func TestSSTErrors(t *testing.T) {
	if _, err := NewSST("cnn", tensor.NewRand(1), 10, 4); err == nil {
		t.Fatal("cnn accepted as a sentiment model")
	}
	m, _ := NewSST("gru", tensor.NewRand(1), 10, 4)
	defer func() {
		var le *nn.LayerError
		if err, _ := recover().(error); !errors.As(err, &le) {
			t.Fatalf("bad length: recovered %v, want a *nn.LayerError", err)
		}
	}()
	m.ForwardText(tensor.FromInts([]int{1, 2}, 1, 2), tensor.FromInts([]int{3}))
}
