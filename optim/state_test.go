package optim

import (
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestStateRoundTrip interrupts training after a few steps, restores the
// optimizer state into a fresh optimizer and checks that the following
// steps are identical to an uninterrupted run.
func TestStateRoundTrip(t *testing.T) {
	makeOpt := map[string]func([]nn.Param) Optimizer{
		"momentum": func(ps []nn.Param) Optimizer { return NewSGD(ps, SGDConfig{LR: 0.1, Momentum: 0.9}) },
		"adam":     func(ps []nn.Param) Optimizer { return NewAdam(ps, AdamConfig{LR: 0.01}) },
		"rmsprop":  func(ps []nn.Param) Optimizer { return NewRMSProp(ps, RMSPropConfig{LR: 0.01, Momentum: 0.5}) },
	}
	grad := func(step int) *tensor.Tensor {
		return tensor.RandN(tensor.NewRand(uint64(100+step)), 3, 2)
	}
	for name, mk := range makeOpt {
		run := func(interruptAt int) []float64 {
			w := tensor.Ones(3, 2).SetRequiresGrad(true)
			ps := []nn.Param{{Name: "w", Tensor: w}}
			o := mk(ps)
			for step := 0; step < 6; step++ {
				if step == interruptAt {
					st, err := StateOf(o)
					if err != nil {
						t.Fatal(err)
					}
					var saved []nn.Param
					for _, p := range st {
						saved = append(saved, nn.Param{Name: p.Name, Tensor: p.Tensor.Clone()})
					}
					o = mk(ps)
					if err := LoadState(o, saved); err != nil {
						t.Fatal(err)
					}
				}
				w.SetGrad(grad(step))
				o.Step()
			}
			return w.Values()
		}
		want, got := run(-1), run(3)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: after resume %v, uninterrupted %v", name, got, want)
			}
		}
	}
	o := NewAdam([]nn.Param{{Name: "w", Tensor: tensor.Ones(2)}}, AdamConfig{})
	if err := LoadState(o, []nn.Param{{Name: "v.step", Tensor: tensor.Ones(1)}}); err == nil {
		t.Fatal("state of an unknown parameter accepted")
	}
}
