package optim_test

import (
	"math"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// zeroParams returns one float64 parameter with values v and gradient g.
func zeroParams(v, g []float64) []nn.Param {
	p := tensor.FromFloat64(v, len(v))
	p.SetGrad(tensor.FromFloat64(g, len(g)))
	return []nn.Param{{Name: "p", Tensor: p}}
}

// TestClipToZero: a limit of 0 is valid (not a configuration error) and
// clips every gradient to zero, as in PyTorch.
func TestClipToZero(t *testing.T) {
	ps := zeroParams([]float64{1, 2}, []float64{3, -4})
	if n := optim.ClipGradNorm(ps, 0); n != 5 {
		t.Fatalf("norm before clipping %v, want 5", n)
	}
	for i, g := range ps[0].Tensor.Grad().Values() {
		if g != 0 {
			t.Fatalf("grad[%d] = %v after ClipGradNorm(0)", i, g)
		}
	}
	ps = zeroParams([]float64{1, 2}, []float64{3, -4})
	optim.ClipGradValue(ps, 0)
	for i, g := range ps[0].Tensor.Grad().Values() {
		if g != 0 {
			t.Fatalf("grad[%d] = %v after ClipGradValue(0)", i, g)
		}
	}
}

// TestLRZero: a rate of 0 (the last stage of some schedules) is valid and
// leaves the parameters where they are.
func TestLRZero(t *testing.T) {
	ps := zeroParams([]float64{1, 2}, []float64{3, -4})
	opt := optim.NewSGD(ps, optim.SGDConfig{LR: 0.1})
	opt.SetLR(0)
	opt.Step()
	if v := ps[0].Tensor.Values(); v[0] != 1 || v[1] != 2 || opt.LR() != 0 {
		t.Fatalf("lr 0 moved the parameters to %v (LR %v)", v, opt.LR())
	}
}

// TestRMSPropAlphaOne: α = 1 would never update the average; it is refused.
func TestRMSPropAlphaOne(t *testing.T) {
	defer func() {
		if _, ok := recover().(*optim.ConfigError); !ok {
			t.Fatal("alpha 1 accepted")
		}
	}()
	optim.NewRMSProp(zeroParams([]float64{1}, []float64{1}), optim.RMSPropConfig{Alpha: 1})
}

// TestRMSPropCenteredState: after one step of centered RMSProp without
// momentum the state is PyTorch's square_avg = (1−α)g² and grad_avg =
// (1−α)g, in that order and nothing else; it loads back (a step count of
// 1 is valid) and the next step matches an uninterrupted run.
func TestRMSPropCenteredState(t *testing.T) {
	cfg := optim.RMSPropConfig{LR: 0.01, Alpha: 0.9, Centered: true}
	g := []float64{0.5, -2}
	ps := zeroParams([]float64{1, 2}, g)
	opt := optim.NewRMSProp(ps, cfg)
	opt.Step()
	st, err := optim.StateOf(opt)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range st {
		names = append(names, s.Name)
	}
	if len(st) != 3 || names[0] != "p.step" || names[1] != "p.state0" || names[2] != "p.state1" {
		t.Fatalf("state %v, want p.step, p.state0 (square_avg), p.state1 (grad_avg)", names)
	}
	for i, gi := range g {
		if sq, ga := st[1].Tensor.Flat(i), st[2].Tensor.Flat(i); math.Abs(sq-0.1*gi*gi) > 1e-15 || math.Abs(ga-0.1*gi) > 1e-15 {
			t.Fatalf("element %d: square_avg %v grad_avg %v, want %v and %v", i, sq, ga, 0.1*gi*gi, 0.1*gi)
		}
	}

	resumed := zeroParams(ps[0].Tensor.Values(), g)
	opt2 := optim.NewRMSProp(resumed, cfg)
	if err := optim.LoadState(opt2, st); err != nil {
		t.Fatalf("state after one step: %v", err)
	}
	opt.Step()
	opt2.Step()
	if a, b := ps[0].Tensor.Values(), resumed[0].Tensor.Values(); a[0] != b[0] || a[1] != b[1] {
		t.Fatalf("resumed step %v, uninterrupted %v", b, a)
	}

	// two stray tensors are counted as such
	stray := append(st, nn.Param{Name: "q.step", Tensor: tensor.FromFloat64([]float64{1}, 1)},
		nn.Param{Name: "r.step", Tensor: tensor.FromFloat64([]float64{1}, 1)})
	if err := optim.LoadState(opt2, stray); err == nil || !strings.Contains(err.Error(), "2 state tensors do not belong") {
		t.Fatalf("stray tensors: %v", err)
	}
}

// TestPiecewiseFromEpochOne: the course's schedule starts at epoch 1;
// rates print with all their digits.
func TestPiecewiseFromEpochOne(t *testing.T) {
	s, err := optim.ParsePiecewise("1:0.125, 3:0.0625")
	if err != nil {
		t.Fatal(err)
	}
	for e, want := range map[int]float64{1: 0.125, 2: 0.125, 3: 0.0625, 9: 0.0625} {
		if got := s.LR(e); got != want {
			t.Errorf("LR(%d) = %v, want %v", e, got, want)
		}
	}
	if got := s.String(); got != "1:0.125,3:0.0625" {
		t.Errorf("String() = %q", got)
	}
	if _, err := optim.ParsePiecewise("0:0.1"); err == nil {
		t.Error("epoch 0 accepted")
	}
	// a last stage of rate 0 (training frozen) is valid
	if s, err := optim.ParsePiecewise("1:0.1,5:0"); err != nil || s.LR(6) != 0 {
		t.Errorf("rate 0: %v, %v", s, err)
	}
}

// TestStepReusesScratch: SGD with weight decay and Nesterov momentum
// keeps its temporaries between steps (at most the one allocation of the
// parallel loop's closure per step).
func TestStepReusesScratch(t *testing.T) {
	for _, dt := range []tensor.DType{tensor.Float32, tensor.Float64} {
		p := tensor.To(tensor.FromFloat64([]float64{1, 2, 3}, 3), dt)
		p.SetGrad(tensor.To(tensor.FromFloat64([]float64{0.1, 0.2, 0.3}, 3), dt))
		opt := optim.NewSGD([]nn.Param{{Name: "p", Tensor: p}}, optim.SGDConfig{LR: 0.01, WeightDecay: 0.1, Momentum: 0.9, Nesterov: true})
		opt.Step()
		if n := testing.AllocsPerRun(20, opt.Step); n > 1 {
			t.Errorf("%v: %v allocations per step", dt, n)
		}
	}
}

// TestClipValueKeepsSignedZeros: clamping to [−0, 0] leaves +0 and −0 as
// they are, bit for bit as torch.clamp does.
func TestClipValueKeepsSignedZeros(t *testing.T) {
	negZero := math.Copysign(0, -1)
	ps := zeroParams([]float64{1, 2, 3}, []float64{0, negZero, 5})
	optim.ClipGradValue(ps, 0)
	g := ps[0].Tensor.Grad().Values()
	if math.Signbit(g[0]) || !math.Signbit(g[1]) || g[2] != 0 {
		t.Fatalf("got %v (sign bits %v %v), want +0 −0 0", g, math.Signbit(g[0]), math.Signbit(g[1]))
	}
}
