package tensor_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// This file checks every op's forward value and input gradients against
// reference values produced by PyTorch (testdata/gen_ops.py writes
// testdata/ops_torch.json; the test itself needs no Python).
//
// The inputs are float32 values; the reference is torch autograd run in
// float64 on exactly those values. Each case is run twice:
//
//   - in Float64, compared with |got − want| ≤ 1e-12·(|want| + 1):
//     both sides compute in double precision from identical inputs, so
//     only rounding-order differences (~1e-16 of the operands) remain;
//   - in Float32, compared with |got − want| ≤ 1e-5·(|want| + s), where
//     s = 1e-2·max(1, max|want|) over the compared tensor, i.e. 1e-5
//     relative (~80 float32 ulps) plus an absolute floor of 1e-7 (about two
//     float32 ulps at 1) scaled by the tensor's magnitude. The floor is
//     for results that are sums of cancelling terms (matmul, reductions,
//     the softmax gradient y⊙(g − Σg⊙y) where y ≈ 1): float32 rounding is
//     relative to the terms, not to the small result.

// refTensor is a tensor as stored in the JSON fixtures.
type refTensor struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

// refCase is one op invocation with PyTorch's output and gradients.
type refCase struct {
	Name     string         `json:"name"`
	Op       string         `json:"op"`
	Inputs   []refTensor    `json:"inputs"`
	Params   map[string]any `json:"params"`
	Upstream refTensor      `json:"upstream"`
	Output   refTensor      `json:"output"`
	Grads    []refTensor    `json:"grads"`
	Indices  []int          `json:"indices"`
}

func loadRefCases(t *testing.T, path string) []refCase {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []refCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(f.Cases) == 0 {
		t.Fatalf("%s: no cases", path)
	}
	return f.Cases
}

// mk builds a tensor of dtype dt from a fixture (shape [] is a scalar).
func (r refTensor) mk(dt DType) *Tensor {
	if len(r.Shape) == 0 {
		return FullOf(dt, r.Data[0])
	}
	return FromValues(dt, r.Data, r.Shape...)
}

// params reads typed parameters of a case; a missing or mistyped one fails the test.
type params struct {
	t *testing.T
	m map[string]any
}

func (p params) get(k string) any {
	v, ok := p.m[k]
	if !ok {
		p.t.Fatalf("missing parameter %q", k)
	}
	return v
}

// float reads a number; the strings "inf" and "-inf" stand for ±Inf.
func (p params) float(k string) float64 {
	switch v := p.get(k).(type) {
	case float64:
		return v
	case string:
		switch v {
		case "inf":
			return math.Inf(1)
		case "-inf":
			return math.Inf(-1)
		}
	}
	p.t.Fatalf("parameter %q = %v is not a number", k, p.m[k])
	return 0
}

func (p params) int(k string) int {
	f := p.float(k)
	if f != math.Trunc(f) {
		p.t.Fatalf("parameter %q = %v is not an integer", k, f)
	}
	return int(f)
}

func (p params) bool(k string) bool {
	v, ok := p.get(k).(bool)
	if !ok {
		p.t.Fatalf("parameter %q = %v is not a bool", k, p.m[k])
	}
	return v
}

func (p params) ints(k string) []int {
	vs, ok := p.get(k).([]any)
	if !ok {
		p.t.Fatalf("parameter %q = %v is not a list", k, p.m[k])
	}
	out := make([]int, len(vs))
	for i, v := range vs {
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) {
			p.t.Fatalf("parameter %q = %v is not a list of integers", k, p.m[k])
		}
		out[i] = int(f)
	}
	return out
}

