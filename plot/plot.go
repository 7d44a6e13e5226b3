package plot

import (
	"bufio"
	"errors"
	"image"
	"image/png"
	"io"

	"github.com/duboko/duboko/internal/atomicfile"
)

// Plot is anything that renders itself to an image.
type Plot interface {
	// Render draws the plot into a new opaque image.
	Render() (*image.RGBA, error)
}

// Errors wrapped by the errors this package returns for bad input.
var (
	// ErrEmpty reports a plot, series or image with nothing to draw.
	ErrEmpty = errors.New("plot: nothing to draw")
	// ErrLength reports slices whose lengths do not match.
	ErrLength = errors.New("plot: length mismatch")
	// ErrSize reports a size, count or range that is out of bounds.
	ErrSize = errors.New("plot: bad size")
)

// EncodePNG renders p and writes it to w as PNG.
func EncodePNG(w io.Writer, p Plot) error {
	img, err := p.Render()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(bw, img); err != nil {
		return err
	}
	return bw.Flush()
}

// SavePNG renders p and writes it as PNG to the file at path, atomically:
// on any error the file is left as it was.
func SavePNG(path string, p Plot) error {
	// Render first so that a bad plot does not even create a temporary file.
	img, err := p.Render()
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		return EncodePNG(w, rendered{img})
	})
}

// rendered is a Plot whose image is already drawn.
type rendered struct{ img *image.RGBA }

func (r rendered) Render() (*image.RGBA, error) { return r.img, nil }
