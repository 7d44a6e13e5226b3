package plot

import (
	"errors"
	"image"
	"image/color"
	"math"
	"testing"
)

func TestLineChartPixels(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5}
	c := NewLineChart("Loss", "epoch", "loss").
		Add("train", x, []float64{5, 4, 3, 2, 1}).
		Add("val", x, []float64{1, 2, 3, 4, 5})
	c.Series[1].Color = color.RGBA{0x00, 0xc0, 0x00, 0xff}
	img := renderPNG(t, c)
	wantSize(t, img, 640, 420)
	if got := rgbaAt(img, 0, 0); got != white {
		t.Errorf("background %v, want white", got)
	}
	all := img.Bounds()
	if n := count(img, all, Palette[0]); n < 200 {
		t.Errorf("first series colour covers %d pixels, want a line", n)
	}
	green := color.RGBA{0x00, 0xc0, 0x00, 0xff}
	if n := count(img, all, green); n < 200 {
		t.Errorf("custom series colour covers %d pixels, want a line", n)
	}
	if n := count(img, all, Palette[1]); n != 0 {
		t.Errorf("palette colour 1 appears %d times although series 1 has its own colour", n)
	}
	// The first series falls from top left to bottom right: its colour
	// must be in the left third high up and in the right third low down.
	w, h := all.Dx(), all.Dy()
	if count(img, image.Rect(0, 0, w/3, h/2), Palette[0]) == 0 {
		t.Error("falling series not found in the top left")
	}
	if count(img, image.Rect(2*w/3, h/2, w, h), Palette[0]) == 0 {
		t.Error("falling series not found in the bottom right")
	}
	if count(img, image.Rect(0, h/2, w/3, h), green) == 0 {
		t.Error("rising series not found in the bottom left")
	}
}

func TestLineChartSizeAndLog(t *testing.T) {
	c := &LineChart{Width: 300, Height: 200, LogY: true, Markers: -1}
	c.Add("lr", []float64{1, 2, 3, 4}, []float64{0.1, 0.01, -1, 0.001})
	img := renderPNG(t, c)
	wantSize(t, img, 300, 200)
	if count(img, img.Bounds(), Palette[0]) == 0 {
		t.Error("log-scale series not drawn")
	}
}

func TestLineChartNaN(t *testing.T) {
	nan := math.NaN()
	c := NewLineChart("", "", "").Add("a", []float64{1, 2, 3}, []float64{nan, nan, nan})
	if _, err := c.Render(); err != nil {
		t.Fatalf("all-NaN series: %v", err)
	}
	c = NewLineChart("", "", "").Add("a", []float64{1, 2, 3, 4}, []float64{1, nan, math.Inf(1), 2})
	img := renderPNG(t, c)
	if count(img, img.Bounds(), Palette[0]) == 0 {
		t.Error("series with gaps not drawn")
	}
}

func TestLineChartErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *LineChart
		want error
	}{
		{"no series", NewLineChart("t", "", ""), ErrEmpty},
		{"empty series", NewLineChart("t", "", "").Add("a", nil, nil), ErrEmpty},
		{"lengths", NewLineChart("t", "", "").Add("a", []float64{1, 2}, []float64{1}), ErrLength},
		{"tiny", &LineChart{Width: 10, Height: 10, Series: []Series{{X: []float64{1}, Y: []float64{1}}}}, ErrSize},
		{"log range", &LineChart{LogY: true, YRange: Range{-1, 1}, Series: []Series{{X: []float64{1}, Y: []float64{1}}}}, ErrSize},
	} {
		if _, err := tc.c.Render(); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestLegendAvoidsData(t *testing.T) {
	// Rising data leaves the top left free; the legend's white box and
	// frame go there, so the top right keeps the line colour.
	x := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	y := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	c := NewLineChart("", "", "").Add("rising", x, y)
	img := renderPNG(t, c)
	w := img.Bounds().Dx()
	if count(img, image.Rect(w-120, 0, w, 80), Palette[0]) == 0 {
		t.Error("data in the top right was covered")
	}
}
