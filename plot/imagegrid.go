package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// Normalize says how pixel values become shades in an [ImageGrid].
type Normalize int

const (
	// PerImage stretches each image's own minimum to 0 and maximum to 1.
	PerImage Normalize = iota
	// PerImageSymmetric maps each image's -max|v| to 0 and +max|v| to 1, so
	// that zero is the middle shade (useful for weights).
	PerImageSymmetric
	// Shared stretches the minimum and maximum over all images to 0 and 1.
	Shared
	// Fixed maps the grid's Lo to 0 and Hi to 1, clamping values outside.
	Fixed
)

// Cell is one image of an [ImageGrid].
type Cell struct {
	// Pix holds H×W values, row by row; for an RGB cell 3×H×W values:
	// the red, green and blue planes one after another.
	Pix  []float32
	H, W int
	// RGB makes the cell a colour image (see [ImageGrid.AddRGB]): each
	// plane is normalised as the grid says, all three with one range, and
	// the grid's Colormap is not used.
	RGB bool
	// Caption is written under the image; '\n' starts a new line.
	Caption string
	// Border, when set, outlines the image in that colour.
	Border color.Color
}

// ImageGrid draws grayscale (or colour-mapped) and RGB images in a grid,
// scaled up by whole pixels, each with an optional caption underneath.
type ImageGrid struct {
	// Title is written above the grid.
	Title string
	// Cols is the number of images per row; 0 chooses a near-square grid.
	Cols int
	// Scale enlarges every image pixel to Scale×Scale pixels; 0 means 1.
	Scale int
	// Pad is the space in pixels around and between cells. When it is at
	// least 2, every image gets a thin grey outline so that light images
	// stand out from the white background.
	Pad int
	// Norm chooses how values map to shades; Lo and Hi are used by Fixed.
	Norm   Normalize
	Lo, Hi float32
	// Colormap turns normalised values into colours; nil is [Gray].
	Colormap Colormap
	// Cells are the images, placed row by row.
	Cells []Cell
}

// NewImageGrid returns an empty grid with cols images per row, each pixel
// enlarged scale times, and 4 pixels of padding.
func NewImageGrid(title string, cols, scale int) *ImageGrid {
	return &ImageGrid{Title: title, Cols: cols, Scale: scale, Pad: 4}
}

// Add appends an h×w image with a caption and returns g.
func (g *ImageGrid) Add(pix []float32, h, w int, caption string) *ImageGrid {
	g.Cells = append(g.Cells, Cell{Pix: pix, H: h, W: w, Caption: caption})
	return g
}

// check validates the grid and the cells.
func (g *ImageGrid) check() error {
	if len(g.Cells) == 0 {
		return fmt.Errorf("image grid %q has no images: %w", g.Title, ErrEmpty)
	}
	if g.Cols < 0 || g.Scale < 0 || g.Pad < 0 {
		return fmt.Errorf("image grid %q: cols %d, scale %d, pad %d must not be negative: %w", g.Title, g.Cols, g.Scale, g.Pad, ErrSize)
	}
	if g.Norm == Fixed && !(g.Lo < g.Hi) {
		return fmt.Errorf("image grid %q: fixed range %v..%v is empty: %w", g.Title, g.Lo, g.Hi, ErrSize)
	}
	for i, c := range g.Cells {
		if c.H <= 0 || c.W <= 0 {
			return fmt.Errorf("image grid %q: image %d is %d×%d: %w", g.Title, i, c.H, c.W, ErrSize)
		}
		if want := c.planes() * c.H * c.W; len(c.Pix) != want {
			return fmt.Errorf("image grid %q: image %d has %d values, want %d×%d×%d = %d: %w",
				g.Title, i, len(c.Pix), c.planes(), c.H, c.W, want, ErrLength)
		}
	}
	return nil
}

