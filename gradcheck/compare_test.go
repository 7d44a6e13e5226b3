package gradcheck

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// TestCompareNaN: a NaN anywhere, not only in the first element, fails,
// whether it is analytic or numerical, and is reported as the worst. The
// other elements differ by more than ATol (but pass), so that the NaN is
// never the first element that can decide.
func TestCompareNaN(t *testing.T) {
	nan := math.NaN()
	ok := []float64{0.5 + 1e-7, 1 + 1e-7, 2 + 1e-7, 3 + 1e-7}
	with := func(i int, v float64) []float64 { s := slices.Clone(ok); s[i] = v; return s }
	for _, c := range []struct {
		name          string
		analytic, num []float64
	}{
		{"analytic NaN first", with(0, nan), []float64{0.5, 1, 2, 3}},
		{"analytic NaN third", with(2, nan), []float64{0.5, 1, 2, 3}},
		{"numerical NaN last", ok, []float64{0.5, 1, 2, nan}},
		{"analytic +Inf third", with(2, math.Inf(1)), []float64{0.5, 1, 2, 3}},
		{"both +Inf third", with(2, math.Inf(1)), []float64{0.5, 1, math.Inf(1), 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := compare("x", []int{2, 2}, c.analytic, c.num, Options{}.withDefaults())
			if r.Passed {
				t.Fatalf("passed: %+v", r)
			}
			if !math.IsInf(r.RelError, 1) || !math.IsInf(r.AbsError, 1) || !math.IsInf(r.MaxAbs, 1) {
				t.Fatalf("errors %v, %v, max %v; want +Inf", r.RelError, r.AbsError, r.MaxAbs)
			}
			bad := slices.IndexFunc(c.analytic, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })
			if bad < 0 {
				bad = slices.IndexFunc(c.num, math.IsNaN)
			}
			if want := []int{bad / 2, bad % 2}; !slices.Equal(r.Worst, want) {
				t.Fatalf("worst %v, want %v", r.Worst, want)
			}
		})
	}
}

// TestCompareAbsoluteFloor: the floor is ATol (1e-8), not the relative
// tolerance: a difference of 1e-6 between gradients of size 1e-6 is a
// factor 2 and fails; one of 1e-9 passes.
func TestCompareAbsoluteFloor(t *testing.T) {
	o := Options{}.withDefaults()
	if r := compare("x", []int{3}, []float64{1, 1e-6, 0}, []float64{1, 2e-6, 0}, o); r.Passed {
		t.Fatalf("factor-2 error of size 1e-6 passed: %+v", r)
	} else if !slices.Equal(r.Worst, []int{1}) || math.Abs(r.RelError-1.0/3) > 1e-12 || math.Abs(r.AbsError-1e-6) > 1e-18 {
		t.Fatalf("worst %v rel %v abs %v, want [1], 1/3, 1e-6", r.Worst, r.RelError, r.AbsError)
	}
	if r := compare("x", []int{3}, []float64{1, 1e-9, 0}, []float64{1, 2e-9, 0}, o); !r.Passed {
		t.Fatalf("difference 1e-9 below the floor failed: %+v", r)
	}
	// just at the floor: not below it, so judged by the relative error
	if r := compare("x", []int{1}, []float64{0}, []float64{o.ATol}, o); r.Passed {
		t.Fatalf("difference equal to ATol passed: %+v", r)
	}
	// a custom floor is honoured
	if r := compare("x", []int{1}, []float64{1e-6}, []float64{2e-6}, Options{ATol: 1e-5}.withDefaults()); !r.Passed {
		t.Fatalf("difference 1e-6 below ATol 1e-5 failed: %+v", r)
	}
}

// TestCompareTolerance: the relative tolerance is inclusive and taken
// from Options.
func TestCompareTolerance(t *testing.T) {
	// |1-3|/(1+3) = 0.5
	if r := compare("x", []int{1}, []float64{1}, []float64{3}, Options{Tol: 0.5}.withDefaults()); !r.Passed || r.RelError != 0.5 {
		t.Fatalf("rel.err 0.5 with Tol 0.5: %+v", r)
	}
	if r := compare("x", []int{1}, []float64{1}, []float64{3}, Options{Tol: 0.49}.withDefaults()); r.Passed {
		t.Fatalf("rel.err 0.5 with Tol 0.49 passed: %+v", r)
	}
}

// TestCompareReportsTinyErrors: when every difference is below the floor
// the check passes, but the result still carries the largest relative
// error and its absolute error instead of 0.
func TestCompareReportsTinyErrors(t *testing.T) {
	o := Options{}.withDefaults()
	r := compare("b", []int{3}, []float64{1e-12, 0, 5e-13}, []float64{3e-12, 0, 5e-13}, o)
	if !r.Passed {
		t.Fatalf("failed: %+v", r)
	}
	// the course's denominator max(1e-8, |a|+|n|): 2e-12/1e-8
	if math.Abs(r.RelError-2e-4) > 1e-16 || math.Abs(r.AbsError-2e-12) > 1e-24 || !slices.Equal(r.Worst, []int{0}) || r.Analytic != 1e-12 || r.Numeric != 3e-12 {
		t.Fatalf("got rel %v abs %v at %v (%v, %v), want 2e-4, 2e-12 at [0]", r.RelError, r.AbsError, r.Worst, r.Analytic, r.Numeric)
	}
	s := Report{Results: []Result{r}, Tol: o.Tol, ATol: o.ATol}.String()
	for _, want := range []string{"ok   b", "rel.err 0.0002,", "abs.err 2e-12 at [0]", "every abs.err below 1e-08"} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q:\n%s", want, s)
		}
	}
}