// runOp applies the case's op to in; it returns the output and, for Max
// and Min, the arg-extremum indices.
func runOp(t *testing.T, c refCase, in []*Tensor) (*Tensor, []int) {
	p := params{t, c.Params}
	arity := func(n int) {
		if len(in) != n {
			t.Fatalf("%s takes %d inputs, fixture has %d", c.Op, n, len(in))
		}
	}
	unary := map[string]func(*Tensor) *Tensor{
		"Neg": Neg, "Abs": Abs, "Exp": Exp, "Log": Log, "Sqrt": Sqrt, "Square": Square,
		"ReLU": ReLU, "Sigmoid": Sigmoid, "Tanh": Tanh, "Softplus": Softplus,
		"LogSigmoid": LogSigmoid, "T": T,
	}
	binary := map[string]func(a, b *Tensor) *Tensor{
		"Add": Add, "Sub": Sub, "Mul": Mul, "Div": Div, "Maximum": Maximum, "MatMul": MatMul,
	}
	if f, ok := unary[c.Op]; ok {
		arity(1)
		return f(in[0]), nil
	}
	if f, ok := binary[c.Op]; ok {
		arity(2)
		return f(in[0], in[1]), nil
	}
	switch c.Op {
	case "Pow":
		arity(1)
		return Pow(in[0], p.float("p")), nil
	case "Clamp":
		arity(1)
		return Clamp(in[0], p.float("lo"), p.float("hi")), nil
	case "LeakyReLU":
		arity(1)
		return LeakyReLU(in[0], p.float("slope")), nil
	case "Softmax":
		arity(1)
		return Softmax(in[0], p.int("axis")), nil
	case "LogSoftmax":
		arity(1)
		return LogSoftmax(in[0], p.int("axis")), nil
	case "LogSumExp":
		arity(1)
		if p.bool("keepdim") {
			return LogSumExpKeepDim(in[0], p.int("axis")), nil
		}
		return LogSumExp(in[0], p.int("axis")), nil
	case "Sum":
		arity(1)
		if p.bool("keepdim") {
			return SumKeepDim(in[0], p.ints("axes")...), nil
		}
		return Sum(in[0], p.ints("axes")...), nil
	case "Mean":
		arity(1)
		if p.bool("keepdim") {
			return MeanKeepDim(in[0], p.ints("axes")...), nil
		}
		return Mean(in[0], p.ints("axes")...), nil
	case "Max":
		arity(1)
		if p.bool("keepdim") {
			return MaxKeepDim(in[0], p.int("axis"))
		}
		return Max(in[0], p.int("axis"))
	case "Min":
		arity(1)
		if p.bool("keepdim") {
			return MinKeepDim(in[0], p.int("axis"))
		}
		return Min(in[0], p.int("axis"))
	case "Reshape":
		arity(1)
		return Reshape(in[0], p.ints("shape")...), nil
	case "Flatten":
		arity(1)
		return Flatten(in[0], p.int("start")), nil
	case "Permute":
		arity(1)
		return Permute(in[0], p.ints("perm")...), nil
	case "Transpose":
		arity(1)
		return Transpose(in[0], p.int("a"), p.int("b")), nil
	case "Squeeze":
		arity(1)
		return Squeeze(in[0], p.ints("axes")...), nil
	case "Unsqueeze":
		arity(1)
		return Unsqueeze(in[0], p.int("axis")), nil
	case "Expand":
		arity(1)
		return Expand(in[0], p.ints("shape")...), nil
	case "Concat":
		return Concat(p.int("axis"), in...), nil
	case "Stack":
		return Stack(p.int("axis"), in...), nil
	case "Slice":
		arity(1)
		return Slice(in[0], p.int("axis"), p.int("start"), p.int("end")), nil
	case "IndexSelect":
		arity(1)
		return IndexSelect(in[0], p.int("axis"), FromInts(p.ints("index"))), nil
	case "Gather":
		arity(1)
		ax := (p.int("axis") + in[0].NDim()) % in[0].NDim()
		return Gather(in[0], ax, FromInts(p.ints("index"), slices.Delete(in[0].Shape(), ax, ax+1)...)), nil
	case "Linear":
		if len(in) == 2 {
			return Linear(in[0], in[1], nil), nil
		}
		arity(3)
		return Linear(in[0], in[1], in[2]), nil
	case "TanhMulExp":
		arity(1)
		return Mul(Tanh(in[0]), Exp(in[0])), nil
	case "SoftmaxMatMul":
		arity(2)
		return MatMul(Softmax(in[0], 1), in[1]), nil
	}
	t.Fatalf("unknown op %q in fixture (update runOp or gen_ops.py)", c.Op)
	return nil, nil
}

// tolerance is the allowed |got − want| at want for a tensor whose largest
// reference magnitude is scale (see the file comment).
type tolerance func(want, scale float64) float64

func tolFor(dt DType) tolerance {
	if dt == Float64 {
		return func(want, _ float64) float64 { return 1e-12 * (math.Abs(want) + 1) }
	}
	return func(want, scale float64) float64 { return 1e-5 * (math.Abs(want) + 1e-2*max(1, scale)) }
}

// compareRef reports the first few elements of got that differ from want
// beyond tol, and a shape mismatch.
func compareRef(what string, got *Tensor, want refTensor, tol tolerance) error {
	if got == nil {
		// no gradient reached the input: it must be zero
		for i, w := range want.Data {
			if w != 0 {
				return fmt.Errorf("%s: no gradient, want %v at %d", what, w, i)
			}
		}
		return nil
	}
	gs := got.Shape()
	if fmt.Sprint(gs) != fmt.Sprint(want.Shape) {
		return fmt.Errorf("%s: shape %v, want %v", what, gs, want.Shape)
	}
	scale := 0.0
	for _, w := range want.Data {
		scale = max(scale, math.Abs(w))
	}
	vals := got.Values()
	var msg string
	bad := 0
	for i, w := range want.Data {
		g := vals[i]
		if math.Abs(g-w) <= tol(w, scale) { // NaN fails here
			continue
		}
		if bad < 4 {
			msg += fmt.Sprintf("\n  [%d] got %.9g want %.9g (diff %.3g, tol %.3g)", i, g, w, g-w, tol(w, scale))
		}
		bad++
	}
	if bad > 0 {
		return fmt.Errorf("%s: %d of %d elements differ:%s", what, bad, len(want.Data), msg)
	}
	return nil
}

