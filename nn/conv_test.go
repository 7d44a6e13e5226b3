package nn_test

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// fdLoss returns L = Σ m.Forward(x)⊙g without recording.
func fdLoss(m nn.Layer, x, g *tensor.Tensor) float64 {
	var s float64
	tensor.NoGrad(func() {
		y := m.Forward(x).Values()
		for i, v := range g.Values() {
			s += y[i] * v
		}
	})
	return s
}

// numGrad returns ∂L/∂t by central differences, perturbing t in place.
func numGrad(t *tensor.Tensor, loss func() float64) []float64 {
	const h = 1e-6
	out := make([]float64, t.Len())
	d := t.Float64s()
	for i := range d {
		old := d[i]
		d[i] = old + h
		lp := loss()
		d[i] = old - h
		lm := loss()
		d[i] = old
		out[i] = (lp - lm) / (2 * h)
	}
	return out
}

func agree(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(got[i] - want[i]); d > tol*(math.Abs(got[i])+math.Abs(want[i]))+tol {
			t.Fatalf("%s[%d] = %.10g, want %.10g", what, i, got[i], want[i])
		}
	}
}

// checkExplicit gradient-checks a float64 layer's hand-written
// BackwardInputs and BackwardParams against finite differences of
// L = Σ Forward(x)⊙G, and against the autodiff gradients of Forward.
func checkExplicit(t *testing.T, m nn.Module, x *tensor.Tensor) {
	t.Helper()
	nn.To(m, tensor.Float64)
	x = x.Clone()
	var g *tensor.Tensor
	tensor.NoGrad(func() { g = rnd(99, m.Forward(x).Shape()...) })
	// Explicit gradients.
	m.Forward(x)
	dx := m.BackwardInputs(g)
	pgs := m.BackwardParams(g)
	// Finite differences.
	loss := func() float64 { return fdLoss(m, x, g) }
	agree(t, "explicit ∂L/∂x vs numerical", dx.Values(), numGrad(x, loss), 1e-6)
	for _, pg := range pgs {
		agree(t, "explicit ∂L/∂"+pg.Name+" vs numerical", pg.Grad.Values(), numGrad(pg.Param, loss), 1e-6)
	}
	// Autodiff.
	nn.ZeroGrad(m)
	xr := x.Clone().SetRequiresGrad(true)
	m.Forward(xr).BackwardWith(g)
	agree(t, "explicit vs autodiff ∂L/∂x", dx.Values(), xr.Grad().Values(), 1e-10)
	params := m.Params()
	if len(pgs) != len(params) {
		t.Fatalf("BackwardParams returned %d gradients for %d params", len(pgs), len(params))
	}
	for i, pg := range pgs {
		if pg.Name != params[i].Name || pg.Param != params[i].Tensor {
			t.Fatalf("gradient %d is %q, param is %q", i, pg.Name, params[i].Name)
		}
		agree(t, "explicit vs autodiff ∂L/∂"+pg.Name, pg.Grad.Values(), pg.Param.Grad().Values(), 1e-10)
	}
}

func TestConv2dLayer(t *testing.T) {
	rng := tensor.NewRand(3)
	cases := []struct {
		name string
		m    *nn.Conv2d
		x    []int
	}{
		{"3x3", nn.NewConv2d(rng, 2, 3, 3), []int{2, 2, 5, 5}},
		{"5x5 pad2", nn.NewConv2d(rng, 1, 2, 5, nn.ConvPadding(2)), []int{2, 1, 6, 6}},
		{"stride2 pad1", nn.NewConv2d(rng, 2, 2, 3, nn.ConvStride(2), nn.ConvPadding(1)), []int{2, 2, 7, 6}},
		{"dilation2 no bias", nn.NewConv2d(rng, 2, 2, 3, nn.ConvDilation(2), nn.ConvNoBias()), []int{2, 2, 7, 7}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkExplicit(t, c.m, rnd(1, c.x...)) })
	}
}

func TestConv2dInitAndNames(t *testing.T) {
	c := nn.NewConv2d(tensor.NewRand(1), 16, 32, 5)
	if s := c.Weight.Shape(); len(s) != 4 || s[0] != 32 || s[1] != 16 || s[2] != 5 || s[3] != 5 {
		t.Fatalf("weight shape %v", s)
	}
	bound := 1 / math.Sqrt(16*25)
	maxAbs := 0.0
	for _, v := range c.Weight.Values() {
		maxAbs = math.Max(maxAbs, math.Abs(v))
	}
	if maxAbs > bound || maxAbs < 0.9*bound {
		t.Errorf("weights within ±%v, max |w| = %v", bound, maxAbs)
	}
	ps := c.Params()
	if len(ps) != 2 || ps[0].Name != "weight" || ps[1].Name != "bias" || nn.NumParams(c) != 32*16*25+32 {
		t.Errorf("params %v", ps)
	}
	y := c.Forward(tensor.Zeros(2, 16, 14, 14))
	if s := y.Shape(); s[1] != 32 || s[2] != 10 || s[3] != 10 {
		t.Errorf("output shape %v", s)
	}
}

func BenchmarkConv2dLayerStep(b *testing.B) {
	// Forward and explicit backward of lab 2's conv2 at batch 50.
	c := nn.NewConv2d(tensor.NewRand(1), 16, 32, 5, nn.ConvPadding(2))
	x := tensor.RandN(tensor.NewRand(2), 50, 16, 14, 14)
	g := tensor.RandN(tensor.NewRand(3), 50, 32, 14, 14)
	b.ReportAllocs()
	for b.Loop() {
		c.Forward(x)
		c.BackwardInputs(g)
		c.BackwardParams(g)
	}
}

