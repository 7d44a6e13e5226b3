package plot

import (
	"fmt"
	"math"
)

// ConvFilters lays out convolution weights of shape [out, in, kh, kw]
// (PyTorch's layout) as an [ImageGrid]. With one input channel the out
// filters fill a near-square grid of up to 8 per row; with several, each
// row shows one output filter and each column one input channel. Every
// filter is stretched to its own minimum and maximum, and scaled up so
// that a cell is about 48 pixels wide.
func ConvFilters(title string, w []float32, out, in, kh, kw int) (*ImageGrid, error) {
	if out <= 0 || in <= 0 || kh <= 0 || kw <= 0 {
		return nil, fmt.Errorf("conv filters %q: shape [%d %d %d %d]: %w", title, out, in, kh, kw, ErrSize)
	}
	if len(w) != out*in*kh*kw {
		return nil, fmt.Errorf("conv filters %q: %d weights for shape [%d %d %d %d] (%d): %w",
			title, len(w), out, in, kh, kw, out*in*kh*kw, ErrLength)
	}
	cols := in
	if in == 1 {
		cols = min(8, int(math.Ceil(math.Sqrt(float64(out)))))
	}
	g := NewImageGrid(title, cols, max(1, 48/max(kh, kw)))
	k := kh * kw
	for o := 0; o < out; o++ {
		for i := 0; i < in; i++ {
			off := (o*in + i) * k
			g.Add(w[off:off+k:off+k], kh, kw, "")
		}
	}
	return g, nil
}
