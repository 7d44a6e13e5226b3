// Package gradcheck compares analytic gradients with central finite
// differences, in float64, the way the deep learning course's check_grads
// does: for each tensor it reports the relative error
//
//	max over elements of |a-n| / max(1e-8, |a|+|n|)
//
// (a analytic, n numerical, central differences with step 1e-5), names the
// tensor and its worst element, and reports the absolute errors beside the
// relative ones. An element whose absolute error is below ATol passes even
// when its relative error is large, because both values are then
// numerically zero; the report still prints that relative error, so an
// all-tiny gradient shows its real disagreement rather than 0.
//
// Func checks any function of tensors through autodiff; Layer checks a
// layer's hand-written BackwardInputs and BackwardParams; Params checks the
// gradients of a whole model's loss with respect to its parameters.
package gradcheck

import (
	"fmt"
	"math"
	"strings"

	"github.com/duboko/duboko/tensor"
)

// Default settings of a check.
const (
	DefaultStep = 1e-5
	DefaultTol  = 1e-5
	DefaultATol = 1e-8
)

// Options tune a check; the zero value means the defaults.
type Options struct {
	Step float64 // finite-difference step h
	Tol  float64 // relative error tolerance
	ATol float64 // absolute error below which an element always passes
	Seed uint64  // seed of the random upstream gradient
	// Samples, when positive, checks at most that many elements of each
	// tensor, chosen at random (from Seed), instead of all of them: a
	// finite difference costs two forward passes per element, which is
	// too slow for every weight of a real model.
	Samples int
}

