package plot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// renderPNG encodes p as PNG, decodes it back and returns the image, so
// tests check what a reader of the file would see.
func renderPNG(t *testing.T, p Plot) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := EncodePNG(&buf, p); err != nil {
		t.Fatalf("EncodePNG: %v", err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return img
}

// rgbaAt returns the opaque colour at (x, y).
func rgbaAt(img image.Image, x, y int) color.RGBA {
	return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
}

// count returns how many pixels inside r have exactly colour c.
func count(img image.Image, r image.Rectangle, c color.RGBA) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if rgbaAt(img, x, y) == c {
				n++
			}
		}
	}
	return n
}

// wantSize fails unless img is w×h.
func wantSize(t *testing.T, img image.Image, w, h int) {
	t.Helper()
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("size %d×%d, want %d×%d", b.Dx(), b.Dy(), w, h)
	}
}
