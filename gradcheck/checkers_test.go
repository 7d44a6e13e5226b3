package gradcheck_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func TestReportOKAndErr(t *testing.T) {
	var empty gradcheck.Report
	if empty.OK() || empty.Err() == nil || !strings.Contains(empty.String(), "no tensors checked") {
		t.Fatalf("an empty report passed: OK %v, %q", empty.OK(), empty.String())
	}
	pass := gradcheck.Report{Results: []gradcheck.Result{{Name: "a", Passed: true}, {Name: "b", Passed: true}}}
	if !pass.OK() || pass.Err() != nil {
		t.Fatalf("all passed, but OK %v, Err %v", pass.OK(), pass.Err())
	}
	for i := range 2 {
		fail := gradcheck.Report{Results: []gradcheck.Result{{Name: "a", Passed: true}, {Name: "b", Passed: true}}}
		fail.Results[i].Passed = false
		fail.Results[i].Problem = "broken"
		err := fail.Err()
		if fail.OK() || err == nil {
			t.Fatalf("result %d failed, but OK %v", i, fail.OK())
		}
		want := []string{"gradient check failed", "FAIL " + fail.Results[i].Name, "broken", "ok   " + fail.Results[1-i].Name}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error lacks %q:\n%v", w, err)
			}
		}
	}
}

// TestFuncOutputIndependentOfInputs: f ignores its inputs.
func TestFuncOutputIndependentOfInputs(t *testing.T) {
	c := rnd(2, 3)
	rep := gradcheck.Func(func([]*tensor.Tensor) *tensor.Tensor { return tensor.Mul(c, c) }, []*tensor.Tensor{rnd(1, 3)})
	if rep.OK() || len(rep.Results) != 1 || !strings.Contains(rep.Results[0].Problem, "does not depend on any input") {
		t.Fatalf("got:\n%s", rep)
	}
}

// TestFuncRestoresInputs: the inputs keep their RequiresGrad and are left
// without gradients; an input that f does not use gets a zero gradient,
// which passes.
func TestFuncRestoresInputs(t *testing.T) {
	a, b := rnd(1, 2, 3), rnd(2, 2, 3).SetRequiresGrad(true)
	rep := gradcheck.Func(func(in []*tensor.Tensor) *tensor.Tensor { return tensor.Mul(in[0], in[0]) }, []*tensor.Tensor{a, b})
	if !rep.OK() || len(rep.Results) != 2 || rep.Results[0].Name != "input 0" || rep.Results[1].Name != "input 1" {
		t.Fatalf("got:\n%s", rep)
	}
	if a.RequiresGrad() || !b.RequiresGrad() {
		t.Fatalf("RequiresGrad not restored: %v %v", a.RequiresGrad(), b.RequiresGrad())
	}
	if a.Grad() != nil || b.Grad() != nil {
		t.Fatal("gradients left on the inputs")
	}
	// a stale gradient from before is not counted
	x := rnd(3, 4).SetRequiresGrad(true)
	tensor.Sum(tensor.Mul(x, x)).Backward()
	if rep := gradcheck.Func(func(in []*tensor.Tensor) *tensor.Tensor { return tensor.Tanh(in[0]) }, []*tensor.Tensor{x}); !rep.OK() {
		t.Fatalf("stale gradient counted:\n%s", rep)
	}
}

func TestFloat64Required(t *testing.T) {
	x32 := tensor.RandN(tensor.NewRand(1), 2, 2)
	for name, f := range map[string]func(){
		"Func": func() {
			gradcheck.Func(func(in []*tensor.Tensor) *tensor.Tensor { return in[0] }, []*tensor.Tensor{x32})
		},
		"Layer": func() { gradcheck.Layer(nn.NewTanh(), x32) },
		"Params": func() {
			gradcheck.Params(func() *tensor.Tensor { return tensor.Sum(x32) }, []string{"x"}, []*tensor.Tensor{x32})
		},
	} {
		func() {
			defer func() {
				var e *tensor.DTypeError
				if err, _ := recover().(error); !errors.As(err, &e) || !strings.Contains(e.Error(), "gradcheck") {
					t.Errorf("%s on float32: recovered %v, want a DTypeError naming gradcheck", name, err)
				}
			}()
			f()
		}()
	}
}

