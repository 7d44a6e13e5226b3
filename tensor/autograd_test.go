package tensor_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

func mustPanic[E error](t *testing.T, want string, f func()) E {
	t.Helper()
	var got E
	func() {
		defer func() {
			r := recover()
			if r == nil {
				t.Fatalf("no panic, want %T", got)
			}
			err, ok := r.(error)
			if !ok || !errors.As(err, &got) {
				t.Fatalf("panic %v (%T), want %T", r, r, got)
			}
			if !strings.Contains(err.Error(), want) {
				t.Fatalf("error %q does not contain %q", err, want)
			}
		}()
		f()
	}()
	return got
}

func TestGradAccumulatesOverUses(t *testing.T) {
	w := FromFloat64([]float64{2}).SetRequiresGrad(true)
	x := FromFloat64([]float64{3})
	// the same weight used at two "time steps": L = w*x + w*(w*x)
	h := Mul(w, x)
	l := Add(h, Mul(w, h))
	l.Backward()
	// dL/dw = x + 2wx = 3 + 12
	if got := w.Grad().Item(); got != 15 {
		t.Fatalf("grad %v, want 15", got)
	}
	// a second backward over a new graph accumulates
	Mul(w, x).Backward()
	if got := w.Grad().Item(); got != 18 {
		t.Fatalf("accumulated grad %v, want 18", got)
	}
	w.ZeroGrad()
	if w.Grad() != nil {
		t.Fatal("ZeroGrad left a gradient")
	}
}

func TestNoGradAndDetach(t *testing.T) {
	w := Ones(2).SetRequiresGrad(true)
	var y *Tensor
	NoGrad(func() { y = Mul(w, w) })
	if y.RequiresGrad() || !y.IsLeaf() {
		t.Fatal("NoGrad recorded an op")
	}
	d := Mul(w, w).Detach()
	if d.RequiresGrad() {
		t.Fatal("Detach kept requires-grad")
	}
	if !GradEnabled() {
		t.Fatal("NoGrad did not restore recording")
	}
}

func TestBackwardErrors(t *testing.T) {
	w := Ones(2, 2).SetRequiresGrad(true)
	y := Mul(w, w)
	mustPanic[*GradError](t, "not a scalar", func() { y.Backward() })
	mustPanic[*GradError](t, "does not require a gradient", func() { Ones(1).Backward() })
	mustPanic[*ShapeError](t, "upstream gradient", func() { y.BackwardWith(Ones(3)) })
	s := Sum(Mul(w, w))
	s.Backward()
	mustPanic[*GradError](t, "already released", func() { s.Backward() })
	// BackwardRetain allows a second pass
	w.ZeroGrad()
	s2 := Sum(Mul(w, w))
	s2.BackwardRetain(nil)
	s2.BackwardRetain(nil)
	if got := w.Grad().At(0, 0); got != 4 {
		t.Fatalf("grad after two retained passes %v, want 4", got)
	}
}

func TestShapeAndDTypeErrors(t *testing.T) {
	e := mustPanic[*ShapeError](t, "MatMul", func() { MatMul(Ones(2, 3), Ones(4, 5)) })
	if len(e.Shapes) != 2 || e.Shapes[0][1] != 3 || e.Shapes[1][0] != 4 {
		t.Fatalf("shapes not reported: %v", e.Shapes)
	}
	mustPanic[*ShapeError](t, "Add: shape mismatch [2 3] vs [4]", func() { Add(Ones(2, 3), Ones(4)) })
	mustPanic[*DTypeError](t, "float32[2] vs float64[2]", func() { Add(Ones(2), ZerosOf(Float64, 2)) })
	mustPanic[*ShapeError](t, "Reshape", func() { Reshape(Ones(6), 4, -1) })
	mustPanic[*ShapeError](t, "axis 2 out of range", func() { Sum(Ones(2, 2), 2) })
	mustPanic[*ShapeError](t, "Concat", func() { Concat(0, Ones(2, 3), Ones(2, 4)) })
	mustPanic[*ShapeError](t, "Gather", func() { Gather(Ones(2, 3), 1, FromInts([]int{0, 3})) })
	mustPanic[*ShapeError](t, "Linear", func() { Linear(Ones(2, 3), Ones(4, 5), nil) })
	mustPanic[*ShapeError](t, "FromFloat32", func() { FromFloat32([]float32{1, 2, 3}, 2, 2) })
}

func TestBroadcastValues(t *testing.T) {
	a := FromFloat32([]float32{1, 2, 3}, 3, 1)
	b := FromFloat32([]float32{10, 20}, 2)
	got := Add(a, b)
	want := []float64{11, 21, 12, 22, 13, 23}
	if !sameVals(got.Values(), want) || !slices.Equal(got.Shape(), []int{3, 2}) {
		t.Fatalf("got %v", got)
	}
	s := Sub(FromFloat32([]float32{5}), FromFloat32([]float32{1, 2, 3, 4}, 2, 2))
	if !sameVals(s.Values(), []float64{4, 3, 2, 1}) {
		t.Fatalf("scalar broadcast: %v", s)
	}
}