func (o Options) withDefaults() Options {
	if o.Step == 0 {
		o.Step = DefaultStep
	}
	if o.Tol == 0 {
		o.Tol = DefaultTol
	}
	if o.ATol == 0 {
		o.ATol = DefaultATol
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// Result is the comparison for one tensor.
//
// The worst element is the one with the largest relative error among the
// elements whose absolute error reaches ATol (those that can fail); when
// every absolute error is below ATol, it is the element with the largest
// relative error overall, and RelError may then exceed Tol while the
// tensor passes (AbsError says why).
type Result struct {
	Name     string  // tensor name, e.g. "input 0", "fc1.weight"
	RelError float64 // relative error at the worst element (+Inf for a NaN)
	AbsError float64 // |analytic − numerical| at the worst element
	Worst    []int   // index of the worst element
	Analytic float64 // analytic value at the worst element
	Numeric  float64 // numerical value at the worst element
	Passed   bool
	Problem  string  // a structural problem found instead of / besides values
	MaxAbs   float64 // largest |analytic − numerical| over the checked elements
}

// Report gathers the results of one check.
type Report struct {
	Results []Result
	Tol     float64 // relative error tolerance of the check
	ATol    float64 // absolute error below which an element always passes
}

// OK reports whether every result passed.
func (r Report) OK() bool {
	for _, x := range r.Results {
		if !x.Passed {
			return false
		}
	}
	return len(r.Results) > 0
}

// String formats one line per tensor.
func (r Report) String() string {
	var b strings.Builder
	for _, x := range r.Results {
		status := "ok  "
		if !x.Passed {
			status = "FAIL"
		}
		if x.Problem != "" {
			fmt.Fprintf(&b, "%s %-20s %s\n", status, x.Name, x.Problem)
			continue
		}
		fmt.Fprintf(&b, "%s %-20s rel.err %.3g, abs.err %.2g at %v (analytic %.6g, numerical %.6g), max abs.err %.2g",
			status, x.Name, x.RelError, x.AbsError, x.Worst, x.Analytic, x.Numeric, x.MaxAbs)
		if x.Passed && x.RelError > r.Tol {
			fmt.Fprintf(&b, " (every abs.err below %.2g)", r.ATol)
		}
		b.WriteString("\n")
	}
	if len(r.Results) == 0 {
		b.WriteString("no tensors checked\n")
	}
	return b.String()
}

// Err returns nil if the report passed, or an error with its text.
func (r Report) Err() error {
	if r.OK() {
		return nil
	}
	return fmt.Errorf("gradient check failed:\n%s", r)
}

// RelError returns the course's relative error between a and b:
// max_i |a_i-b_i| / max(1e-8, |a_i|+|b_i|).
func RelError(a, b []float64) float64 {
	worst := 0.0
	for i := range a {
		worst = math.Max(worst, math.Abs(a[i]-b[i])/math.Max(1e-8, math.Abs(a[i])+math.Abs(b[i])))
	}
	return worst
}

// compare builds the Result for one tensor.
func compare(name string, shape []int, analytic, numeric []float64, o Options) Result {
	r := Result{Name: name, Passed: true}
	if len(analytic) != len(numeric) {
		r.Passed = false
		r.Problem = fmt.Sprintf("analytic gradient has %d elements, numerical %d (shape %v): wrong shape, e.g. a transposed gradient", len(analytic), len(numeric), shape)
		return r
	}
	// worst: the element that decides (absolute error ≥ ATol), largest
	// relative error first; tiny: the same among those below ATol.
	worst, tiny := -1, -1
	var worstRel, tinyRel float64
	for i := range analytic {
		rel, abs := elementError(analytic[i], numeric[i])
		r.MaxAbs = math.Max(r.MaxAbs, abs)
		if abs < o.ATol {
			if tiny < 0 || rel > tinyRel {
				tiny, tinyRel = i, rel
			}
		} else if worst < 0 || rel > worstRel {
			worst, worstRel = i, rel
		}
	}
	if worst >= 0 {
		r.Passed = worstRel <= o.Tol
	} else {
		worst = tiny // every element is numerically exact: still show its relative error
	}
	if worst >= 0 {
		r.Worst = unravel(worst, shape)
		r.Analytic, r.Numeric = analytic[worst], numeric[worst]
		r.RelError, r.AbsError = elementError(r.Analytic, r.Numeric)
	}
	return r
}

// elementError returns the relative and absolute errors of one element;
// both are +Inf when either value is NaN or infinite, so that such an
// element always fails (a NaN compares false with everything, so without
// this it would never be the worst).
func elementError(a, n float64) (rel, abs float64) {
	abs = math.Abs(a - n)
	rel = abs / math.Max(1e-8, math.Abs(a)+math.Abs(n))
	if math.IsNaN(rel) { // a or n NaN, or infinite (∞/∞)
		return math.Inf(1), math.Inf(1)
	}
	return rel, abs
}

// unravel returns the index in shape of flat index i (i < the number of
// elements, so no dimension is 0).
func unravel(i int, shape []int) []int {
	idx := make([]int, len(shape))
	for d := len(shape) - 1; d >= 0; d-- {
		idx[d] = i % shape[d]
		i /= shape[d]
	}
	return idx
}

// numericGrad returns dL/dt at the given flat indices by central
// differences, perturbing t in place.
func numericGrad(t *tensor.Tensor, idx []int, loss func() float64, h float64) []float64 {
	g := make([]float64, len(idx))
	data := t.Float64s()
	for k, i := range idx {
		old := data[i]
		data[i] = old + h
		lp := loss()
		data[i] = old - h
		lm := loss()
		data[i] = old
		g[k] = (lp - lm) / (2 * h)
	}
	return g
}

// check compares the analytic gradient of t (all its elements, flat) with
// central differences at every element, or at o.Samples random ones.
func check(name string, t *tensor.Tensor, analytic []float64, loss func() float64, o Options) Result {
	n := t.Len()
	if len(analytic) != n {
		return compare(name, t.Shape(), analytic, make([]float64, n), o)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	if o.Samples > 0 && o.Samples < n {
		rng := tensor.NewRand(o.Seed ^ 0x5a3e)
		rng.Shuffle(n, func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		idx = idx[:o.Samples]
	}
	num := numericGrad(t, idx, loss, o.Step)
	ana := make([]float64, len(idx))
	for k, i := range idx {
		ana[k] = analytic[i]
	}
	r := compare(name, []int{len(idx)}, ana, num, o)
	if r.Worst != nil { // an index into idx: make it one into t
		r.Worst = unravel(idx[r.Worst[0]], t.Shape())
	}
	if len(idx) < n {
		r.Name = fmt.Sprintf("%s (%d of %d elements)", name, len(idx), n)
	}
	return r
}

// weightedSum returns Σ y⊙G in float64 (the scalar whose gradient is G).
func weightedSum(y, g *tensor.Tensor) float64 {
	yv, gv := y.Values(), g.Values()
	s := 0.0
	for i := range yv {
		s += yv[i] * gv[i]
	}
	return s
}

func requireFloat64(what string, t *tensor.Tensor) {
	if t.DType() != tensor.Float64 {
		panic(&tensor.DTypeError{Op: "gradcheck " + what, DTypes: []tensor.DType{t.DType(), tensor.Float64}, Shapes: [][]int{t.Shape()}})
	}
}