// span returns the value range of pix that maps to [0, 1] under the grid's
// normalisation; lo == hi means a flat image.
func (g *ImageGrid) span(pix []float32, allLo, allHi float64) (lo, hi float64) {
	switch g.Norm {
	case Fixed:
		return float64(g.Lo), float64(g.Hi)
	case Shared:
		return allLo, allHi
	}
	lo, hi = minMax(pix)
	if g.Norm == PerImageSymmetric {
		m := math.Max(math.Abs(lo), math.Abs(hi))
		return -m, m
	}
	return lo, hi
}

// minMax returns the least and greatest finite values of pix (0, 0 if none).
func minMax(pix []float32) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range pix {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		lo, hi = math.Min(lo, f), math.Max(hi, f)
	}
	if lo > hi {
		return 0, 0
	}
	return lo, hi
}

// Render draws the grid.
func (g *ImageGrid) Render() (*image.RGBA, error) {
	if err := g.check(); err != nil {
		return nil, err
	}
	scale := max(1, g.Scale)
	cols := g.Cols
	if cols == 0 {
		cols = int(math.Ceil(math.Sqrt(float64(len(g.Cells)))))
	}
	cols = min(cols, len(g.Cells))
	rows := (len(g.Cells) + cols - 1) / cols
	cmap := g.Colormap
	if cmap == nil {
		cmap = Gray
	}
	cv := newCanvas(1, 1)
	t := cv.text
	capSt := style{captionSize, false}
	// Every cell is as large as the largest image and caption.
	iw, ih, capW, capH := 0, 0, 0, 0
	allLo, allHi := math.Inf(1), math.Inf(-1)
	for _, c := range g.Cells {
		iw, ih = max(iw, c.W*scale), max(ih, c.H*scale)
		w, h := t.blockSize(c.Caption, capSt)
		capW, capH = max(capW, w), max(capH, h)
		lo, hi := minMax(c.Pix)
		allLo, allHi = math.Min(allLo, lo), math.Max(allHi, hi)
	}
	cw := iw
	if capW > 0 {
		cw = max(iw, capW+10) // keep neighbouring captions apart
	}
	gap := 0
	if capH > 0 {
		gap = 3
	}
	ch := ih + gap + capH
	p := g.Pad
	top := 0
	if g.Title != "" {
		top = pad + t.height(style{titleSize, true}) + 2
	}
	W := p + cols*(cw+p)
	H := top + p + rows*(ch+p)
	if g.Title != "" {
		W = max(W, t.width(g.Title, style{titleSize, true})+2*pad)
	}
	cv = newCanvas(W, H)
	cv.text = t
	if g.Title != "" {
		t.draw(cv.img, g.Title, W/2, pad, style{titleSize, true}, alignCenter, textColor)
	}
	x0 := (W - (p + cols*(cw+p))) / 2 // centre under a wide title
	for i, c := range g.Cells {
		cx := x0 + p + (i%cols)*(cw+p)
		cy := top + p + (i/cols)*(ch+p)
		// The image sits centred at the top of its cell.
		ix := cx + (cw-c.W*scale)/2
		iy := cy + (ih-c.H*scale)/2
		lo, hi := g.span(c.Pix, allLo, allHi)
		for y := 0; y < c.H; y++ {
			for x := 0; x < c.W; x++ {
				cv.fill(image.Rect(ix+x*scale, iy+y*scale, ix+(x+1)*scale, iy+(y+1)*scale), c.color(y*c.W+x, lo, hi, cmap))
			}
		}
		outline := image.Rect(ix, iy, ix+c.W*scale, iy+c.H*scale).Inset(-1)
		if p >= 2 {
			cv.frame(outline, outlineColor)
		}
		if c.Border != nil {
			r := image.Rect(ix, iy, ix+c.W*scale, iy+c.H*scale).Inset(-2)
			col := toRGBA(c.Border, black)
			cv.frame(r, col)
			cv.frame(r.Inset(1), col)
		}
		if c.Caption != "" {
			t.draw(cv.img, c.Caption, cx+cw/2, cy+ih+gap, capSt, alignCenter, textColor)
		}
	}
	return cv.img, nil
}
