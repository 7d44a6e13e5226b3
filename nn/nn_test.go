package nn_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func rnd(seed uint64, shape ...int) *tensor.Tensor {
	return tensor.To(tensor.RandN(tensor.NewRand(seed), shape...), tensor.Float64)
}

// awayFromZero keeps samples at least 0.1 from 0, where ReLU has a kink.
func awayFromZero(seed uint64, shape ...int) *tensor.Tensor {
	t := rnd(seed, shape...)
	for i := 0; i < t.Len(); i++ {
		if v := t.Flat(i); math.Abs(v) < 0.1 {
			t.SetFlat(i, v+math.Copysign(0.1, v))
		}
	}
	return t
}

func TestLayersExplicitBackward(t *testing.T) {
	rng := tensor.NewRand(7)
	cases := []struct {
		name string
		m    nn.Module
		x    *tensor.Tensor
	}{
		{"Linear", nn.NewLinear(rng, 4, 3), rnd(1, 5, 4)},
		{"Linear/no bias", nn.NewLinear(rng, 4, 3, nn.LinearNoBias()), rnd(1, 5, 4)},
		{"Linear/3-D input", nn.NewLinear(rng, 4, 3), rnd(1, 2, 5, 4)},
		{"ReLU", nn.NewReLU(), awayFromZero(1, 3, 4)},
		{"LeakyReLU", nn.NewLeakyReLU(0.2), awayFromZero(1, 3, 4)},
		{"Sigmoid", nn.NewSigmoid(), rnd(1, 3, 4)},
		{"Tanh", nn.NewTanh(), rnd(1, 3, 4)},
		{"Softmax", nn.NewSoftmax(1), rnd(1, 3, 4)},
		{"Flatten", nn.NewFlatten(), rnd(1, 2, 3, 2)},
		{"Sequential", nn.NewSequential(nn.NewLinear(rng, 4, 6), nn.NewTanh(), nn.NewLinear(rng, 6, 2)), rnd(1, 5, 4)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nn.To(c.m, tensor.Float64)
			if rep := gradcheck.Layer(c.m, c.x); !rep.OK() {
				t.Fatalf("explicit backward:\n%s", rep)
			}
			if rep := gradcheck.Module(c.m, c.x); !rep.OK() {
				t.Fatalf("autodiff:\n%s", rep)
			}
			assertExplicitMatchesAutodiff(t, c.m, c.x)
		})
	}
}

// assertExplicitMatchesAutodiff compares BackwardInputs/BackwardParams with
// the gradients that Backward computes for the same upstream gradient.
func assertExplicitMatchesAutodiff(t *testing.T, m nn.Module, x *tensor.Tensor) {
	t.Helper()
	nn.ZeroGrad(m)
	x = x.Clone().SetRequiresGrad(true)
	for _, p := range m.Params() {
		p.Tensor.SetRequiresGrad(true)
	}
	y := m.Forward(x)
	g := rnd(99, y.Shape()...)
	dx := m.BackwardInputs(g)
	pgs := m.BackwardParams(g)
	y.BackwardWith(g)
	closeTo(t, "input", dx.Values(), x.Grad().Values())
	params := m.Params()
	if len(pgs) != len(params) {
		t.Fatalf("BackwardParams returned %d gradients for %d params", len(pgs), len(params))
	}
	for i, pg := range pgs {
		if pg.Name != params[i].Name || pg.Param != params[i].Tensor {
			t.Fatalf("gradient %d is %q, param is %q", i, pg.Name, params[i].Name)
		}
		closeTo(t, pg.Name, pg.Grad.Values(), pg.Param.Grad().Values())
	}
}

func closeTo(t *testing.T, what string, a, b []float64) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d vs %d values", what, len(a), len(b))
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9*(1+math.Abs(b[i])) {
			t.Fatalf("%s[%d]: %v vs %v", what, i, a[i], b[i])
		}
	}
}

