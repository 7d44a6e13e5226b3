package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// DecisionSurface shows a two-dimensional classifier: its output over a
// rectangle as a coloured background with the decision boundary drawn in,
// and labelled data points on top (as in the course's first lab).
type DecisionSurface struct {
	// Title is written above the chart; XLabel and YLabel name the axes.
	Title, XLabel, YLabel string
	// Fn is the classifier. With Classes 0 it returns a score whose level
	// Offset is the decision boundary: blue below, red above, paler
	// nearer the boundary. With Classes > 0 it returns a class index in
	// [0, Classes), and each class gets a pale tint of its palette colour.
	Fn func(x, y float64) float64
	// Offset is the boundary level of a score (0 for logits, 0.5 for
	// probabilities).
	Offset float64
	// Classes is the number of classes when Fn returns a class index.
	Classes int
	// X and Y are the rectangle shown; the zero Range fits the points with
	// a margin, or spans -1..1 without points.
	X, Y Range
	// Points are data points as (x, y) pairs; Labels holds their true
	// classes, drawn in the palette colours.
	Points [][2]float64
	Labels []int
	// Predicted, when not nil, holds the predicted class of every point:
	// correctly classified points are drawn as circles, others as squares.
	Predicted []int
	// Width and Height are the picture's size in pixels; 0 means 520×480.
	Width, Height int
}

// check validates the inputs.
func (d *DecisionSurface) check() error {
	if d.Fn == nil {
		return fmt.Errorf("decision surface %q has no function: %w", d.Title, ErrEmpty)
	}
	if len(d.Labels) != len(d.Points) {
		return fmt.Errorf("decision surface %q: %d points and %d labels: %w", d.Title, len(d.Points), len(d.Labels), ErrLength)
	}
	if d.Predicted != nil && len(d.Predicted) != len(d.Points) {
		return fmt.Errorf("decision surface %q: %d points and %d predictions: %w", d.Title, len(d.Points), len(d.Predicted), ErrLength)
	}
	if d.Classes < 0 {
		return fmt.Errorf("decision surface %q: %d classes: %w", d.Title, d.Classes, ErrSize)
	}
	return nil
}

// ranges returns the shown rectangle.
func (d *DecisionSurface) ranges() (Range, Range) {
	xr, yr := d.X, d.Y
	if xr.fixed() && yr.fixed() {
		return xr, yr
	}
	x0, x1, y0, y1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range d.Points {
		if math.IsNaN(p[0]+p[1]) || math.IsInf(p[0]+p[1], 0) {
			continue
		}
		x0, x1 = math.Min(x0, p[0]), math.Max(x1, p[0])
		y0, y1 = math.Min(y0, p[1]), math.Max(y1, p[1])
	}
	fit := func(lo, hi float64) Range {
		if lo > hi {
			return Range{-1, 1}
		}
		m := math.Max((hi-lo)*0.1, 1e-9)
		if lo == hi {
			m = math.Max(math.Abs(lo)*0.1, 1)
		}
		return Range{lo - m, hi + m}
	}
	if !xr.fixed() {
		xr = fit(x0, x1)
	}
	if !yr.fixed() {
		yr = fit(y0, y1)
	}
	return xr, yr
}

// Render evaluates Fn at every pixel of the plotting area and draws.
func (d *DecisionSurface) Render() (*image.RGBA, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	w, h := d.Width, d.Height
	if w == 0 && h == 0 {
		w, h = 520, 480
	}
	if w < 100 || h < 80 {
		return nil, fmt.Errorf("decision surface %q: size %d×%d is below 100×80: %w", d.Title, w, h, ErrSize)
	}
	xr, yr := d.ranges()
	ax := axes{
		title: d.Title,
		x:     axis{lo: xr.Min, hi: xr.Max, label: d.XLabel},
		y:     axis{lo: yr.Min, hi: yr.Max, label: d.YLabel},
	}
	cv := newCanvas(w, h)
	ax.layout(cv.text, w, h)
	r := ax.area
	// Sample Fn at pixel centres.
	vals := make([]float64, r.Dx()*r.Dy())
	maxDev := 0.0
	for py := 0; py < r.Dy(); py++ {
		y := yr.Max - (float64(py)+0.5)/float64(r.Dy())*(yr.Max-yr.Min)
		for px := 0; px < r.Dx(); px++ {
			x := xr.Min + (float64(px)+0.5)/float64(r.Dx())*(xr.Max-xr.Min)
			v := d.Fn(x, y)
			if d.Classes > 0 {
				v = math.Round(v)
			} else if dev := math.Abs(v - d.Offset); dev > maxDev && !math.IsInf(dev, 0) {
				maxDev = dev
			}
			vals[py*r.Dx()+px] = v
		}
	}
	side := func(v float64) float64 { // what the boundary separates
		if d.Classes > 0 {
			return v
		}
		if v > d.Offset {
			return 1
		}
		return 0
	}
	boundary := color.RGBA{0x20, 0x20, 0x20, 0xff}
	for py := 0; py < r.Dy(); py++ {
		for px := 0; px < r.Dx(); px++ {
			v := vals[py*r.Dx()+px]
			var col color.RGBA
			switch {
			case math.IsNaN(v):
				col = white
			case d.Classes > 0:
				col = mix(paletteColor(int(math.Max(0, v))), white, 0.72)
			default:
				t := 0.5
				if maxDev > 0 {
					t = 0.5 + (v-d.Offset)/(2*maxDev)
				}
				col = mix(Diverging(t), white, 0.35)
			}
			s := side(v)
			if (px+1 < r.Dx() && side(vals[py*r.Dx()+px+1]) != s) ||
				(py+1 < r.Dy() && side(vals[(py+1)*r.Dx()+px]) != s) {
				col = boundary
			}
			cv.img.SetRGBA(r.Min.X+px, r.Min.Y+py, col)
		}
	}
	cv.clip = r
	for i, p := range d.Points {
		if math.IsNaN(p[0]+p[1]) || math.IsInf(p[0]+p[1], 0) {
			continue
		}
		q := ax.at(p[0], p[1])
		col := paletteColor(max(0, d.Labels[i]))
		if d.Predicted != nil && d.Predicted[i] != d.Labels[i] {
			cv.square(q, 4.5, black)
			cv.square(q, 3.5, col)
		} else {
			cv.disc(q, 4.5, black)
			cv.disc(q, 3.5, col)
		}
	}
	ax.drawFrame(cv)
	return cv.img, nil
}
