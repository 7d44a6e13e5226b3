package plot

import (
	"fmt"
	"image/color"
	"math"
)

// AddRGB appends an h×w colour image and returns g. pix holds 3×h×w
// values, the red, green and blue planes one after another (the layout of
// a CIFAR-10 image or of one output filter of a convolution on RGB input).
func (g *ImageGrid) AddRGB(pix []float32, h, w int, caption string) *ImageGrid {
	g.Cells = append(g.Cells, Cell{Pix: pix, H: h, W: w, Caption: caption, RGB: true})
	return g
}

// planes returns the number of planes in the cell's Pix: 3 for RGB, else 1.
func (c Cell) planes() int {
	if c.RGB {
		return 3
	}
	return 1
}

// color returns the colour of pixel i (row-major in one plane) with the
// values lo..hi mapped to 0..1: through cmap for a grayscale cell, one
// channel per plane for an RGB cell. A flat image (lo == hi) is mid-grey.
func (c Cell) color(i int, lo, hi float64, cmap Colormap) color.RGBA {
	norm := func(v float32) float64 {
		if !(hi > lo) {
			return 0.5
		}
		return (float64(v) - lo) / (hi - lo)
	}
	if !c.RGB {
		return cmap(norm(c.Pix[i]))
	}
	n := c.H * c.W
	ch := func(v float32) uint8 { return uint8(math.Round(clamp01(norm(v)) * 255)) }
	return color.RGBA{ch(c.Pix[i]), ch(c.Pix[n+i]), ch(c.Pix[2*n+i]), 0xff}
}

// ConvFiltersRGB lays out the weights of a convolution on RGB input, of
// shape [out, 3, kh, kw] (PyTorch's layout), as an [ImageGrid] of out
// colour images: each filter's red, green and blue input channels become
// the red, green and blue of its picture. As in the course's
// draw_conv_filters, one range, the least to the greatest weight of all
// filters, maps to 0..255 (Norm is [Shared]), so grey is a filter that
// weighs the three channels alike and colours show what a filter responds
// to. The filters fill a near-square grid of up to 8 per row, each scaled
// up so that a cell is about 48 pixels wide.
func ConvFiltersRGB(title string, w []float32, out, in, kh, kw int) (*ImageGrid, error) {
	if out <= 0 || in != 3 || kh <= 0 || kw <= 0 {
		return nil, fmt.Errorf("colour conv filters %q: shape [%d %d %d %d], want [out 3 kh kw]: %w", title, out, in, kh, kw, ErrSize)
	}
	if len(w) != out*in*kh*kw {
		return nil, fmt.Errorf("colour conv filters %q: %d weights for shape [%d %d %d %d] (%d): %w",
			title, len(w), out, in, kh, kw, out*in*kh*kw, ErrLength)
	}
	cols := min(8, int(math.Ceil(math.Sqrt(float64(out)))))
	g := NewImageGrid(title, cols, max(1, 48/max(kh, kw)))
	g.Norm = Shared
	k := in * kh * kw
	for o := 0; o < out; o++ {
		g.AddRGB(w[o*k:(o+1)*k:(o+1)*k], kh, kw, "")
	}
	return g, nil
}
