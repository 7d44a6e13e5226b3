package nn_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// ties returns values in {-1, 0, 1} (many ties within each pooled group).
func ties(seed uint64, shape ...int) *tensor.Tensor {
	x := rnd(seed, shape...)
	for i := range x.Len() {
		x.SetFlat(i, float64(int(x.Flat(i)*1.5)))
	}
	return x
}

func TestReshapeAndPoolLayers(t *testing.T) {
	rng := tensor.NewRand(5)
	keep := nn.NewGlobalMaxPool(1)
	keep.KeepDim = true
	avgKeep := nn.NewGlobalAvgPool(-1, 1)
	avgKeep.KeepDim = true
	cases := []struct {
		name  string
		m     nn.Module
		x     *tensor.Tensor
		shape []int // the output's
	}{
		{"Reshape", nn.NewReshape(3, -1), rnd(1, 2, 12), []int{2, 3, 4}},
		{"Reshape to vector", nn.NewReshape(-1), rnd(1, 2, 3, 2), []int{2, 6}},
		{"Unflatten", nn.NewUnflatten(1, 2, 3, 2), rnd(1, 2, 12), []int{2, 2, 3, 2}},
		{"Unflatten last axis inferred", nn.NewUnflatten(-1, -1, 2), rnd(1, 2, 3, 4), []int{2, 3, 2, 2}},
		{"GlobalMaxPool planes", nn.NewGlobalMaxPool(), rnd(1, 2, 3, 4, 4), []int{2, 3}},
		{"GlobalMaxPool planes with ties", nn.NewGlobalMaxPool(2, 3), ties(2, 2, 3, 3, 3), []int{2, 3}},
		{"GlobalMaxPool time axis", nn.NewGlobalMaxPool(1), rnd(1, 2, 5, 3), []int{2, 3}},
		{"GlobalMaxPool keepdim", keep, rnd(3, 2, 4, 3), []int{2, 1, 3}},
		{"GlobalMaxPool keepdim with ties", keep, ties(3, 2, 4, 3), []int{2, 1, 3}},
		{"GlobalAvgPool planes", nn.NewGlobalAvgPool(), rnd(1, 2, 3, 4, 4), []int{2, 3}},
		{"GlobalAvgPool 1-D", nn.NewGlobalAvgPool(2), rnd(1, 2, 3, 5), []int{2, 3}},
		{"GlobalAvgPool keepdim", avgKeep, rnd(1, 2, 4, 3), []int{2, 1, 1}},
		{"Sequential FC → Unflatten → conv → max over positions", nn.NewSequential(
			nn.NewLinear(rng, 4, 12), nn.NewUnflatten(1, 3, 2, 2), nn.NewConv2d(rng, 3, 2, 1),
			nn.NewGlobalMaxPool(), nn.NewReshape(1, 2)), rnd(1, 5, 4), []int{5, 1, 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nn.To(c.m, tensor.Float64)
			var y *tensor.Tensor
			tensor.NoGrad(func() { y = c.m.Forward(c.x) })
			if !slices.Equal(y.Shape(), c.shape) {
				t.Fatalf("output %v, want %v", y.Shape(), c.shape)
			}
			if counts, out := c.m.(nn.Counter).Counts(c.x.Shape()); !slices.Equal(out, c.shape) || !counts.Known() {
				t.Errorf("Counts: %v, output %v", counts, out)
			}
			// finite differences hold away from ties only; at ties the
			// explicit and autodiff gradients must still agree (both split
			// evenly, see TestGlobalMaxPoolSplitsTies)
			if !strings.Contains(c.name, "ties") {
				if rep := gradcheck.Layer(c.m, c.x); !rep.OK() {
					t.Fatalf("explicit backward:\n%s", rep)
				}
				if rep := gradcheck.Module(c.m, c.x); !rep.OK() {
					t.Fatalf("autodiff:\n%s", rep)
				}
			}
			assertExplicitMatchesAutodiff(t, c.m, c.x)
		})
	}
}

