package tensor_test

import (
	"slices"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestConcatMiddleAxis joins along an axis with axes both before and after
// it (outer and inner sizes above 1), where each input's block for an
// outer index starts o·n·inner elements into it; the values are compared
// with a hand-written interleaving, and the gradient splits back.
func TestConcatMiddleAxis(t *testing.T) {
	a := Reshape(Arange(0, 12, 1), 2, 3, 2)    // a[o][k][i] = 6o + 2k + i
	b := Reshape(Arange(100, 104, 1), 2, 1, 2) // b[o][0][i] = 100 + 2o + i
	got := Concat(1, a, b)
	want := []float64{0, 1, 2, 3, 4, 5, 100, 101, 6, 7, 8, 9, 10, 11, 102, 103}
	if s := got.Shape(); !slices.Equal(s, []int{2, 4, 2}) || !slices.Equal(got.Values(), want) {
		t.Fatalf("Concat: %v %v, want [2 4 2] %v", s, got.Values(), want)
	}
	st := Stack(1, Reshape(Arange(0, 4, 1), 2, 2), Reshape(Arange(10, 14, 1), 2, 2))
	if w := []float64{0, 1, 10, 11, 2, 3, 12, 13}; !slices.Equal(st.Values(), w) {
		t.Fatalf("Stack: %v, want %v", st.Values(), w)
	}
	x, y := To(a, Float64).SetRequiresGrad(true), To(b, Float64).SetRequiresGrad(true)
	Sum(Mul(Concat(1, x, y), Reshape(ArangeOf(Float64, 0, 16, 1), 2, 4, 2))).Backward()
	if w := []float64{0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13}; !slices.Equal(x.Grad().Values(), w) {
		t.Fatalf("grad of a: %v, want %v", x.Grad().Values(), w)
	}
	if w := []float64{6, 7, 14, 15}; !slices.Equal(y.Grad().Values(), w) {
		t.Fatalf("grad of b: %v, want %v", y.Grad().Values(), w)
	}
}