// knownBug is a fixture case that exposes a duboko bug not yet fixed: the
// reason, and a substring of the mismatch it must still produce.
type knownBug struct {
	Reason string
	Want   string
}

// knownOpBugs lists fixture cases that expose known, unfixed bugs. Such a
// case is an expected failure, not a skip: it must fail with the listed
// mismatch (logged, and shown by go test -v); a listed case that passes,
// or fails differently, fails the test, so a fixed bug forces its entry
// out of the list and no other failure hides behind it.
var knownOpBugs = map[string]knownBug{}

// runRefCase runs c in dtype dt and returns every mismatch with the
// reference (a panic is reported as a mismatch).
func runRefCase(t *testing.T, c refCase, dt DType) (errs []error) {
	defer func() {
		if r := recover(); r != nil {
			errs = append(errs, fmt.Errorf("panic: %v", r))
		}
	}()
	if len(c.Grads) != len(c.Inputs) {
		t.Fatalf("fixture has %d gradients for %d inputs", len(c.Grads), len(c.Inputs))
	}
	in := make([]*Tensor, len(c.Inputs))
	for i, r := range c.Inputs {
		in[i] = r.mk(dt).SetRequiresGrad(true)
	}
	out, idx := runOp(t, c, in)
	tol := tolFor(dt)
	if err := compareRef("output", out, c.Output, tol); err != nil {
		errs = append(errs, err)
	}
	if c.Indices != nil && fmt.Sprint(idx) != fmt.Sprint(c.Indices) {
		errs = append(errs, fmt.Errorf("indices %v, want %v", idx, c.Indices))
	}
	if out.Len() > 0 {
		out.BackwardWith(c.Upstream.mk(dt))
	}
	for i, x := range in {
		if err := compareRef(fmt.Sprintf("grad of input %d", i), x.Grad(), c.Grads[i], tol); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// reportRef fails t with errs, unless the case is a known bug that still
// fails exactly as listed (then the mismatch is logged); a known bug that
// passes or fails otherwise is a failure.
func reportRef(t reporter, name string, known map[string]knownBug, errs []error) {
	t.Helper()
	bug, ok := known[name]
	if !ok {
		for _, err := range errs {
			t.Errorf("%v", err)
		}
		return
	}
	if len(errs) == 0 {
		t.Errorf("known bug %q (%s) no longer reproduces: remove it from the known list", name, bug.Reason)
		return
	}
	for _, err := range errs {
		if !strings.Contains(err.Error(), bug.Want) {
			t.Errorf("known bug %q (%s) expects %q, but: %v", name, bug.Reason, bug.Want, err)
		}
	}
	t.Logf("expected failure, known bug: %s; mismatch: %v", bug.Reason, errs[0])
}

// reporter is the part of *testing.T that reportRef uses.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
}

// fakeT records whether reportRef failed it.
type fakeT struct{ failed bool }

func (f *fakeT) Helper()               {}
func (f *fakeT) Errorf(string, ...any) { f.failed = true }
func (f *fakeT) Logf(string, ...any)   {}

// TestReportRefKnownBugs checks reportRef's rules on a fake test: a
// listed case that passes fails, a listed case failing as expected
// passes, one failing otherwise fails, an unlisted failure fails.
func TestReportRefKnownBugs(t *testing.T) {
	known := map[string]knownBug{"bug": {Reason: "r", Want: "grad of input 0"}}
	run := func(name string, errs ...error) bool {
		ft := &fakeT{}
		reportRef(ft, name, known, errs)
		return ft.failed
	}
	mismatch := errors.New("grad of input 0: element 3 is 1, want 2")
	other := errors.New("output: element 0 is 1, want 2")
	for _, c := range []struct {
		name string
		errs []error
		fail bool
	}{
		{"bug", nil, true},
		{"bug", []error{mismatch}, false},
		{"bug", []error{other}, true},
		{"other", []error{mismatch}, true},
		{"other", nil, false},
	} {
		if got := run(c.name, c.errs...); got != c.fail {
			t.Errorf("case %q with %v: failed %v, want %v", c.name, c.errs, got, c.fail)
		}
	}
}

func TestOpsAgainstTorch(t *testing.T) {
	cases := loadRefCases(t, "testdata/ops_torch.json")
	for _, c := range cases {
		for _, dt := range []DType{Float64, Float32} {
			t.Run(c.Name+"/"+dt.String(), func(t *testing.T) {
				reportRef(t, c.Name, knownOpBugs, runRefCase(t, c, dt))
			})
		}
	}
}