// TestCompareWorstIgnoresTinyElements: a large relative error that is
// below the floor neither fails nor hides the element that decides.
func TestCompareWorstIgnoresTinyElements(t *testing.T) {
	o := Options{}.withDefaults()
	a := []float64{1e-12, 1.0, 2.0, 1e-12}
	n := []float64{3e-12, 1.0, 2.0 * (1 + 1e-6), 3e-12}
	r := compare("w", []int{2, 2}, a, n, o)
	if !r.Passed || !slices.Equal(r.Worst, []int{1, 0}) || math.Abs(r.RelError-5e-7) > 1e-9 {
		t.Fatalf("got passed %v worst %v rel %v, want pass at [1 0] with 5e-7", r.Passed, r.Worst, r.RelError)
	}
	if s := (Report{Results: []Result{r}, Tol: o.Tol, ATol: o.ATol}).String(); strings.Contains(s, "every abs.err") {
		t.Fatalf("floor note on a tensor with significant differences:\n%s", s)
	}
	if math.Abs(r.MaxAbs-2e-6) > 1e-12 {
		t.Fatalf("max abs %v, want 2e-6", r.MaxAbs)
	}
	// among several significant elements, the largest relative error wins,
	// not the first or the largest absolute one
	r = compare("w", []int{4}, []float64{100, 1, 0.5, 100}, []float64{100.01, 1.001, 0.5, 100.02}, o)
	if r.Passed || !slices.Equal(r.Worst, []int{3}) && !slices.Equal(r.Worst, []int{1}) {
		t.Fatalf("got %+v", r)
	}
	if want, _ := elementError(1, 1.001); r.RelError != want || !slices.Equal(r.Worst, []int{1}) {
		t.Fatalf("worst %v rel %v, want [1] rel %v", r.Worst, r.RelError, want)
	}
}

// TestCompareTies: among equal errors the first element is the worst,
// both among elements that decide and among those below the floor.
func TestCompareTies(t *testing.T) {
	o := Options{}.withDefaults()
	for _, c := range []struct {
		name          string
		analytic, num []float64
	}{
		{"identical", []float64{0, 0, 0}, []float64{0, 0, 0}},
		{"identical, one element", []float64{0.25}, []float64{0.25}},
		{"equal tiny errors", []float64{1e-12, 1e-12, 1e-12}, []float64{2e-12, 2e-12, 2e-12}},
		{"equal significant errors", []float64{1, 1, 1}, []float64{1.5, 1.5, 1.5}},
	} {
		r := compare("x", []int{len(c.analytic)}, c.analytic, c.num, o)
		if !slices.Equal(r.Worst, []int{0}) {
			t.Errorf("%s: worst %v, want [0]", c.name, r.Worst)
		}
	}
	// an error exactly at Tol passes without the floor's note
	r := compare("x", []int{1}, []float64{1}, []float64{3}, Options{Tol: 0.5}.withDefaults())
	s := Report{Results: []Result{r}, Tol: 0.5, ATol: DefaultATol}.String()
	if !r.Passed || strings.Contains(s, "every abs.err below") {
		t.Fatalf("rel.err equal to Tol:\n%s", s)
	}
}

func TestCompareLengthMismatch(t *testing.T) {
	r := compare("w", []int{2, 3}, make([]float64, 6), make([]float64, 5), Options{}.withDefaults())
	if r.Passed || !strings.Contains(r.Problem, "6 elements, numerical 5") || !strings.Contains(r.Problem, "[2 3]") {
		t.Fatalf("got %+v", r)
	}
}

func TestUnravel(t *testing.T) {
	for _, c := range []struct {
		i     int
		shape []int
		want  []int
	}{
		{0, []int{2, 3}, []int{0, 0}},
		{5, []int{2, 3}, []int{1, 2}},
		{7, []int{2, 3, 4}, []int{0, 1, 3}},
		{23, []int{2, 3, 4}, []int{1, 2, 3}},
		{4, []int{5}, []int{4}},
		{0, []int{}, []int{}},
		{3, []int{1, 4, 1}, []int{0, 3, 0}},
	} {
		if got := unravel(c.i, c.shape); !slices.Equal(got, c.want) {
			t.Errorf("unravel(%d, %v) = %v, want %v", c.i, c.shape, got, c.want)
		}
	}
}

func TestWithDefaults(t *testing.T) {
	d := Options{}.withDefaults()
	if d.Step != DefaultStep || d.Tol != DefaultTol || d.ATol != DefaultATol || d.Seed != 1 || d.Samples != 0 {
		t.Fatalf("defaults %+v", d)
	}
	o := Options{Step: 1e-3, Tol: 1e-2, ATol: 1e-4, Seed: 9, Samples: 3}
	if got := o.withDefaults(); got != o {
		t.Fatalf("set options changed: %+v", got)
	}
}
