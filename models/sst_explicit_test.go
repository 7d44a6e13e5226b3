package models

import (
	"math"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// sstBatch is a padded batch of three sentences (lengths 4, 2 and 1) with
// their labels, in float64.
func sstBatch() (ids, lengths, y *tensor.Tensor) {
	ids = tensor.FromInts([]int{3, 4, 5, 6, 7, 8, 0, 0, 9, 0, 0, 0}, 3, 4)
	return ids, tensor.FromInts([]int{4, 2, 1}), tensor.FromFloat64([]float64{1, 0, 1}, 3)
}

// newSSTF64 builds the named model in float64 over a small vocabulary.
func newSSTF64(t *testing.T, name string) SentimentModel {
	t.Helper()
	m, err := NewSST(name, tensor.NewRand(3), 12, 5)
	if err != nil {
		t.Fatal(err)
	}
	nn.To(m, tensor.Float64)
	return m
}

// explicitGrads runs m's explicit interface end to end on the batch: the
// forward pass, the gradient of the mean binary cross-entropy with logits
// by hand, (σ(s) − y)/N, times scale, and BackwardParams.
func explicitGrads(m SentimentModel, scale float64) []nn.ParamGrad {
	ids, lengths, y := sstBatch()
	s := m.ForwardText(ids, lengths)
	var g *tensor.Tensor
	tensor.NoGrad(func() {
		g = tensor.MulScalar(tensor.Sub(tensor.Sigmoid(s), y), scale/float64(y.Len()))
	})
	return m.BackwardParams(g)
}

// TestSSTExplicitEqualsAutodiff: every SST model trained through the
// explicit interface gets autodiff's gradients for every parameter, and
// the explicit gradients match central differences of the loss.
func TestSSTExplicitEqualsAutodiff(t *testing.T) {
	for _, name := range SSTNames() {
		t.Run(name, func(t *testing.T) {
			m := newSSTF64(t, name)
			ids, lengths, y := sstBatch()
			loss := func() float64 {
				var v float64
				tensor.NoGrad(func() { v = nn.BCEWithLogits(m.ForwardText(ids, lengths), y).Item() })
				return v
			}
			nn.BCEWithLogits(m.ForwardText(ids, lengths), y).Backward()
			pg := explicitGrads(m, 1)
			ps := m.Params()
			if len(pg) != len(ps) {
				t.Fatalf("%d gradients for %d parameters", len(pg), len(ps))
			}
			if m.BackwardInputs(tensor.Zeros(3)) != nil {
				t.Error("a gradient for the ids")
			}
			rng := tensor.NewRand(5)
			for i, p := range ps {
				if pg[i].Name != p.Name || pg[i].Param != p.Tensor {
					t.Fatalf("gradient %d is %s, want %s", i, pg[i].Name, p.Name)
				}
				want := p.Tensor.Grad().Values()
				got := pg[i].Grad.Values()
				if d := gradcheck.RelError(got, want); d > 1e-10 {
					t.Errorf("%s: explicit and autodiff differ by %g", p.Name, d)
				}
				// Central differences at a few elements (of the rows used,
				// for the embedding).
				v := p.Tensor.Float64s()
				for range 4 {
					j := rng.IntN(len(v))
					if p.Name == "embedding.weight" {
						j = (3+rng.IntN(7))*5 + rng.IntN(5)
					}
					const h = 1e-5
					old := v[j]
					v[j] = old + h
					fp := loss()
					v[j] = old - h
					fm := loss()
					v[j] = old
					num := (fp - fm) / (2 * h)
					if math.Abs(num-got[j]) > 1e-7+1e-5*math.Abs(num) {
						t.Errorf("%s[%d]: explicit %g, central differences %g", p.Name, j, got[j], num)
					}
				}
			}
		})
	}
}

// TestSSTExplicitBeforeForward wants a typed error, not a nil dereference.
func TestSSTExplicitBeforeForward(t *testing.T) {
	for _, name := range SSTNames() {
		m, _ := NewSST(name, tensor.NewRand(1), 10, 4)
		func() {
			defer func() {
				if _, ok := recover().(*nn.LayerError); !ok {
					t.Errorf("%s: BackwardParams before Forward did not panic with a *nn.LayerError", name)
				}
			}()
			m.BackwardParams(tensor.Zeros(2))
		}()
	}
}

// TestSSTClipping clips the SST models' gradients, from autodiff and from
// the explicit interface, by norm to 0.25 (lab 3) and by value to [−5, 5]
// (the old numpy lab), and checks what the clip functions promise: the
// joint norm becomes 0.25 with every gradient scaled by the same factor,
// and elements beyond ±5 become ±5 while the others stay.
func TestSSTClipping(t *testing.T) {
	for _, name := range SSTNames() {
		t.Run(name, func(t *testing.T) {
			m := newSSTF64(t, name)
			for _, explicit := range []bool{false, true} {
				// Gradients 1000× the loss's, so that both clips act.
				if explicit {
					for _, p := range explicitGrads(m, 1000) {
						p.Param.SetGrad(p.Grad)
					}
				} else {
					nn.ZeroGrad(m)
					ids, lengths, y := sstBatch()
					tensor.MulScalar(nn.BCEWithLogits(m.ForwardText(ids, lengths), y), 1000).Backward()
				}
				before := map[string][]float64{}
				for _, p := range m.Params() {
					before[p.Name] = p.Tensor.Grad().Values()
				}
				norm := optim.ClipGradNorm(m.Params(), 0.25)
				if norm <= 0.25 {
					t.Fatalf("explicit %v: norm %g already within 0.25", explicit, norm)
				}
				if n := optim.GradNorm(m.Params()); math.Abs(n-0.25) > 1e-6 {
					t.Errorf("explicit %v: norm %g after clipping to 0.25", explicit, n)
				}
				coef := 0.25 / (norm + 1e-6)
				big := 0
				for _, p := range m.Params() {
					for j, v := range p.Tensor.Grad().Values() {
						if math.Abs(v-coef*before[p.Name][j]) > 1e-12 {
							t.Fatalf("explicit %v %s: not scaled by %g", explicit, p.Name, coef)
						}
					}
					p.Tensor.SetGrad(tensor.FromFloat64(before[p.Name], p.Tensor.Shape()...))
					for _, v := range before[p.Name] {
						if math.Abs(v) > 5 {
							big++
						}
					}
				}
				if big == 0 {
					t.Fatalf("explicit %v: no gradient element beyond ±5 to clip", explicit)
				}
				optim.ClipGradValue(m.Params(), 5)
				for _, p := range m.Params() {
					for j, v := range p.Tensor.Grad().Values() {
						b := before[p.Name][j]
						if want := math.Max(-5, math.Min(5, b)); v != want {
							t.Fatalf("explicit %v %s: %g clipped to %g, want %g", explicit, p.Name, b, v, want)
						}
					}
				}
			}
		})
	}
}

// TestSSTChain: the Sequential view computes the model's function with
// its parameter names, its explicit backward gives the model's gradients,
// and graph-free counts add up: the recurrent row declares the recurrent
// layer's counts.
func TestSSTChain(t *testing.T) {
	for _, name := range SSTNames() {
		m := newSSTF64(t, name)
		ch := m.Chain()
		ids, _, y := sstBatch()
		want := m.Forward(ids)
		got := ch.Forward(ids)
		if d := gradcheck.RelError(got.Values(), want.Values()); d > 1e-14 || len(got.Shape()) != 1 {
			t.Errorf("%s: chain %v differs from the model %v (%g)", name, got.Shape(), want.Shape(), d)
		}
		cp, mp := ch.Params(), m.Params()
		if len(cp) != len(mp) {
			t.Fatalf("%s: chain has %d parameters, model %d", name, len(cp), len(mp))
		}
		for i := range cp {
			if cp[i].Name != mp[i].Name || cp[i].Tensor != mp[i].Tensor {
				t.Errorf("%s: chain parameter %s, model %s", name, cp[i].Name, mp[i].Name)
			}
		}
		var g *tensor.Tensor
		tensor.NoGrad(func() { g = tensor.MulScalar(tensor.Sub(tensor.Sigmoid(got), y), 1.0/3) })
		cg := ch.BackwardParams(g)
		m.Forward(ids)
		mg := m.BackwardParams(g)
		for i := range mg {
			if cg[i].Name != mg[i].Name || gradcheck.RelError(cg[i].Grad.Values(), mg[i].Grad.Values()) > 1e-12 {
				t.Errorf("%s: chain gradient %s differs from the model's %s", name, cg[i].Name, mg[i].Name)
			}
		}
	}
}
