package plot

import (
	"errors"
	"image"
	"image/color"
	"testing"
)

// TestImageGridRGB draws two 1×2 colour images side by side, with Fixed
// 0..1: each pixel's red, green and blue come from the three planes.
func TestImageGridRGB(t *testing.T) {
	g := &ImageGrid{Cols: 2, Norm: Fixed, Lo: 0, Hi: 1}
	g.AddRGB([]float32{1, 0, 0, 1, 0, 0.5}, 1, 2, "") // red, then (0, 1, 0.5)
	g.AddRGB([]float32{2, -1, 0.2, 0.2, 1, 0.2}, 1, 2, "")
	img := renderPNG(t, g)
	wantSize(t, img, 4, 1)
	for i, want := range []color.RGBA{
		{255, 0, 0, 255}, {0, 255, 128, 255}, // first image
		{255, 51, 255, 255}, {0, 51, 51, 255}, // second: 2 and -1 clamp to 1 and 0
	} {
		if got := rgbaAt(img, i, 0); got != want {
			t.Errorf("pixel %d = %v, want %v", i, got, want)
		}
	}
	// PerImage stretches one range over all three planes: a flat image
	// is mid-grey, whatever its planes hold alike.
	g = &ImageGrid{Cols: 1}
	g.AddRGB([]float32{3, 3, 3}, 1, 1, "")
	if got := rgbaAt(renderPNG(t, g), 0, 0); got != Gray(0.5) {
		t.Errorf("flat RGB image = %v, want mid-grey", got)
	}
	g = &ImageGrid{}
	g.AddRGB(make([]float32, 4), 1, 2, "")
	if _, err := g.Render(); !errors.Is(err, ErrLength) {
		t.Errorf("4 values for a 1×2 RGB image: %v, want ErrLength", err)
	}
}

// TestConvFiltersRGB draws a red, a green and a grey 2×2 filter: with
// one range over all weights (−1..1) each comes out in its colour.
func TestConvFiltersRGB(t *testing.T) {
	fill := func(r, g, b float32) []float32 {
		return []float32{r, r, r, r, g, g, g, g, b, b, b, b}
	}
	var w []float32
	w = append(w, fill(1, -1, -1)...)
	w = append(w, fill(-1, 1, -1)...)
	w = append(w, fill(0, 0, 0)...)
	g, err := ConvFiltersRGB("conv1", w, 3, 3, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Cells) != 3 || g.Cols != 2 || g.Scale != 24 || g.Norm != Shared {
		t.Fatalf("grid: %d cells, %d columns, scale %d, norm %v", len(g.Cells), g.Cols, g.Scale, g.Norm)
	}
	img := renderPNG(t, g)
	all := img.Bounds()
	// Each filter is 2×2 pixels scaled 24 times: 48×48 = 2,304 pixels.
	for _, c := range []color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, Gray(0.5)} {
		if n := count(img, all, c); n != 2304 {
			t.Errorf("%v: %d pixels, want 2304", c, n)
		}
	}
	if n := count(img, image.Rect(0, 0, all.Dx(), all.Dy()), color.RGBA{0, 0, 255, 255}); n != 0 {
		t.Errorf("blue appears in %d pixels", n)
	}

	for _, tc := range []struct {
		w               []float32
		out, in, kh, kw int
		want            error
	}{
		{w, 3, 1, 2, 2, ErrSize}, // grayscale input: use ConvFilters
		{w, 0, 3, 2, 2, ErrSize},
		{w[:35], 3, 3, 2, 2, ErrLength},
	} {
		if _, err := ConvFiltersRGB("x", tc.w, tc.out, tc.in, tc.kh, tc.kw); !errors.Is(err, tc.want) {
			t.Errorf("[%d %d %d %d] with %d weights: %v, want %v", tc.out, tc.in, tc.kh, tc.kw, len(tc.w), err, tc.want)
		}
	}
}
