package gradcheck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func rnd(seed uint64, shape ...int) *tensor.Tensor {
	return tensor.To(tensor.RandN(tensor.NewRand(seed), shape...), tensor.Float64)
}

// fc is a hand-written fully connected layer y = x·Wᵀ + b in the style of
// the course's layers.py, with switchable classic bugs.
type fc struct {
	W, b       *tensor.Tensor
	x          *tensor.Tensor
	transposed bool // bug: ∂L/∂W = xᵀ·g instead of gᵀ·x
}

func (l *fc) Forward(x *tensor.Tensor) *tensor.Tensor {
	l.x = x
	return tensor.Add(tensor.MatMul(x, tensor.T(l.W)), l.b)
}
func (l *fc) BackwardInputs(g *tensor.Tensor) *tensor.Tensor { return tensor.MatMul(g, l.W) }
func (l *fc) BackwardParams(g *tensor.Tensor) []nn.ParamGrad {
	gw := tensor.MatMul(tensor.T(g), l.x)
	if l.transposed {
		gw = tensor.MatMul(tensor.T(l.x), g)
	}
	return []nn.ParamGrad{{Name: "weight", Param: l.W, Grad: gw}, {Name: "bias", Param: l.b, Grad: tensor.Sum(g, 0)}}
}

// relu is a hand-written ReLU with switchable classic bugs.
type relu struct {
	x              *tensor.Tensor
	buf            *tensor.Tensor
	mutateGrad     bool // bug: zeroes the incoming gradient in place
	reuseOutputBuf bool // bug: returns the same cached buffer every call
}

func (r *relu) Forward(x *tensor.Tensor) *tensor.Tensor {
	r.x = x
	if r.reuseOutputBuf {
		if r.buf == nil {
			r.buf = tensor.ZerosLike(x)
		}
		for i := 0; i < x.Len(); i++ {
			r.buf.SetFlat(i, max(x.Flat(i), 0))
		}
		return r.buf
	}
	return tensor.ReLU(x)
}

func (r *relu) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	out := g
	if !r.mutateGrad {
		out = g.Clone()
	}
	for i := 0; i < g.Len(); i++ {
		if r.x.Flat(i) <= 0 {
			out.SetFlat(i, 0)
		}
	}
	return out
}
func (r *relu) BackwardParams(*tensor.Tensor) []nn.ParamGrad { return nil }

func TestLayerCatchesClassicMistakes(t *testing.T) {
	x := rnd(1, 4, 3)
	cases := []struct {
		name  string
		layer nn.Layer
		want  string // "" means the check must pass
	}{
		{"correct fc", &fc{W: rnd(2, 5, 3), b: rnd(3, 5)}, ""},
		{"correct relu", &relu{}, ""},
		{"transposed weight gradient (square)", &fc{W: rnd(2, 3, 3), b: rnd(3, 3), transposed: true}, "weight"},
		{"transposed weight gradient (non-square)", &fc{W: rnd(2, 5, 3), b: rnd(3, 5), transposed: true}, "transposed"},
		{"backward mutates incoming gradient", &relu{mutateGrad: true}, "modified its incoming gradient"},
		{"forward output aliases cached buffer", &relu{reuseOutputBuf: true}, "aliases a buffer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := gradcheck.Layer(c.layer, x.Clone())
			if c.want == "" {
				if !rep.OK() {
					t.Fatalf("correct layer failed:\n%s", rep)
				}
				return
			}
			if rep.OK() {
				t.Fatalf("bug not caught:\n%s", rep)
			}
			if !strings.Contains(rep.String(), c.want) {
				t.Fatalf("report does not mention %q:\n%s", c.want, rep)
			}
		})
	}
}

func TestFuncCatchesWrongBackward(t *testing.T) {
	// A custom op claiming d(x²)/dx = x (should be 2x).
	sq := func(in []*tensor.Tensor) *tensor.Tensor {
		x := in[0]
		var y *tensor.Tensor
		tensor.NoGrad(func() { y = tensor.Mul(x, x) })
		return tensor.Custom("BadSquare", y, []*tensor.Tensor{x}, func(g *tensor.Tensor) []*tensor.Tensor {
			return []*tensor.Tensor{tensor.Mul(g, x)}
		})
	}
	x := rnd(1, 5).SetName("x")
	rep := gradcheck.Func(sq, []*tensor.Tensor{x})
	if rep.OK() {
		t.Fatalf("wrong backward passed:\n%s", rep)
	}
	if !strings.Contains(rep.String(), "FAIL x") {
		t.Fatalf("report does not name the tensor:\n%s", rep)
	}
	if rep.Results[0].RelError < 0.3 {
		t.Fatalf("relative error %v too small for a factor-2 mistake", rep.Results[0].RelError)
	}
}

func TestRelError(t *testing.T) {
	if got := gradcheck.RelError([]float64{1, 0}, []float64{1, 0}); got != 0 {
		t.Fatalf("equal vectors: %v", got)
	}
	if got := gradcheck.RelError([]float64{1}, []float64{3}); got != 0.5 {
		t.Fatalf("|1-3|/(1+3) = 0.5, got %v", got)
	}
}

func TestModel(t *testing.T) {
	rng := tensor.NewRand(3)
	m := nn.NewSequential(nn.NewLinear(rng, 3, 4), nn.NewTanh(), nn.NewLinear(rng, 4, 2))
	nn.To(m, tensor.Float64)
	rep := gradcheck.Module(m, rnd(4, 5, 3))
	if !rep.OK() {
		t.Fatal(rep)
	}
	if len(rep.Results) != 5 || rep.Results[1].Name != "0.weight" {
		t.Fatalf("expected input + 4 named params:\n%s", rep)
	}
}

func ExampleLayer() {
	rng := tensor.NewRand(1)
	l := nn.NewLinear(rng, 3, 2)
	nn.To(l, tensor.Float64)
	x := tensor.To(tensor.RandN(rng, 4, 3), tensor.Float64)
	rep := gradcheck.Layer(l, x)
	for _, r := range rep.Results {
		fmt.Println(r.Name, r.Passed)
	}
	// Output:
	// input true
	// weight true
	// bias true
}

func TestSamples(t *testing.T) {
	rng := tensor.NewRand(5)
	m := nn.NewSequential(nn.NewLinear(rng, 40, 30), nn.NewTanh(), nn.NewLinear(rng, 30, 3))
	nn.To(m, tensor.Float64)
	rep := gradcheck.Module(m, rnd(6, 4, 40), gradcheck.Options{Samples: 7})
	if !rep.OK() || !strings.Contains(rep.String(), "0.weight (7 of 1200 elements)") {
		t.Fatalf("sampled check:\n%s", rep)
	}
	// a wrong gradient is still caught from a sample
	bad := &fc{W: rnd(2, 40, 40), b: rnd(3, 40), transposed: true}
	if rep := gradcheck.Layer(bad, rnd(1, 4, 40), gradcheck.Options{Samples: 10}); rep.OK() {
		t.Fatalf("transposed gradient passed a sampled check:\n%s", rep)
	}
}