// torchTensor is a tensor in layers_torch.json.
type torchTensor struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

func (tt torchTensor) to(dt tensor.DType) *tensor.Tensor {
	return tensor.FromValues(dt, tt.Data, tt.Shape...)
}

// torchCase is one layer run by nn/testdata/gen_layers.py.
type torchCase struct {
	Name   string `json:"name"`
	Layer  string `json:"layer"`
	Config struct {
		In, Out, Kernel, Stride, Padding, Dilation, Features int
		Bias                                                 bool
		Eps, Momentum                                        float64
	} `json:"config"`
	Training     bool                   `json:"training"`
	X            torchTensor            `json:"x"`
	GradOut      torchTensor            `json:"grad_out"`
	Params       map[string]torchTensor `json:"params"`
	Buffers      map[string]torchTensor `json:"buffers"`
	Output       torchTensor            `json:"output"`
	GradInput    torchTensor            `json:"grad_input"`
	GradParams   map[string]torchTensor `json:"grad_params"`
	BuffersAfter map[string]torchTensor `json:"buffers_after"`
}

func (c *torchCase) module(t *testing.T) nn.Module {
	k := c.Config
	switch c.Layer {
	case "Conv2d":
		opts := []nn.ConvOption{nn.ConvStride(k.Stride), nn.ConvPadding(k.Padding), nn.ConvDilation(k.Dilation)}
		if !k.Bias {
			opts = append(opts, nn.ConvNoBias())
		}
		return nn.NewConv2d(tensor.NewRand(1), k.In, k.Out, k.Kernel, opts...)
	case "MaxPool2d":
		return nn.NewMaxPool2d(k.Kernel, poolOpts(k.Stride, k.Padding)...)
	case "AvgPool2d":
		return nn.NewAvgPool2d(k.Kernel, poolOpts(k.Stride, k.Padding)...)
	case "BatchNorm2d":
		b := nn.NewBatchNorm2d(k.Features)
		b.Eps, b.Momentum = k.Eps, k.Momentum
		return b
	}
	t.Fatalf("unknown layer %q", c.Layer)
	return nil
}

// closeRel fails unless got ≈ want within tol relative to each value plus
// tol times the largest |want| (float32 sums round relative to their terms).
func closeRel(t *testing.T, what string, got *tensor.Tensor, want torchTensor, tol float64) {
	t.Helper()
	gs := got.Shape()
	if len(gs) != len(want.Shape) {
		t.Fatalf("%s: shape %v, want %v", what, gs, want.Shape)
	}
	for i := range gs {
		if gs[i] != want.Shape[i] {
			t.Fatalf("%s: shape %v, want %v", what, gs, want.Shape)
		}
	}
	scale := 0.0
	for _, v := range want.Data {
		scale = math.Max(scale, math.Abs(v))
	}
	for i, v := range got.Values() {
		w := want.Data[i]
		if math.Abs(v-w) > tol*(math.Abs(w)+scale) {
			t.Fatalf("%s[%d] = %.9g, PyTorch %.9g", what, i, v, w)
		}
	}
}

func TestLayersAgainstPyTorch(t *testing.T) {
	raw, err := os.ReadFile("testdata/layers_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []torchCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Cases) < 10 {
		t.Fatalf("only %d cases", len(file.Cases))
	}
	for _, c := range file.Cases {
		for _, dt := range []tensor.DType{tensor.Float64, tensor.Float32} {
			tol := 1e-10
			if dt == tensor.Float32 {
				tol = 1e-5
			}
			t.Run(c.Name+"/"+dt.String(), func(t *testing.T) {
				m := c.module(t)
				nn.To(m, dt)
				named := map[string]*tensor.Tensor{}
				for _, p := range nn.StateDict(m) {
					named[p.Name] = p.Tensor
				}
				for name, v := range c.Params {
					named[name].CopyFrom(v.to(dt))
				}
				for name, v := range c.Buffers {
					named[name].CopyFrom(v.to(dt))
				}
				m.SetTraining(c.Training)
				x := c.X.to(dt).SetRequiresGrad(true)
				g := c.GradOut.to(dt)
				y := m.Forward(x)
				closeRel(t, "output", y, c.Output, tol)
				for name, v := range c.BuffersAfter {
					closeRel(t, name, named[name], v, tol)
				}
				closeRel(t, "explicit grad input", m.BackwardInputs(g), c.GradInput, tol)
				pgs := m.BackwardParams(g)
				if len(pgs) != len(c.GradParams) {
					t.Fatalf("%d parameter gradients, PyTorch has %d", len(pgs), len(c.GradParams))
				}
				for _, pg := range pgs {
					closeRel(t, "explicit grad "+pg.Name, pg.Grad, c.GradParams[pg.Name], tol)
				}
				y.BackwardWith(g)
				closeRel(t, "autodiff grad input", x.Grad(), c.GradInput, tol)
				for _, p := range m.Params() {
					closeRel(t, "autodiff grad "+p.Name, p.Tensor.Grad(), c.GradParams[p.Name], tol)
				}
			})
		}
	}
}

// poolOpts returns the pooling options of a fixture (stride 0: default).
func poolOpts(stride, padding int) []nn.PoolOption {
	opts := []nn.PoolOption{nn.PoolPadding(padding)}
	if stride != 0 {
		opts = append(opts, nn.PoolStride(stride))
	}
	return opts
}
