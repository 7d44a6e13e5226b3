package plot

import (
	"errors"
	"image"
	"testing"
)

func TestDecisionSurfaceScore(t *testing.T) {
	d := &DecisionSurface{
		Fn:     func(x, y float64) float64 { return x },
		X:      Range{-1, 1},
		Y:      Range{-1, 1},
		Points: [][2]float64{{-0.5, 0}, {0.5, 0}},
		Labels: []int{0, 1},
		Width:  300, Height: 260,
	}
	img := renderPNG(t, d)
	wantSize(t, img, 300, 260)
	// Sample near the left and right edges of the plotting area, away from
	// the points: blue-ish on the left, red-ish on the right.
	ax := axes{x: axis{lo: -1, hi: 1}, y: axis{lo: -1, hi: 1}}
	ax.layout(newTypesetter(), 300, 260)
	l := rgbaAt(img, ax.area.Min.X+3, ax.area.Min.Y+3)
	r := rgbaAt(img, ax.area.Max.X-4, ax.area.Min.Y+3)
	if !(l.B > l.R+40) || !(r.R > r.B+40) {
		t.Errorf("left %v should be blue, right %v red", l, r)
	}
	// The boundary x = 0 is a dark vertical line in the middle.
	mid := ax.at(0, 0.7)
	dark := 0
	for x := int(mid.x) - 2; x <= int(mid.x)+2; x++ {
		if c := rgbaAt(img, x, int(mid.y)); c.R < 0x40 && c.G < 0x40 && c.B < 0x40 {
			dark++
		}
	}
	if dark == 0 {
		t.Error("no boundary line at x = 0")
	}
	// Points are drawn in their class colours.
	p := ax.at(0.5, 0)
	if got := rgbaAt(img, int(p.x), int(p.y)); got != Palette[1] {
		t.Errorf("class-1 point centre = %v, want %v", got, Palette[1])
	}
	if count(img, image.Rect(0, 0, 300, 260), Palette[0]) == 0 {
		t.Error("class-0 point missing")
	}
}

func TestDecisionSurfaceClasses(t *testing.T) {
	d := &DecisionSurface{
		Classes:   3,
		Fn:        func(x, y float64) float64 { return float64(int(x+1.5) % 3) },
		Points:    [][2]float64{{-1, -1}, {1, 1}},
		Labels:    []int{0, 2},
		Predicted: []int{0, 1},
	}
	img := renderPNG(t, d)
	wantSize(t, img, 520, 480)
	for c := 0; c < 3; c++ {
		if count(img, img.Bounds(), mix(Palette[c], white, 0.72)) == 0 {
			t.Errorf("class %d region missing", c)
		}
	}
}

func TestDecisionSurfaceErrors(t *testing.T) {
	f := func(x, y float64) float64 { return 0 }
	for _, tc := range []struct {
		name string
		d    *DecisionSurface
		want error
	}{
		{"no function", &DecisionSurface{}, ErrEmpty},
		{"labels", &DecisionSurface{Fn: f, Points: [][2]float64{{0, 0}}}, ErrLength},
		{"predicted", &DecisionSurface{Fn: f, Points: [][2]float64{{0, 0}}, Labels: []int{0}, Predicted: []int{}}, ErrLength},
		{"classes", &DecisionSurface{Fn: f, Classes: -1}, ErrSize},
		{"tiny", &DecisionSurface{Fn: f, Width: 5, Height: 5}, ErrSize},
	} {
		if _, err := tc.d.Render(); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
}