func TestLossGradients(t *testing.T) {
	labels := tensor.FromInts([]int{2, 0, 1})
	probs := tensor.To(tensor.RandU(tensor.NewRand(2), 0.1, 0.9, 3, 4), tensor.Float64)
	targets := tensor.To(tensor.RandU(tensor.NewRand(3), 0, 1, 3, 4), tensor.Float64)
	onehot := tensor.OneHot(tensor.Float64, labels, 4)
	cases := []struct {
		name string
		f    func(x *tensor.Tensor) *tensor.Tensor
		x    *tensor.Tensor
	}{
		{"MSE", func(x *tensor.Tensor) *tensor.Tensor { return nn.MSE(x, targets) }, rnd(1, 3, 4)},
		{"BCE", func(x *tensor.Tensor) *tensor.Tensor { return nn.BCE(x, targets) }, probs},
		{"BCEWithLogits", func(x *tensor.Tensor) *tensor.Tensor { return nn.BCEWithLogits(x, targets) }, rnd(1, 3, 4)},
		{"CrossEntropy", func(x *tensor.Tensor) *tensor.Tensor { return nn.CrossEntropy(x, labels) }, rnd(1, 3, 4)},
		{"CrossEntropyOneHot", func(x *tensor.Tensor) *tensor.Tensor { return nn.CrossEntropyOneHot(x, onehot) }, rnd(1, 3, 4)},
		{"L2", func(x *tensor.Tensor) *tensor.Tensor { return nn.L2(0.1, x) }, rnd(1, 3, 4)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := gradcheck.Func(func(in []*tensor.Tensor) *tensor.Tensor { return c.f(in[0]) }, []*tensor.Tensor{c.x})
			if !rep.OK() {
				t.Fatal(rep)
			}
		})
	}
}

func TestExplicitLosses(t *testing.T) {
	x := rnd(1, 3, 4)
	y := tensor.OneHot(tensor.Float64, tensor.FromInts([]int{2, 0, 1}), 4)
	var ce nn.SoftmaxCrossEntropyWithLogits
	if got, want := ce.Forward(x, y), nn.CrossEntropy(x, tensor.FromInts([]int{2, 0, 1})).Item(); math.Abs(got-want) > 1e-12 {
		t.Fatalf("forward %v, want %v", got, want)
	}
	xr := x.Clone().SetRequiresGrad(true)
	nn.CrossEntropy(xr, tensor.FromInts([]int{2, 0, 1})).Backward()
	closeTo(t, "dL/dx", ce.BackwardInputs(x, y).Values(), xr.Grad().Values())

	w := rnd(4, 2, 3)
	reg := &nn.L2Regularizer{Weights: w, Lambda: 0.01, Name: "w"}
	rl := &nn.RegularizedLoss{Data: ce, Regularizers: []*nn.L2Regularizer{reg}}
	sq := 0.0
	for _, v := range w.Values() {
		sq += v * v
	}
	if got := rl.Forward(x, y); math.Abs(got-(ce.Forward(x, y)+0.01*sq)) > 1e-12 {
		t.Fatalf("regularised loss %v", got)
	}
	pg := rl.BackwardParams()
	closeTo(t, "dR/dw", pg[0].Grad.Values(), tensor.MulScalar(w, 0.02).Values())
}

// The residual block out = x + relu(W x + b), three ways.

// residualComposed builds it from Linear and ReLU with autodiff.
type residualComposed struct {
	fc   *nn.Linear
	relu nn.Module
}

func (r *residualComposed) forward(x *tensor.Tensor) *tensor.Tensor {
	return tensor.Add(x, r.relu.Forward(r.fc.Forward(x)))
}

// residualDelegating implements the three methods by delegating to the
// explicit methods of Linear and ReLU.
type residualDelegating struct {
	fc   *nn.Linear
	relu nn.Module
}

func (r *residualDelegating) Forward(x *tensor.Tensor) *tensor.Tensor {
	return tensor.Add(x, r.relu.Forward(r.fc.Forward(x)))
}
func (r *residualDelegating) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	return tensor.Add(g, r.fc.BackwardInputs(r.relu.BackwardInputs(g)))
}
func (r *residualDelegating) BackwardParams(g *tensor.Tensor) []nn.ParamGrad {
	return r.fc.BackwardParams(r.relu.BackwardInputs(g))
}
func (r *residualDelegating) Params() []nn.Param { return r.fc.Params() }

