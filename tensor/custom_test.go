package tensor_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/duboko/duboko/tensor"
)

// TestCustomBackwardGradientCount checks that a hand-written backward
// returning fewer or more gradients than the op has inputs is a GradError
// naming the op, not an index panic or silently missing gradients, through
// Backward and VJP alike; nil entries (inputs that need none) are fine.
func TestCustomBackwardGradientCount(t *testing.T) {
	backprop := map[string]func(loss, a *tensor.Tensor){
		"Backward": func(loss, _ *tensor.Tensor) { loss.Backward() },
		"VJP":      func(loss, a *tensor.Tensor) { tensor.VJP(loss, nil, a) },
	}
	for name, run := range backprop {
		for _, n := range []int{1, 3} {
			a := tensor.FromFloat64([]float64{1, 2}).SetRequiresGrad(true)
			b := tensor.FromFloat64([]float64{3, 4}).SetRequiresGrad(true)
			out := tensor.Custom("pair", tensor.Add(a.Detach(), b.Detach()), []*tensor.Tensor{a, b},
				func(g *tensor.Tensor) []*tensor.Tensor { return make([]*tensor.Tensor, n) })
			func() {
				defer func() {
					var ge *tensor.GradError
					err, _ := recover().(error)
					if !errors.As(err, &ge) || !strings.Contains(ge.Error(), name+" of pair") || !strings.Contains(ge.Error(), "2 inputs") {
						t.Fatalf("%s, %d gradients for 2 inputs: recovered %v", name, n, err)
					}
				}()
				run(tensor.Sum(out), a)
			}()
		}
	}
	a := tensor.FromFloat64([]float64{1, 2}).SetRequiresGrad(true)
	b := tensor.FromFloat64([]float64{3, 4}).SetRequiresGrad(true)
	out := tensor.Custom("first", tensor.Add(a.Detach(), b.Detach()), []*tensor.Tensor{a, b},
		func(g *tensor.Tensor) []*tensor.Tensor { return []*tensor.Tensor{g, nil} })
	tensor.Sum(out).Backward()
	if a.Grad() == nil || b.Grad() != nil {
		t.Fatalf("nil entry: a.grad %v, b.grad %v", a.Grad(), b.Grad())
	}
}
