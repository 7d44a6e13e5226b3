package plot

import (
	"fmt"
	"image"
	"image/draw"
)

// Grid places several plots in one picture, row by row, each in a cell as
// large as the largest of them, under an optional title.
type Grid struct {
	// Title is written above all the plots.
	Title string
	// Cols is the number of plots per row; 0 puts them all in one row.
	Cols int
	// Plots are rendered in order, left to right, then top to bottom.
	Plots []Plot
}

// NewGrid returns a grid of the plots with cols plots per row.
func NewGrid(cols int, plots ...Plot) *Grid {
	return &Grid{Cols: cols, Plots: plots}
}

// Render draws every plot and places them.
func (g *Grid) Render() (*image.RGBA, error) {
	if len(g.Plots) == 0 {
		return nil, fmt.Errorf("grid %q has no plots: %w", g.Title, ErrEmpty)
	}
	if g.Cols < 0 {
		return nil, fmt.Errorf("grid %q: %d columns: %w", g.Title, g.Cols, ErrSize)
	}
	imgs := make([]*image.RGBA, len(g.Plots))
	cw, ch := 0, 0
	for i, p := range g.Plots {
		if p == nil {
			return nil, fmt.Errorf("grid %q: plot %d is nil: %w", g.Title, i, ErrEmpty)
		}
		img, err := p.Render()
		if err != nil {
			return nil, fmt.Errorf("grid %q, plot %d: %w", g.Title, i, err)
		}
		imgs[i] = img
		cw, ch = max(cw, img.Bounds().Dx()), max(ch, img.Bounds().Dy())
	}
	cols := g.Cols
	if cols == 0 || cols > len(imgs) {
		cols = len(imgs)
	}
	rows := (len(imgs) + cols - 1) / cols
	cv := newCanvas(1, 1)
	top := 0
	if g.Title != "" {
		top = pad + cv.text.height(style{titleSize + 2, true})
	}
	cv = newCanvas(cols*cw, top+rows*ch)
	if g.Title != "" {
		cv.text.draw(cv.img, g.Title, cols*cw/2, pad, style{titleSize + 2, true}, alignCenter, textColor)
	}
	for i, img := range imgs {
		x, y := (i%cols)*cw, top+(i/cols)*ch
		b := img.Bounds()
		// Centre smaller plots in their cell.
		at := image.Pt(x+(cw-b.Dx())/2, y+(ch-b.Dy())/2)
		draw.Draw(cv.img, image.Rectangle{at, at.Add(b.Size())}, img, b.Min, draw.Src)
	}
	return cv.img, nil
}