// residualRaw is written by hand from raw tensors.
type residualRaw struct {
	W, b *tensor.Tensor
	x, h *tensor.Tensor
}

func (r *residualRaw) Forward(x *tensor.Tensor) *tensor.Tensor {
	r.x = x
	r.h = tensor.Add(tensor.MatMul(x, tensor.T(r.W)), r.b)
	return tensor.Add(x, tensor.ReLU(r.h))
}
func (r *residualRaw) dh(g *tensor.Tensor) *tensor.Tensor {
	d := g.Clone()
	for i := 0; i < d.Len(); i++ {
		if r.h.Flat(i) <= 0 {
			d.SetFlat(i, 0)
		}
	}
	return d
}
func (r *residualRaw) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	return tensor.Add(g, tensor.MatMul(r.dh(g), r.W))
}
func (r *residualRaw) BackwardParams(g *tensor.Tensor) []nn.ParamGrad {
	dh := r.dh(g)
	return []nn.ParamGrad{
		{Name: "weight", Param: r.W, Grad: tensor.MatMul(tensor.T(dh), r.x)},
		{Name: "bias", Param: r.b, Grad: tensor.Sum(dh, 0)},
	}
}
func (r *residualRaw) Params() []nn.Param {
	return []nn.Param{{Name: "weight", Tensor: r.W}, {Name: "bias", Tensor: r.b}}
}

func TestResidualBlockThreeWays(t *testing.T) {
	const d = 4
	rng := tensor.NewRand(11)
	fc := nn.NewLinear(rng, d, d)
	nn.To(fc, tensor.Float64)
	W, b := fc.Weight.Detach().Clone(), fc.Bias.Detach().Clone()
	x := awayFromZero(5, 6, d)
	g := rnd(6, 6, d)

	type result struct{ y, dx, dW, db []float64 }
	var res []result

	// 1. composed, autodiff
	comp := &residualComposed{fc: fc, relu: nn.NewReLU()}
	xa := x.Clone().SetRequiresGrad(true)
	nn.ZeroGrad(fc)
	y := comp.forward(xa)
	y.BackwardWith(g)
	res = append(res, result{y.Values(), xa.Grad().Values(), fc.Weight.Grad().Values(), fc.Bias.Grad().Values()})
	rep := gradcheck.Func(func(in []*tensor.Tensor) *tensor.Tensor { return comp.forward(in[0]) }, []*tensor.Tensor{x.Clone(), fc.Weight, fc.Bias})
	if !rep.OK() {
		t.Fatalf("composed:\n%s", rep)
	}

	// 2. delegating, explicit methods
	del := &residualDelegating{fc: nn.NewLinear(rng, d, d), relu: nn.NewReLU()}
	nn.To(del.fc, tensor.Float64)
	del.fc.Weight.CopyFrom(W)
	del.fc.Bias.CopyFrom(b)
	y2 := del.Forward(x)
	pg := del.BackwardParams(g)
	res = append(res, result{y2.Values(), del.BackwardInputs(g).Values(), pg[0].Grad.Values(), pg[1].Grad.Values()})
	if rep := gradcheck.Layer(del, x.Clone()); !rep.OK() {
		t.Fatalf("delegating:\n%s", rep)
	}

	// 3. raw tensors, explicit methods
	raw := &residualRaw{W: W.Clone(), b: b.Clone()}
	y3 := raw.Forward(x)
	pg3 := raw.BackwardParams(g)
	res = append(res, result{y3.Values(), raw.BackwardInputs(g).Values(), pg3[0].Grad.Values(), pg3[1].Grad.Values()})
	if rep := gradcheck.Layer(raw, x.Clone()); !rep.OK() {
		t.Fatalf("raw:\n%s", rep)
	}

	for i := 1; i < 3; i++ {
		closeTo(t, "output", res[i].y, res[0].y)
		closeTo(t, "dx", res[i].dx, res[0].dx)
		closeTo(t, "dW", res[i].dW, res[0].dW)
		closeTo(t, "db", res[i].db, res[0].db)
	}

	// The hand-written blocks plug into autodiff through Wrap.
	for name, l := range map[string]nn.Layer{"delegating": del, "raw": raw} {
		m := nn.Wrap(l)
		if rep := gradcheck.Module(m, x.Clone()); !rep.OK() {
			t.Fatalf("wrapped %s:\n%s", name, rep)
		}
	}
}