// scale is y = x⊙w with a switchable wrong weight gradient.
type scale struct {
	w, x  *tensor.Tensor
	wrong bool
}

func (s *scale) Forward(x *tensor.Tensor) *tensor.Tensor { s.x = x; return tensor.Mul(x, s.w) }
func (s *scale) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	return tensor.Mul(g, s.w)
}
func (s *scale) BackwardParams(g *tensor.Tensor) []nn.ParamGrad {
	gw := tensor.Sum(tensor.Mul(g, s.x), 0)
	if s.wrong {
		gw = tensor.Sum(g, 0)
	}
	return []nn.ParamGrad{{Name: "w", Param: s.w, Grad: gw}}
}
func (s *scale) Params() []nn.Param { return []nn.Param{{Name: "w", Tensor: s.w}} }

func TestParams(t *testing.T) {
	x := rnd(1, 5, 3)
	for _, wrong := range []bool{false, true} {
		l := &scale{w: rnd(2, 3).SetRequiresGrad(true), wrong: wrong}
		m := nn.Wrap(l)
		rep := gradcheck.Params(func() *tensor.Tensor { return tensor.Sum(tensor.Square(m.Forward(x))) }, []string{"w"}, []*tensor.Tensor{l.w})
		if rep.OK() == wrong || len(rep.Results) != 1 || rep.Results[0].Name != "w" {
			t.Errorf("wrong %v:\n%s", wrong, rep)
		}
	}
	// a parameter the loss does not use has a zero gradient: passes
	unused := rnd(3, 4).SetRequiresGrad(true)
	w := rnd(2, 3).SetRequiresGrad(true)
	rep := gradcheck.Params(func() *tensor.Tensor { return tensor.Sum(tensor.Tanh(w)) }, []string{"w", "unused"}, []*tensor.Tensor{w, unused})
	if !rep.OK() || len(rep.Results) != 2 {
		t.Fatalf("got:\n%s", rep)
	}
}

// layerBug is a hand-written tanh layer with switchable problems.
type layerBug struct {
	y, buf                    *tensor.Tensor
	modifyInput, paramsMutate bool
	wrongShape, nanOut        bool
	w                         *tensor.Tensor
	wrongParamShape           bool
}

func (l *layerBug) Forward(x *tensor.Tensor) *tensor.Tensor {
	l.y = tensor.Tanh(x)
	if l.nanOut {
		l.y.SetFlat(0, math.NaN())
	}
	if l.modifyInput {
		x.SetFlat(0, x.Flat(0)+1)
	}
	return l.y
}

func (l *layerBug) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	dx := tensor.Mul(g, tensor.Sub(tensor.FullOf(tensor.Float64, 1), tensor.Mul(l.y, l.y)))
	if l.wrongShape {
		return tensor.Reshape(dx, dx.Len())
	}
	return dx
}

func (l *layerBug) BackwardParams(g *tensor.Tensor) []nn.ParamGrad {
	if l.paramsMutate {
		g.SetFlat(0, 0)
	}
	if l.w == nil {
		return nil
	}
	gw := tensor.ZerosLike(l.w)
	if l.wrongParamShape {
		gw = tensor.Zeros(l.w.Len() + 1)
		gw = tensor.To(gw, tensor.Float64)
	}
	return []nn.ParamGrad{{Name: "unusedw", Param: l.w, Grad: gw}}
}

func TestLayerProblems(t *testing.T) {
	for _, c := range []struct {
		name string
		l    *layerBug
		want string // "" : passes
	}{
		{"correct", &layerBug{}, ""},
		{"NaN output fails, not mistaken for aliasing", &layerBug{nanOut: true}, "FAIL input"},
		{"forward modifies input", &layerBug{modifyInput: true}, "Forward modified its input in place"},
		{"BackwardParams modifies G", &layerBug{paramsMutate: true}, "BackwardParams modified its incoming gradient in place"},
		{"dx of the wrong shape", &layerBug{wrongShape: true}, "BackwardInputs returned shape [12] for input [4 3]"},
		{"unused parameter", &layerBug{w: rnd(5, 2)}, ""},
		{"parameter gradient of the wrong shape", &layerBug{w: rnd(5, 2), wrongParamShape: true}, "gradient has shape [3] but the parameter has [2]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := gradcheck.Layer(c.l, rnd(1, 4, 3))
			if c.want == "" {
				if !rep.OK() {
					t.Fatalf("failed:\n%s", rep)
				}
				return
			}
			if rep.OK() || !strings.Contains(rep.String(), c.want) {
				t.Fatalf("want a failure mentioning %q:\n%s", c.want, rep)
			}
			if strings.Contains(rep.String(), "aliases") {
				t.Fatalf("spurious aliasing report:\n%s", rep)
			}
		})
	}
}

