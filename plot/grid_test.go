package plot

import (
	"errors"
	"image"
	"testing"
)

// solid is a plot of one colour, for checking placement.
type solid struct {
	w, h int
	c    int // palette index
}

func (s solid) Render() (*image.RGBA, error) {
	cv := newCanvas(s.w, s.h)
	cv.fill(cv.img.Bounds(), Palette[s.c])
	return cv.img, nil
}

func TestGridPlacement(t *testing.T) {
	g := NewGrid(2, solid{10, 10, 0}, solid{10, 10, 1}, solid{10, 10, 2})
	img := renderPNG(t, g)
	wantSize(t, img, 20, 20)
	for _, tc := range []struct {
		x, y, c int
	}{{5, 5, 0}, {15, 5, 1}, {5, 15, 2}} {
		if got := rgbaAt(img, tc.x, tc.y); got != Palette[tc.c] {
			t.Errorf("(%d, %d) = %v, want palette %d", tc.x, tc.y, got, tc.c)
		}
	}
	if got := rgbaAt(img, 15, 15); got != white {
		t.Errorf("empty cell = %v, want white", got)
	}
	// Smaller plots are centred; a title adds height.
	g = &Grid{Title: "two", Plots: []Plot{solid{10, 30, 0}, solid{10, 10, 1}}}
	img = renderPNG(t, g)
	b := img.Bounds()
	if b.Dx() != 20 || b.Dy() <= 30 {
		t.Fatalf("titled grid is %v", b)
	}
	top := b.Dy() - 30
	if rgbaAt(img, 15, top+15) != Palette[1] || rgbaAt(img, 15, top+2) != white {
		t.Error("smaller plot not centred in its cell")
	}
}

func TestGridErrors(t *testing.T) {
	if _, err := NewGrid(1).Render(); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty grid: %v", err)
	}
	if _, err := NewGrid(1, nil).Render(); !errors.Is(err, ErrEmpty) {
		t.Errorf("nil plot: %v", err)
	}
	if _, err := NewGrid(-1, solid{1, 1, 0}).Render(); !errors.Is(err, ErrSize) {
		t.Errorf("negative columns: %v", err)
	}
	if _, err := NewGrid(1, NewLineChart("bad", "", "")).Render(); !errors.Is(err, ErrEmpty) {
		t.Errorf("bad inner plot: %v", err)
	}
}