func TestWrapInSequential(t *testing.T) {
	rng := tensor.NewRand(3)
	raw := &residualRaw{W: rnd(1, 3, 3), b: rnd(2, 3)}
	s := nn.NewSequential(nn.NewLinear(rng, 2, 3), raw, nn.NewLinear(rng, 3, 1))
	nn.To(s, tensor.Float64)
	names := []string{}
	for _, p := range s.Params() {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "0.weight,0.bias,1.weight,1.bias,2.weight,2.bias" {
		t.Fatalf("names %v", names)
	}
	if rep := gradcheck.Module(s, rnd(4, 5, 2)); !rep.OK() {
		t.Fatal(rep)
	}
}

func TestBackwardBeforeForward(t *testing.T) {
	for name, l := range map[string]nn.Layer{"Linear": nn.NewLinear(tensor.NewRand(1), 2, 2), "ReLU": nn.NewReLU(), "Softmax": nn.NewSoftmax(1), "Flatten": nn.NewFlatten()} {
		func() {
			defer func() {
				r := recover()
				var le *nn.LayerError
				if err, ok := r.(error); !ok || !errors.As(err, &le) || !strings.Contains(err.Error(), "before Forward") {
					t.Errorf("%s: got %v, want LayerError", name, r)
				}
			}()
			l.BackwardInputs(tensor.Ones(1, 2))
		}()
	}
}

func TestLinearShapeError(t *testing.T) {
	defer func() {
		var se *tensor.ShapeError
		if err, ok := recover().(error); !ok || !errors.As(err, &se) || !strings.Contains(err.Error(), "Linear") {
			t.Fatalf("got %v", err)
		}
	}()
	nn.NewLinear(tensor.NewRand(1), 3, 2).Forward(tensor.Ones(4, 5))
}

func TestInitializers(t *testing.T) {
	rng := tensor.NewRand(1)
	w := tensor.Zeros(256, 128)
	stats := func() (mean, std, maxAbs float64) {
		v := w.Values()
		for _, x := range v {
			mean += x
			maxAbs = math.Max(maxAbs, math.Abs(x))
		}
		mean /= float64(len(v))
		for _, x := range v {
			std += (x - mean) * (x - mean)
		}
		return mean, math.Sqrt(std / float64(len(v))), maxAbs
	}
	sigma := math.Sqrt(2.0 / 128)
	nn.VarianceScaling(2)(rng, w)
	if _, s, m := stats(); m > 2*sigma+1e-7 || math.Abs(s/(0.8796*sigma)-1) > 0.05 {
		t.Fatalf("variance scaling: std %v max %v (σ %v)", s, m, sigma)
	}
	nn.KaimingNormal()(rng, w)
	if _, s, _ := stats(); math.Abs(s/sigma-1) > 0.05 {
		t.Fatalf("kaiming normal std %v, want %v", s, sigma)
	}
	nn.XavierUniform(1)(rng, w)
	if _, _, m := stats(); m > math.Sqrt(6.0/384) {
		t.Fatalf("xavier bound exceeded: %v", m)
	}
	nn.Constant(0.5)(rng, w)
	if mean, s, _ := stats(); mean != 0.5 || s != 0 {
		t.Fatal("constant")
	}
	if in, out := nn.Fans([]int{16, 3, 5, 5}); in != 75 || out != 400 {
		t.Fatalf("conv fans %d %d", in, out)
	}
	if err := nn.SetValues(tensor.Zeros(2, 2), 1, 2, 3); err == nil {
		t.Fatal("SetValues accepted a wrong count")
	}
}
