package nn_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestSequentialFusedInference checks that inside NoGrad, where Sequential
// fuses Linear+ReLU into tensor.LinearReLU, the output and the explicit
// backward passes (BackwardInputs, BackwardParams) equal those after an
// unfused forward pass with gradients recorded.
func TestSequentialFusedInference(t *testing.T) {
	build := func() *nn.Sequential { return reluMLP(5, false, 6, 8, 5, 3) }
	x := rnd(1, 2, 4, 6) // 3-D: Linear reshapes around the product
	up := rnd(2, 2, 4, 3)

	plain := build()
	yp := plain.Forward(x)
	gxp := plain.BackwardInputs(up)
	gpp := plain.BackwardParams(up)

	fused := build()
	var yf, gxf *tensor.Tensor
	var gpf []nn.ParamGrad
	tensor.NoGrad(func() {
		yf = fused.Forward(x)
		gxf = fused.BackwardInputs(up)
		gpf = fused.BackwardParams(up)
	})
	same(t, "output", yf, yp)
	same(t, "input gradient", gxf, gxp)
	if len(gpf) != len(gpp) {
		t.Fatalf("%d parameter gradients, want %d", len(gpf), len(gpp))
	}
	for i := range gpf {
		if gpf[i].Name != gpp[i].Name {
			t.Fatalf("gradient %d named %q, want %q", i, gpf[i].Name, gpp[i].Name)
		}
		same(t, gpf[i].Name, gpf[i].Grad, gpp[i].Grad)
	}
}

// TestSequentialReusedBuffers checks the buffers that inference reuses
// between calls: results stay correct when the batch size changes, and a
// value returned earlier is not overwritten by later calls.
func TestSequentialReusedBuffers(t *testing.T) {
	s := reluMLP(6, true, 6, 8, 7, 5)                                              // ends in a ReLU: that pair's result is returned, never reused
	want := func(x *tensor.Tensor) *tensor.Tensor { return s.Forward(x).Detach() } // recorded: unfused
	inputs := []*tensor.Tensor{rnd(1, 4, 6), rnd(2, 4, 6), rnd(3, 9, 6), rnd(4, 4, 6)}
	var outs, wants []*tensor.Tensor
	for _, x := range inputs {
		wants = append(wants, want(x))
		tensor.NoGrad(func() { outs = append(outs, s.Forward(x)) })
	}
	for i := range inputs {
		same(t, "output", outs[i], wants[i])
		if slices.Max(wants[i].Values()) <= 0 {
			t.Fatalf("output %d is all zeros: the test cannot tell calls apart", i)
		}
	}
	var held *tensor.Tensor
	tensor.NoGrad(func() {
		held = s.Forward(inputs[0])
		s.Forward(inputs[1])
	})
	same(t, "earlier output after another call", held, wants[0])
}

// reluMLP returns a float64 Sequential of Linear layers of the given widths
// (seeded by seed), each followed by a ReLU except the last unless
// lastReLU; only the last Linear has no bias when lastReLU is false.
func reluMLP(seed uint64, lastReLU bool, widths ...int) *nn.Sequential {
	rng := tensor.NewRand(seed)
	s := &nn.Sequential{}
	for i := 0; i+1 < len(widths); i++ {
		last := i+2 == len(widths)
		var opts []nn.LinearOption
		if last && !lastReLU {
			opts = append(opts, nn.LinearNoBias())
		}
		s.Add(fmt.Sprintf("fc%d", i+1), nn.NewLinear(rng, widths[i], widths[i+1], opts...))
		if !last || lastReLU {
			s.Add(fmt.Sprintf("relu%d", i+1), nn.NewReLU())
		}
	}
	nn.To(s, tensor.Float64)
	return s
}

func same(t *testing.T, what string, got, want *tensor.Tensor) {
	t.Helper()
	g, w := got.Values(), want.Values()
	if len(g) != len(w) {
		t.Fatalf("%s: %v, want shape %v", what, got.Shape(), want.Shape())
	}
	for i := range g {
		if d := g[i] - w[i]; d > 1e-12 || d < -1e-12 {
			t.Fatalf("%s[%d] = %g, want %g", what, i, g[i], w[i])
		}
	}
}
