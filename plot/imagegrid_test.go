package plot

import (
	"errors"
	"image/color"
	"strings"
	"testing"
)

func TestImageGridPlacement(t *testing.T) {
	g := &ImageGrid{Cols: 2, Scale: 3, Pad: 1}
	g.Add([]float32{0, 1, 2, 3}, 2, 2, "")
	g.Add([]float32{7, 7, 7, 7}, 2, 2, "")
	g.Add([]float32{-1, 5, 5, 5}, 2, 2, "")
	img := renderPNG(t, g)
	// Pad + 2 cells of 6 + pad each; 2 rows.
	wantSize(t, img, 1+2*(6+1), 1+2*(6+1))
	black := color.RGBA{0, 0, 0, 0xff}
	gray := color.RGBA{128, 128, 128, 0xff}
	for _, tc := range []struct {
		x, y int
		want color.RGBA
	}{
		{0, 0, white},        // padding
		{1, 1, black},        // image 0, pixel (0,0): its minimum
		{3, 3, black},        // same pixel, scaled 3×
		{4, 4, white},        // image 0, pixel (1,1): its maximum
		{7, 3, white},        // padding between cells
		{9, 2, gray},         // image 1 is flat: middle grey
		{1, 8, black},        // image 2, row 2
		{5, 8, white},        // image 2, pixel (0,1)
		{10, 10, white},      // empty cell
		{12, 12, white},      // bottom right
		{6, 6, white},        // image 0 bottom right pixel
		{2, 5, Gray(2 / 3.)}, // image 0, pixel (1,0) = 2 of 0..3
	} {
		if got := rgbaAt(img, tc.x, tc.y); got != tc.want {
			t.Errorf("(%d, %d) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestImageGridNormalize(t *testing.T) {
	cells := func() []Cell {
		return []Cell{{Pix: []float32{0, 1}, H: 1, W: 2}, {Pix: []float32{-1, 3}, H: 1, W: 2}}
	}
	g := &ImageGrid{Cols: 2, Norm: Fixed, Lo: 0, Hi: 2, Cells: cells()}
	img := renderPNG(t, g)
	// Fixed 0..2: 0 → black, 1 → mid, -1 clamps to black, 3 clamps to white.
	want := []color.RGBA{Gray(0), Gray(0.5), Gray(0), Gray(1)}
	for i, x := range []int{0, 1, 2, 3} {
		if got := rgbaAt(img, x, 0); got != want[i] {
			t.Errorf("fixed: x=%d %v, want %v", x, got, want[i])
		}
	}
	g = &ImageGrid{Cols: 2, Norm: Shared, Cells: cells()}
	img = renderPNG(t, g)
	if got := rgbaAt(img, 0, 0); got != Gray(0.25) {
		t.Errorf("shared: 0 in -1..3 = %v, want %v", got, Gray(0.25))
	}
	g = &ImageGrid{Cols: 2, Norm: PerImageSymmetric, Colormap: Diverging, Cells: cells()}
	img = renderPNG(t, g)
	if got := rgbaAt(img, 0, 0); got != white {
		t.Errorf("symmetric diverging: 0 = %v, want white", got)
	}
}

func TestImageGridCaptions(t *testing.T) {
	g := NewImageGrid("worst", 2, 2)
	g.Add(make([]float32, 4), 2, 2, "true 7\n2:.61  7:.30")
	g.Add(make([]float32, 4), 2, 2, "")
	g.Cells[1].Border = color.RGBA{0xff, 0, 0, 0xff}
	img := renderPNG(t, g)
	b := img.Bounds()
	// Captions make the cells wider and taller than the 4×4 images.
	if b.Dx() < 2*60 || b.Dy() < 40 {
		t.Fatalf("captioned grid is only %v", b)
	}
	if count(img, b, textColor) == 0 {
		t.Error("no caption text drawn")
	}
	if count(img, b, color.RGBA{0xff, 0, 0, 0xff}) < 16 {
		t.Error("border not drawn")
	}
}

func TestImageGridErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    *ImageGrid
		want error
	}{
		{"empty", &ImageGrid{}, ErrEmpty},
		{"size", (&ImageGrid{}).Add(make([]float32, 5), 2, 2, ""), ErrLength},
		{"zero height", (&ImageGrid{}).Add(nil, 0, 2, ""), ErrSize},
		{"negative scale", (&ImageGrid{Scale: -1}).Add(make([]float32, 4), 2, 2, ""), ErrSize},
		{"fixed range", (&ImageGrid{Norm: Fixed}).Add(make([]float32, 4), 2, 2, ""), ErrSize},
	} {
		_, err := tc.g.Render()
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestConvFilters(t *testing.T) {
	w := make([]float32, 16*25)
	for i := range w {
		w[i] = float32(i % 7)
	}
	g, err := ConvFilters("conv1", w, 16, 1, 5, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Cells) != 16 || g.Cols != 4 || g.Scale != 9 {
		t.Errorf("16 single-channel filters: %d cells, %d cols, scale %d", len(g.Cells), g.Cols, g.Scale)
	}
	g, err = ConvFilters("conv2", make([]float32, 4*3*3*3), 4, 3, 3, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Cells) != 12 || g.Cols != 3 {
		t.Errorf("4×3 filters: %d cells, %d cols", len(g.Cells), g.Cols)
	}
	if _, err := g.Render(); err != nil {
		t.Error(err)
	}
	if _, err := ConvFilters("bad", make([]float32, 10), 4, 1, 3, 3); !errors.Is(err, ErrLength) {
		t.Errorf("wrong length: %v", err)
	}
	if _, err := ConvFilters("bad", nil, 0, 1, 3, 3); !errors.Is(err, ErrSize) {
		t.Errorf("zero filters: %v", err)
	}
}

func TestPredictionCaption(t *testing.T) {
	probs := []float32{0.01, 0.05, 0.61, 0, 0, 0, 0.03, 0.30, 0, 0}
	got := PredictionCaption(7, probs, 3)
	want := "true 7\n2:.61  7:.30  1:.05"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := PredictionCaption(1, []float32{1, 0}, 5); !strings.HasSuffix(got, "0:1.00  1:.00") {
		t.Errorf("k above classes: %q", got)
	}
}