// TestSamplesBounds: Samples at or above the number of elements checks
// them all (and says nothing), below picks that many.
func TestSamplesBounds(t *testing.T) {
	x := rnd(1, 2, 3).SetName("x")
	f := func(in []*tensor.Tensor) *tensor.Tensor { return tensor.Tanh(in[0]) }
	for _, c := range []struct {
		samples int
		name    string
	}{{0, "x"}, {6, "x"}, {7, "x"}, {5, "x (5 of 6 elements)"}, {1, "x (1 of 6 elements)"}} {
		rep := gradcheck.Func(f, []*tensor.Tensor{x}, gradcheck.Options{Samples: c.samples})
		if !rep.OK() || rep.Results[0].Name != c.name {
			t.Errorf("Samples %d: got %q, want %q:\n%s", c.samples, rep.Results[0].Name, c.name, rep)
		}
	}
	// a sampled failure names its element in the tensor's shape
	bad := func(in []*tensor.Tensor) *tensor.Tensor {
		x := in[0]
		var y *tensor.Tensor
		tensor.NoGrad(func() { y = tensor.Mul(x, x) })
		return tensor.Custom("BadSquare", y, []*tensor.Tensor{x}, func(g *tensor.Tensor) []*tensor.Tensor { return []*tensor.Tensor{tensor.Mul(g, x)} })
	}
	rep := gradcheck.Func(bad, []*tensor.Tensor{x}, gradcheck.Options{Samples: 3})
	if rep.OK() || len(rep.Results[0].Worst) != 2 {
		t.Fatalf("sampled failure: worst %v\n%s", rep.Results[0].Worst, rep)
	}
	// d/dx Σ x²⊙G = 2x⊙G, twice the claimed x⊙G
	if r := rep.Results[0]; r.Analytic == 0 || math.Abs(r.Numeric-2*r.Analytic) > 1e-6 {
		t.Fatalf("worst %v: numerical %v, want twice the analytic %v", r.Worst, r.Numeric, r.Analytic)
	}
}

// TestCustomTolerances: Step, Tol and ATol from Options are used.
func TestCustomTolerances(t *testing.T) {
	x := rnd(1, 3).SetName("x")
	cube := func(in []*tensor.Tensor) *tensor.Tensor { return tensor.Mul(in[0], tensor.Mul(in[0], in[0])) }
	// a huge step makes central differences of x³ off by h² (exactly)
	rep := gradcheck.Func(cube, []*tensor.Tensor{x}, gradcheck.Options{Step: 0.1})
	if rep.OK() {
		t.Fatalf("step 0.1 on x³ passed:\n%s", rep)
	}
	// ((x+h)³ − (x−h)³)/2h = 3x² + h²: numerical/analytic = 1 + h²/3x²
	r := rep.Results[0]
	xi := x.Flat(r.Worst[0])
	if got, want := r.Numeric/r.Analytic, 1+0.01/(3*xi*xi); math.Abs(got-want) > 1e-9 {
		t.Fatalf("numerical/analytic %v, want 1 + h²/3x² = %v", got, want)
	}
	if rep := gradcheck.Func(cube, []*tensor.Tensor{x}, gradcheck.Options{Step: 0.1, Tol: 0.5}); !rep.OK() {
		t.Fatalf("Tol 0.5 not used:\n%s", rep)
	}
	if rep := gradcheck.Func(cube, []*tensor.Tensor{x}, gradcheck.Options{Step: 0.1, ATol: 0.02}); !rep.OK() {
		t.Fatalf("ATol 0.02 not used:\n%s", rep)
	}
	if rep.Tol != gradcheck.DefaultTol || rep.ATol != gradcheck.DefaultATol {
		t.Fatalf("report tolerances %v %v", rep.Tol, rep.ATol)
	}
}
