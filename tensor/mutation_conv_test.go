package tensor_test

import (
	"slices"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestConvGeometryBoundaries pins Conv2d's argument limits at their edges,
// per axis: stride and dilation at least 1, padding at least 0, and a
// dilated kernel that exactly fits the padded input giving one output; one
// step past each is a *ShapeError saying what is wrong, from Conv2d and
// from its explicit backward functions alike.
func TestConvGeometryBoundaries(t *testing.T) {
	x, w := rnd(1, 2, 2, 5, 6), rnd(2, 3, 2, 3, 3)
	k := func(a, b int) [2]int { return [2]int{a, b} }
	valid := []struct {
		name         string
		s, p, d      [2]int
		wantH, wantW int
	}{
		{"stride 1, no padding", k(1, 1), k(0, 0), k(1, 1), 3, 4},
		{"dilated kernel fitting the height exactly", k(1, 1), k(0, 0), k(2, 1), 1, 4},
		{"dilated kernel fitting the width exactly", k(1, 1), k(0, 1), k(1, 3), 3, 2},
		{"stride past the input", k(7, 7), k(1, 1), k(1, 1), 1, 1},
	}
	for _, c := range valid {
		y := Conv2d(x, w, nil, c.s, c.p, c.d)
		want := []int{2, 3, c.wantH, c.wantW}
		if got := y.Shape(); !slices.Equal(got, want) {
			t.Errorf("%s: shape %v, want %v", c.name, got, want)
			continue
		}
		g := FullOf(Float64, 1, want...)
		if got := Conv2dBackwardInput(g, w, x.Shape(), c.s, c.p, c.d).Shape(); !slices.Equal(got, x.Shape()) {
			t.Errorf("%s: Conv2dBackwardInput shape %v", c.name, got)
		}
		if got := Conv2dBackwardWeight(g, x, w.Shape(), c.s, c.p, c.d).Shape(); !slices.Equal(got, w.Shape()) {
			t.Errorf("%s: Conv2dBackwardWeight shape %v", c.name, got)
		}
	}
	invalid := []struct {
		name    string
		s, p, d [2]int
		msg     string
	}{
		{"stride height 0", k(0, 1), k(0, 0), k(1, 1), "must be positive"},
		{"stride width 0", k(1, 0), k(0, 0), k(1, 1), "must be positive"},
		{"dilation height 0", k(1, 1), k(0, 0), k(0, 1), "must be positive"},
		{"dilation width 0", k(1, 1), k(0, 0), k(1, 0), "must be positive"},
		{"negative padding height", k(1, 1), k(-1, 0), k(1, 1), "non-negative"},
		{"negative padding width", k(1, 1), k(0, -1), k(1, 1), "non-negative"},
		{"dilated kernel taller than the input", k(1, 1), k(0, 0), k(3, 1), "larger than padded input"},
		{"dilated kernel wider than the input", k(1, 1), k(0, 0), k(1, 3), "larger than padded input"},
	}
	g := FullOf(Float64, 1, 2, 3, 3, 4)
	for _, c := range invalid {
		for name, f := range map[string]func(){
			"Conv2d":               func() { Conv2d(x, w, nil, c.s, c.p, c.d) },
			"Conv2dBackwardInput":  func() { Conv2dBackwardInput(g, w, x.Shape(), c.s, c.p, c.d) },
			"Conv2dBackwardWeight": func() { Conv2dBackwardWeight(g, x, w.Shape(), c.s, c.p, c.d) },
		} {
			if e := mustPanic[*ShapeError](t, c.msg, f); e.Op != name {
				t.Errorf("%s: error of %q, want %q", c.name, e.Op, name)
			}
		}
	}
}

// TestConvArgumentShapes: the ranks, the channel count, the bias and the
// gradients given to the explicit backward functions are checked, each on
// its own.
func TestConvArgumentShapes(t *testing.T) {
	x, w := rnd(1, 2, 2, 5, 6), rnd(2, 3, 2, 3, 3)
	one, zero := [2]int{1, 1}, [2]int{}
	for name, f := range map[string]func(){
		"3-D input":        func() { Conv2d(rnd(3, 2, 5, 6), w, nil, one, zero, one) },
		"3-D weight":       func() { Conv2d(x, rnd(3, 3, 2, 9), nil, one, zero, one) },
		"channel mismatch": func() { Conv2d(x, rnd(3, 3, 1, 3, 3), nil, one, zero, one) },
	} {
		t.Run(name, func(t *testing.T) { mustPanic[*ShapeError](t, "want x [N,C,H,W] and weight [F,C,kh,kw]", f) })
	}
	mustPanic[*ShapeError](t, "bias must be [F]", func() { Conv2d(x, w, rnd(3, 4), one, zero, one) })
	mustPanic[*ShapeError](t, "bias must be [F]", func() { Conv2d(x, w, rnd(3, 3, 1), one, zero, one) })
	if got := Conv2d(x, w, rnd(3, 3), one, zero, one).Shape(); !slices.Equal(got, []int{2, 3, 3, 4}) {
		t.Fatalf("with bias: shape %v", got)
	}
	for _, shape := range [][]int{{2, 3, 3, 3}, {2, 3, 4, 4}, {1, 3, 3, 4}, {2, 2, 3, 4}} {
		g := FullOf(Float64, 1, shape...)
		mustPanic[*ShapeError](t, "output's shape", func() { Conv2dBackwardInput(g, w, x.Shape(), one, zero, one) })
		mustPanic[*ShapeError](t, "output's shape", func() { Conv2dBackwardWeight(g, x, w.Shape(), one, zero, one) })
	}
	mustPanic[*ShapeError](t, "Conv2dBackwardBias", func() { Conv2dBackwardBias(FullOf(Float64, 1, 2, 3, 12)) })
	db := Conv2dBackwardBias(FullOf(Float64, 1, 2, 3, 3, 4))
	if got := db.Float64s(); !slices.Equal(got, []float64{24, 24, 24}) {
		t.Fatalf("Conv2dBackwardBias of ones: %v, want 2·3·4 = 24 per filter", got)
	}
}