// TestGlobalMaxPoolSplitsTies checks the explicit and autodiff gradients
// at a tie: the two equal maxima get half of the gradient each.
func TestGlobalMaxPoolSplitsTies(t *testing.T) {
	x := tensor.FromFloat64([]float64{1, 3, 3, 0, 2, 5}, 2, 3)
	p := nn.NewGlobalMaxPool(1)
	g := tensor.FromFloat64([]float64{1, 4}, 2)
	p.Forward(x)
	if got := p.BackwardInputs(g).Float64s(); !slices.Equal(got, []float64{0, 0.5, 0.5, 0, 0, 4}) {
		t.Errorf("explicit: %v", got)
	}
	xg := x.Clone().SetRequiresGrad(true)
	p.Forward(xg).BackwardWith(g)
	if got := xg.Grad().Float64s(); !slices.Equal(got, []float64{0, 0.5, 0.5, 0, 0, 4}) {
		t.Errorf("autodiff: %v", got)
	}
}

func TestReshapeLayerErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func()
		want string
	}{
		{"Reshape sizes", func() { nn.NewReshape(5).Forward(tensor.Zeros(2, 6)) }, "Reshape: shape mismatch [2 6] vs [5]: 6 elements do not fit the sizes"},
		{"Reshape two −1", func() { nn.NewReshape(-1, -1).Forward(tensor.Zeros(2, 6)) }, "at most one −1"},
		{"Reshape scalar", func() { nn.NewReshape(1).Forward(tensor.Scalar(1)) }, "want a batch axis"},
		{"Unflatten sizes", func() { nn.NewUnflatten(1, 4, 4).Forward(tensor.Zeros(2, 12)) }, "Unflatten: shape mismatch [2 12] vs [4 4]: 12 elements do not fit the sizes"},
		{"Unflatten axis", func() { nn.NewUnflatten(3, 2).Forward(tensor.Zeros(2, 12)) }, "axis 3 out of range for 2 axes"},
		{"GlobalMaxPool no spatial axis", func() { nn.NewGlobalMaxPool().Forward(tensor.Zeros(2, 12)) }, "GlobalMaxPool: shape mismatch [2 12]: no axis after the channel axis"},
		{"GlobalAvgPool axis", func() { nn.NewGlobalAvgPool(-4).Forward(tensor.Zeros(2, 3, 4)) }, "axis -4 out of range for 3 axes"},
		{"backward before forward", func() { nn.NewUnflatten(1, 2).BackwardInputs(tensor.Zeros(2)) }, "called before Forward"},
		{"wrong gradient", func() {
			r := nn.NewReshape(3, 2)
			r.Forward(tensor.Zeros(2, 6))
			r.BackwardInputs(tensor.Zeros(2, 6))
		}, "gradient must have the output's shape"},
	} {
		err := recoverErr(c.f)
		var se *tensor.ShapeError
		var le *nn.LayerError
		if err == nil || !(errors.As(err, &se) || errors.As(err, &le)) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// A generator's first step: a fully connected layer, then its output as
// feature maps.
func ExampleUnflatten() {
	rng := tensor.NewRand(1)
	g := nn.NewSequential(nn.NewLinear(rng, 8, 16*7*7), nn.NewReLU(), nn.NewUnflatten(1, 16, 7, 7))
	fmt.Println(g.Forward(tensor.Zeros(4, 8)).Shape())
	// Output: [4 16 7 7]
}

// Global max pooling over the time steps of [N, T, D] sequences.
func ExampleGlobalMaxPool() {
	x := tensor.FromFloat32([]float32{1, 5, 3, 2, 0, 4}, 1, 3, 2)
	fmt.Println(nn.NewGlobalMaxPool(1).Forward(x).Float32s())
	// Output: [3 5]
}
