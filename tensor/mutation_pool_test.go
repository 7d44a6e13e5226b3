package tensor_test

import (
	"slices"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestPoolGeometryBoundaries pins the limits of the pooling windows at their
// edges, as PyTorch draws them: kernel and stride at least 1, padding from 0
// to half the kernel inclusive, and a window that exactly fits the padded
// input giving one output; one step past each limit is a *ShapeError of the
// op (not an index or division panic).
func TestPoolGeometryBoundaries(t *testing.T) {
	x := rnd(1, 1, 2, 4, 4)
	k := func(a, b int) [2]int { return [2]int{a, b} }
	valid := []struct {
		name         string
		k, s, p      [2]int
		wantH, wantW int
	}{
		{"kernel 1", k(1, 1), k(1, 1), k(0, 0), 4, 4},
		{"padding half an even kernel", k(2, 2), k(2, 2), k(1, 1), 3, 3},
		{"padding half an odd kernel (rounded down)", k(3, 3), k(1, 1), k(1, 1), 4, 4},
		{"window equal to the input", k(4, 4), k(1, 1), k(0, 0), 1, 1},
		{"padding half the kernel, stride 3", k(4, 2), k(3, 3), k(2, 1), 2, 2},
		{"stride larger than the kernel", k(1, 1), k(3, 2), k(0, 0), 2, 2},
	}
	for _, c := range valid {
		for name, f := range map[string]func() *Tensor{
			"MaxPool2d": func() *Tensor { return MaxPool2d(x, c.k, c.s, c.p) },
			"AvgPool2d": func() *Tensor { return AvgPool2d(x, c.k, c.s, c.p) },
		} {
			if got, want := f().Shape(), []int{1, 2, c.wantH, c.wantW}; !slices.Equal(got, want) {
				t.Errorf("%s %s: shape %v, want %v", name, c.name, got, want)
			}
		}
		// the backward with the same geometry accepts the output's shape
		g := FullOf(Float64, 1, 1, 2, c.wantH, c.wantW)
		if got := AvgPool2dBackward(g, x.Shape(), c.k, c.s, c.p).Shape(); !slices.Equal(got, x.Shape()) {
			t.Errorf("AvgPool2dBackward %s: shape %v", c.name, got)
		}
	}
	invalid := []struct {
		name    string
		k, s, p [2]int
		msg     string // what the message says is wrong
	}{
		{"kernel height 0", k(0, 2), k(1, 1), k(0, 0), "must be positive"},
		{"kernel width 0", k(2, 0), k(1, 1), k(0, 0), "must be positive"},
		{"stride height 0", k(2, 2), k(0, 1), k(0, 0), "must be positive"},
		{"stride width 0", k(2, 2), k(1, 0), k(0, 0), "must be positive"},
		{"negative padding height", k(2, 2), k(1, 1), k(-1, 0), "half the kernel"},
		{"negative padding width", k(2, 2), k(1, 1), k(0, -1), "half the kernel"},
		{"padding height past half the kernel", k(3, 3), k(1, 1), k(2, 1), "half the kernel"},
		{"padding width past half the kernel", k(3, 3), k(1, 1), k(1, 2), "half the kernel"},
		{"window taller than the input", k(5, 1), k(1, 1), k(0, 0), "larger than padded input"},
		{"window wider than the input", k(1, 5), k(1, 1), k(0, 0), "larger than padded input"},
	}
	for _, c := range invalid {
		e := mustPanic[*ShapeError](t, c.msg, func() { MaxPool2d(x, c.k, c.s, c.p) })
		if e.Op != "MaxPool2d" {
			t.Errorf("%s: error of %q", c.name, e.Op)
		}
		if e := mustPanic[*ShapeError](t, c.msg, func() { AvgPool2d(x, c.k, c.s, c.p) }); e.Op != "AvgPool2d" {
			t.Errorf("%s: error of %q", c.name, e.Op)
		}
		mustPanic[*ShapeError](t, c.msg, func() {
			AvgPool2dBackward(FullOf(Float64, 1, 1, 2, 1, 1), x.Shape(), c.k, c.s, c.p)
		})
	}
}

// TestPoolBackwardArgumentChecks: each explicit backward refuses, with a
// *ShapeError naming it, a gradient, input shape or index list that does
// not match, one mismatch at a time; the matching call succeeds.
func TestPoolBackwardArgumentChecks(t *testing.T) {
	x := rnd(2, 2, 3, 4, 4)
	two := [2]int{2, 2}
	y, am := MaxPool2dIndices(x, two, two, [2]int{})
	g := FullOf(Float64, 1, y.Shape()...)
	if got := MaxPool2dBackward(g, am, x.Shape()).Shape(); !slices.Equal(got, x.Shape()) {
		t.Fatalf("MaxPool2dBackward shape %v", got)
	}
	for name, f := range map[string]func(){
		"3-D gradient":       func() { MaxPool2dBackward(Reshape(g, 2, 3, 4), am, x.Shape()) },
		"3-D input shape":    func() { MaxPool2dBackward(g, am, []int{2, 3, 16}) },
		"other batch size":   func() { MaxPool2dBackward(g, am, []int{3, 3, 4, 4}) },
		"other channels":     func() { MaxPool2dBackward(g, am, []int{2, 2, 4, 4}) },
		"one index too few":  func() { MaxPool2dBackward(g, am[1:], x.Shape()) },
		"one index too many": func() { MaxPool2dBackward(g, append(slices.Clone(am), 0), x.Shape()) },
	} {
		t.Run("MaxPool2dBackward/"+name, func(t *testing.T) {
			mustPanic[*ShapeError](t, "MaxPool2dBackward", f)
		})
	}
	mustPanic[*ShapeError](t, "AvgPool2dBackward", func() { AvgPool2dBackward(FullOf(Float64, 1, 2, 3, 2, 3), x.Shape(), two, two, [2]int{}) })

	// global pooling: planes of 1×2 and 2×1 (H·W = 2 whichever way it is
	// combined) are valid, empty planes are not
	for _, shape := range [][]int{{2, 3, 1, 2}, {2, 3, 2, 1}} {
		x := rnd(3, shape...)
		if got := GlobalAvgPool2d(x).Shape(); !slices.Equal(got, []int{2, 3}) {
			t.Errorf("GlobalAvgPool2d %v: shape %v", shape, got)
		}
		y, am := GlobalMaxPool2dIndices(x)
		if got := GlobalMaxPool2dBackward(FullOf(Float64, 1, y.Shape()...), am, shape).Shape(); !slices.Equal(got, shape) {
			t.Errorf("GlobalMaxPool2dBackward %v: shape %v", shape, got)
		}
		if got := GlobalAvgPool2dBackward(FullOf(Float64, 1, y.Shape()...), shape).Shape(); !slices.Equal(got, shape) {
			t.Errorf("GlobalAvgPool2dBackward %v: shape %v", shape, got)
		}
	}
	for _, shape := range [][]int{{2, 3, 0, 2}, {2, 3, 2, 0}, {2, 3, 4}} {
		mustPanic[*ShapeError](t, "GlobalAvgPool2d", func() { GlobalAvgPool2d(Zeros(shape...)) })
		mustPanic[*ShapeError](t, "GlobalMaxPool2d", func() { GlobalMaxPool2d(Zeros(shape...)) })
	}
	gx := rnd(4, 2, 3, 2, 2)
	gy, gam := GlobalMaxPool2dIndices(gx)
	mustPanic[*ShapeError](t, "GlobalMaxPool2dBackward", func() { GlobalMaxPool2dBackward(FullOf(Float64, 1, gy.Shape()...), gam[1:], gx.Shape()) })
	mustPanic[*ShapeError](t, "GlobalMaxPool2dBackward", func() { GlobalMaxPool2dBackward(FullOf(Float64, 1, 3, 2), gam, gx.Shape()) })
	mustPanic[*ShapeError](t, "GlobalMaxPool2dBackward", func() { GlobalMaxPool2dBackward(FullOf(Float64, 1, gy.Shape()...), gam, []int{2, 3, 0, 2}) })
	mustPanic[*ShapeError](t, "GlobalAvgPool2dBackward", func() { GlobalAvgPool2dBackward(FullOf(Float64, 1, 2, 2), gx.Shape()) })
}