func TestValues(t *testing.T) {
	x := FromFloat32([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	if v := Sum(x, 0).Values(); !sameVals(v, []float64{5, 7, 9}) {
		t.Fatalf("sum axis 0 %v", v)
	}
	m, idx := Max(FromFloat32([]float32{1, 5, 5, 0}, 2, 2), 1)
	if !sameVals(m.Values(), []float64{5, 5}) || idx[0] != 1 || idx[1] != 0 {
		t.Fatalf("max %v %v", m, idx)
	}
	if !sameVals(T(x).Values(), []float64{1, 4, 2, 5, 3, 6}) {
		t.Fatal("transpose")
	}
	if !sameVals(MatMul(x, T(x)).Values(), []float64{14, 32, 32, 77}) {
		t.Fatal("matmul")
	}
	if !sameVals(Arange(0, 1, 0.25).Values(), []float64{0, 0.25, 0.5, 0.75}) {
		t.Fatal("arange")
	}
	sm := Softmax(FromFloat64([]float64{1000, 1000}), 0).Values()
	if sm[0] != 0.5 || sm[1] != 0.5 {
		t.Fatalf("softmax not stable: %v", sm)
	}
	ls := LogSoftmax(FromFloat64([]float64{0, -1000}), 0).Values()
	if ls[0] != 0 || ls[1] != -1000 {
		t.Fatalf("log-softmax not stable: %v", ls)
	}
	if v := Sigmoid(FromFloat64([]float64{-1000, 1000})).Values(); v[0] != 0 || v[1] != 1 {
		t.Fatalf("sigmoid %v", v)
	}
	if v := Softplus(FromFloat64([]float64{1000})).Item(); v != 1000 {
		t.Fatalf("softplus %v", v)
	}
	if v := Log(FromFloat64([]float64{0})).Item(); !math.IsInf(v, -1) {
		t.Fatalf("log 0 = %v", v)
	}
}

func TestString(t *testing.T) {
	got := FromFloat32([]float32{1, 2, 3, 4, 5, 6}, 2, 3).String()
	want := "tensor([2 3], float32)\n[[1 2 3]\n [4 5 6]]"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	long := Arange(0, 100, 1).String()
	if !strings.Contains(long, "[0 1 2 ... 97 98 99]") {
		t.Fatalf("elision: %s", long)
	}
}

func sameVals(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-6*(1+math.Abs(b[i])) {
			return false
		}
	}
	return true
}

func TestZeroGradRecyclesOnlyOwnStorage(t *testing.T) {
	w := Ones(3).SetRequiresGrad(true)
	Sum(Mul(w, w)).Backward()
	first := w.Grad()
	w.ZeroGrad()
	Sum(MulScalar(w, 3)).Backward()
	if !w.Grad().SharesData(first) {
		t.Fatal("gradient storage was not recycled")
	}
	if got := w.Grad().Values(); got[0] != 3 {
		t.Fatalf("recycled gradient %v, want 3s", got)
	}
	// a gradient given with SetGrad is never overwritten
	mine := FromFloat32([]float32{7, 7, 7})
	w.SetGrad(mine)
	w.ZeroGrad()
	Sum(w).Backward()
	if mine.Values()[0] != 7 || w.Grad().SharesData(mine) {
		t.Fatal("SetGrad's tensor was reused")
	}
}

func TestBackwardReleasesGraph(t *testing.T) {
	w := Ones(2).SetRequiresGrad(true)
	h := Exp(w)
	l := Sum(Mul(h, h))
	l.Backward()
	if l.Inputs() != nil || l.Op().Kind != OpSum {
		t.Fatalf("after Backward: op %q, inputs %v; want the op record kept and the inputs released", l.Op().String(), l.Inputs())
	}
}

func TestRecycledWeightGradientsWithSharedWeight(t *testing.T) {
	x := FromFloat64([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	w := FromFloat64([]float64{0.5, -1, 2, 1, 0, -0.5}, 2, 3).SetRequiresGrad(true)
	z := FromFloat64([]float64{1, -2}, 1, 2)
	// L = Σ Linear(x, w)·z + Σ Linear(x, w)²  (w used twice)
	loss := func() *Tensor {
		y := Linear(x, w, nil)
		return Add(Sum(Mul(y, z)), Sum(Square(Linear(x, w, nil))))
	}
	loss().Backward()
	want := w.Grad().Values()
	for step := 0; step < 3; step++ {
		w.ZeroGrad()
		loss().Backward()
		if !sameVals(w.Grad().Values(), want) {
			t.Fatalf("step %d: %v, want %v", step, w.Grad().Values(), want)
		}
	}
	// single use: the gradient is computed straight into the recycled storage
	w.ZeroGrad()
	Sum(Linear(x, w, nil)).Backward()
	first := w.Grad()
	w.ZeroGrad()
	Sum(Linear(x, w, nil)).Backward()
	if !w.Grad().SharesData(first) || !sameVals(w.Grad().Values(), first.Values()) {
		t.Fatal("weight gradient storage not recycled, or wrong")
	}
}
