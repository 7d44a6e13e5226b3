package tensor_test

import (
	"slices"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestConvTransposeGeometryBoundaries pins ConvTranspose2d's argument
// limits at their edges, per axis, with the output size
// (in−1)·stride − 2·pad + dil·(k−1) + outPad + 1: a one-pixel output is
// valid and an empty one is not; output padding up to 255 and below the
// stride or the dilation; stride and dilation at least 1, paddings at
// least 0, input and kernel planes not empty. Each refusal is a
// *ShapeError of the op saying what is wrong, from the explicit backward
// functions too.
func TestConvTransposeGeometryBoundaries(t *testing.T) {
	k := func(a, b int) [2]int { return [2]int{a, b} }
	one, zero := k(1, 1), k(0, 0)
	valid := []struct {
		name         string
		x, w         []int
		s, p, op, d  [2]int
		wantH, wantW int
	}{
		{"one-pixel output height", []int{1, 2, 3, 4}, []int{2, 3, 1, 1}, one, k(1, 0), zero, one, 1, 4},
		{"one-pixel output width", []int{1, 2, 4, 3}, []int{2, 3, 1, 1}, one, k(0, 1), zero, one, 4, 1},
		{"output padding one below the stride", []int{1, 2, 2, 2}, []int{2, 3, 2, 2}, k(3, 2), zero, k(2, 1), one, 7, 5},
		{"output padding at the stride, below the dilation", []int{1, 2, 2, 2}, []int{2, 3, 2, 2}, k(1, 1), zero, k(1, 1), k(2, 2), 5, 5},
		{"output padding 255", []int{1, 2, 1, 1}, []int{2, 3, 1, 1}, k(256, 256), zero, k(255, 255), one, 256, 256},
	}
	for _, c := range valid {
		x, w := rnd(1, c.x...), rnd(2, c.w...)
		y := ConvTranspose2d(x, w, nil, c.s, c.p, c.op, c.d)
		want := []int{c.x[0], c.w[1], c.wantH, c.wantW}
		if got := y.Shape(); !slices.Equal(got, want) {
			t.Errorf("%s: shape %v, want %v", c.name, got, want)
			continue
		}
		g := FullOf(Float64, 1, want...)
		if got := ConvTranspose2dBackwardInput(g, w, c.x, c.s, c.p, c.op, c.d).Shape(); !slices.Equal(got, c.x) {
			t.Errorf("%s: backward input shape %v", c.name, got)
		}
		if got := ConvTranspose2dBackwardWeight(g, x, c.w, c.s, c.p, c.op, c.d).Shape(); !slices.Equal(got, c.w) {
			t.Errorf("%s: backward weight shape %v", c.name, got)
		}
	}
	invalid := []struct {
		name        string
		x, w        []int
		s, p, op, d [2]int
		msg         string
	}{
		{"empty output height", []int{1, 2, 2, 4}, []int{2, 3, 1, 1}, one, k(1, 0), zero, one, "empty output"},
		{"empty output width", []int{1, 2, 4, 2}, []int{2, 3, 1, 1}, one, k(0, 1), zero, one, "empty output"},
		{"output padding 256", []int{1, 2, 1, 1}, []int{2, 3, 1, 1}, k(257, 257), zero, k(0, 256), one, "above 255"},
		{"output padding height at stride and dilation", []int{1, 2, 2, 2}, []int{2, 3, 2, 2}, k(2, 2), zero, k(2, 0), k(2, 2), "must be smaller"},
		{"output padding width at stride and dilation", []int{1, 2, 2, 2}, []int{2, 3, 2, 2}, k(2, 2), zero, k(0, 2), k(2, 2), "must be smaller"},
		{"stride width 0", []int{1, 2, 2, 2}, []int{2, 3, 2, 2}, k(1, 0), zero, zero, one, "must be positive"},
		{"dilation height 0", []int{1, 2, 2, 2}, []int{2, 3, 2, 2}, one, zero, zero, k(0, 1), "must be positive"},
		{"dilation width 0", []int{1, 2, 2, 2}, []int{2, 3, 2, 2}, one, zero, zero, k(1, 0), "must be positive"},
		{"negative padding width", []int{1, 2, 2, 2}, []int{2, 3, 2, 2}, one, k(0, -1), zero, one, "non-negative"},
		{"negative output padding height", []int{1, 2, 2, 2}, []int{2, 3, 2, 2}, k(2, 2), zero, k(-1, 0), one, "non-negative"},
		{"negative output padding width", []int{1, 2, 2, 2}, []int{2, 3, 2, 2}, k(2, 2), zero, k(0, -1), one, "non-negative"},
		{"empty input height", []int{1, 2, 0, 2}, []int{2, 3, 2, 2}, k(2, 2), zero, zero, one, "height and width must be positive"},
		{"empty input width", []int{1, 2, 2, 0}, []int{2, 3, 2, 2}, k(2, 2), zero, zero, one, "height and width must be positive"},
		{"empty kernel height", []int{1, 2, 2, 2}, []int{2, 3, 0, 2}, k(2, 2), zero, zero, one, "height and width must be positive"},
		{"empty kernel width", []int{1, 2, 2, 2}, []int{2, 3, 2, 0}, k(2, 2), zero, zero, one, "height and width must be positive"},
	}
	for _, c := range invalid {
		x, w := rnd(1, c.x...), rnd(2, c.w...)
		g := FullOf(Float64, 1, 1, 3, 2, 2)
		for name, f := range map[string]func(){
			"ConvTranspose2d":               func() { ConvTranspose2d(x, w, nil, c.s, c.p, c.op, c.d) },
			"ConvTranspose2dBackwardInput":  func() { ConvTranspose2dBackwardInput(g, w, c.x, c.s, c.p, c.op, c.d) },
			"ConvTranspose2dBackwardWeight": func() { ConvTranspose2dBackwardWeight(g, x, c.w, c.s, c.p, c.op, c.d) },
		} {
			if e := mustPanic[*ShapeError](t, c.msg, f); e.Op != name {
				t.Errorf("%s: error of %q, want %q", c.name, e.Op, name)
			}
		}
	}
	// the bias's rank and size, one at a time
	x, w := rnd(1, 1, 2, 3, 3), rnd(2, 2, 3, 2, 2)
	mustPanic[*ShapeError](t, "bias must be [Cout]", func() { ConvTranspose2d(x, w, rnd(3, 3, 1), one, zero, zero, one) })
	mustPanic[*ShapeError](t, "bias must be [Cout]", func() { ConvTranspose2d(x, w, rnd(3, 2), one, zero, zero, one) })
	if got := ConvTranspose2d(x, w, rnd(3, 3), one, zero, zero, one).Shape(); !slices.Equal(got, []int{1, 3, 4, 4}) {
		t.Fatalf("with bias: shape %v", got)
	}
}
