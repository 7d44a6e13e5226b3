package optim

import (
	"math"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// coursePolicy is the course's lr_policy.
var coursePolicy = Piecewise{1: 0.1, 3: 0.01, 5: 0.001, 7: 0.0001}

func TestPiecewiseCoursePolicy(t *testing.T) {
	want := []float64{0.1, 0.1, 0.01, 0.01, 0.001, 0.001, 0.0001, 0.0001, 0.0001}
	parsed, err := ParsePiecewise("1:0.1,3:0.01,5:0.001,7:0.0001")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []Piecewise{coursePolicy, Piecewise(map[int]float64{1: 0.1, 3: 0.01, 5: 0.001, 7: 0.0001}), parsed} {
		for e := 1; e <= 9; e++ {
			if got := s.LR(e); got != want[e-1] {
				t.Errorf("epoch %d: lr %v, want %v", e, got, want[e-1])
			}
		}
	}
	if got := coursePolicy.String(); got != "1:0.1,3:0.01,5:0.001,7:0.0001" {
		t.Errorf("String() = %q", got)
	}
}

func TestPiecewiseBeforeFirstStage(t *testing.T) {
	s := Piecewise{3: 0.5, 10: 0.05}
	for e, want := range map[int]float64{0: 0.5, 1: 0.5, 2: 0.5, 3: 0.5, 9: 0.5, 10: 0.05, 1000: 0.05} {
		if got := s.LR(e); got != want {
			t.Errorf("epoch %d: %v, want %v", e, got, want)
		}
	}
	defer func() {
		if _, ok := recover().(*ConfigError); !ok {
			t.Error("empty Piecewise did not panic with *ConfigError")
		}
	}()
	Piecewise{}.LR(1)
}

func TestParsePiecewise(t *testing.T) {
	s, err := ParsePiecewise(" 5 : 1e-3 , 1:0.1 ")
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 2 || s[1] != 0.1 || s[5] != 1e-3 {
		t.Fatalf("got %v", s)
	}
	for _, bad := range []string{
		"", "  ", "1:0.1,", "1", "1=0.1", "x:0.1", "0:0.1", "-1:0.1", "1.5:0.1",
		"1:abc", "1:-0.1", "1:NaN", "1:Inf", "1:0.1,1:0.2", "1:0.1;3:0.01", ":0.1", "1:",
	} {
		if s, err := ParsePiecewise(bad); err == nil {
			t.Errorf("ParsePiecewise(%q) = %v, want an error", bad, s)
		} else if !strings.HasPrefix(err.Error(), "optim: ") {
			t.Errorf("ParsePiecewise(%q): error %q lacks the package prefix", bad, err)
		}
	}
}

func TestExponential(t *testing.T) {
	s := Exponential(0.1, 0.5)
	for e, want := range []float64{0.1, 0.05, 0.025, 0.0125} {
		if got := s.LR(e + 1); math.Abs(got-want) > 1e-17 {
			t.Errorf("epoch %d: %v, want %v", e+1, got, want)
		}
	}
	// Per-iteration decay as in course lab 1: ExponentialLR(gamma=1-1e-4)
	// stepped after every batch multiplies the rate by gamma each step.
	step := Exponential(0.1, 1-1e-4)
	lr := 0.1
	for n := 1; n <= 10000; n++ {
		if got := step.LR(n); math.Abs(got-lr) > 1e-12*lr {
			t.Fatalf("iteration %d: %v, want %v", n, got, lr)
		}
		lr *= 1 - 1e-4
	}
}

func TestScheduler(t *testing.T) {
	p := tensor.FromFloat32([]float32{1}, 1)
	opt := NewSGD([]nn.Param{{Name: "w", Tensor: p}}, SGDConfig{LR: 1})
	sc := NewScheduler(opt, coursePolicy)
	if opt.LR() != 0.1 || sc.Count() != 1 {
		t.Fatalf("after NewScheduler: lr %v, count %d", opt.LR(), sc.Count())
	}
	for e := 2; e <= 9; e++ {
		sc.Step()
		if sc.Count() != e || opt.LR() != coursePolicy.LR(e) {
			t.Fatalf("epoch %d: count %d, lr %v", e, sc.Count(), opt.LR())
		}
	}
	sc.Set(3)
	if opt.LR() != 0.01 {
		t.Fatalf("Set(3): lr %v", opt.LR())
	}
	NewScheduler(opt, Constant(0.25))
	if opt.LR() != 0.25 {
		t.Fatalf("Constant: lr %v", opt.LR())
	}
}
