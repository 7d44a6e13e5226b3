package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// Series is one named line of a [LineChart].
type Series struct {
	// Name is shown in the legend; series without a name are left out of it.
	Name string
	// X and Y are the points, in order; they must have the same length.
	// Points where either is NaN or infinite are skipped and break the line.
	X, Y []float64
	// Color is the line's colour; nil takes the next one from [Palette].
	Color color.Color
	// Width is the line width in pixels; 0 means 2.
	Width float64
}

// LineChart draws one or more series as lines over shared axes, with a
// legend, tick labels and light grid lines.
type LineChart struct {
	// Title is written above the chart.
	Title string
	// XLabel and YLabel name the axes.
	XLabel, YLabel string
	// Series are the lines, drawn in order.
	Series []Series
	// LogY makes the y axis logarithmic; values <= 0 are then skipped.
	LogY bool
	// XRange and YRange fix an axis; the zero Range fits it to the data
	// with a small margin.
	XRange, YRange Range
	// Width and Height are the picture's size in pixels; 0 means 640×420.
	Width, Height int
	// Markers draws a dot at every point: 0 does so for series of at most
	// 40 points, 1 always, -1 never.
	Markers int
}

// NewLineChart returns an empty chart with a title and axis labels.
func NewLineChart(title, xLabel, yLabel string) *LineChart {
	return &LineChart{Title: title, XLabel: xLabel, YLabel: yLabel}
}

// Add appends a series with the next palette colour and returns c.
func (c *LineChart) Add(name string, x, y []float64) *LineChart {
	c.Series = append(c.Series, Series{Name: name, X: x, Y: y})
	return c
}

// usable reports whether the point (x, y) can be drawn.
func (c *LineChart) usable(x, y float64) bool {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
		return false
	}
	return !c.LogY || y > 0
}

// validate checks the series and returns the data extent of the usable
// points (ok is false when there are none).
func (c *LineChart) validate() (x0, x1, y0, y1 float64, integer, ok bool, err error) {
	if len(c.Series) == 0 {
		return 0, 0, 0, 0, false, false, fmt.Errorf("line chart %q has no series: %w", c.Title, ErrEmpty)
	}
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	integer = true
	for i, s := range c.Series {
		if len(s.X) != len(s.Y) {
			return 0, 0, 0, 0, false, false, fmt.Errorf("line chart %q: series %d (%q) has %d x values and %d y values: %w",
				c.Title, i, s.Name, len(s.X), len(s.Y), ErrLength)
		}
		if len(s.X) == 0 {
			return 0, 0, 0, 0, false, false, fmt.Errorf("line chart %q: series %d (%q) has no points: %w", c.Title, i, s.Name, ErrEmpty)
		}
		for j := range s.X {
			if !c.usable(s.X[j], s.Y[j]) {
				continue
			}
			ok = true
			x0, x1 = math.Min(x0, s.X[j]), math.Max(x1, s.X[j])
			y0, y1 = math.Min(y0, s.Y[j]), math.Max(y1, s.Y[j])
			if s.X[j] != math.Trunc(s.X[j]) {
				integer = false
			}
		}
	}
	return x0, x1, y0, y1, integer, ok, nil
}

// Render draws the chart.
func (c *LineChart) Render() (*image.RGBA, error) {
	x0, x1, y0, y1, integer, ok, err := c.validate()
	if err != nil {
		return nil, err
	}
	w, h := c.Width, c.Height
	if w == 0 && h == 0 {
		w, h = 640, 420
	}
	if w < 100 || h < 80 {
		return nil, fmt.Errorf("line chart %q: size %d×%d is below 100×80: %w", c.Title, w, h, ErrSize)
	}
	if !ok { // nothing finite: empty axes
		x0, x1, y0, y1 = 0, 1, 0, 1
		if c.LogY {
			y0, y1 = 0.1, 1
		}
	}
	ax := axes{title: c.Title}
	ax.x = axis{label: c.XLabel, integer: integer}
	ax.x.lo, ax.x.hi = autoRange(x0, x1, false)
	if integer && ok && x0 != x1 {
		// Whole-number x (epochs) reads best with the data at the edges.
		m := math.Max(0.25, (x1-x0)*0.02)
		ax.x.lo, ax.x.hi = x0-m, x1+m
	}
	if c.XRange.fixed() {
		ax.x.lo, ax.x.hi = c.XRange.Min, c.XRange.Max
	}
	ax.y = axis{label: c.YLabel, log: c.LogY}
	ax.y.lo, ax.y.hi = autoRange(y0, y1, c.LogY)
	if c.YRange.fixed() {
		if c.LogY && c.YRange.Min <= 0 {
			return nil, fmt.Errorf("line chart %q: log y range %v..%v is not positive: %w", c.Title, c.YRange.Min, c.YRange.Max, ErrSize)
		}
		ax.y.lo, ax.y.hi = c.YRange.Min, c.YRange.Max
	}

	cv := newCanvas(w, h)
	ax.layout(cv.text, w, h)
	ax.drawGrid(cv)
	cv.clip = ax.area
	var all []point
	for i, s := range c.Series {
		col := toRGBA(s.Color, paletteColor(i))
		width := s.Width
		if width <= 0 {
			width = 2
		}
		var runs [][]point
		var run []point
		for j := range s.X {
			if !c.usable(s.X[j], s.Y[j]) {
				if len(run) > 0 {
					runs = append(runs, run)
				}
				run = nil
				continue
			}
			run = append(run, ax.at(s.X[j], s.Y[j]))
		}
		if len(run) > 0 {
			runs = append(runs, run)
		}
		cv.polylines(runs, width, col)
		n := 0
		for _, r := range runs {
			n += len(r)
		}
		if c.Markers > 0 || (c.Markers == 0 && n <= 40) {
			for _, r := range runs {
				for _, p := range r {
					cv.disc(p, width+1.2, col)
				}
			}
		}
		for _, r := range runs {
			all = append(all, r...)
		}
	}
	ax.drawFrame(cv)
	c.drawLegend(cv, ax.area, all)
	return cv.img, nil
}

// drawLegend writes the named series with their colours in the corner of
// area that covers the fewest data points.
func (c *LineChart) drawLegend(cv *canvas, area image.Rectangle, pts []point) {
	t := cv.text
	st := style{tickSize, false}
	var names []int
	tw := 0
	for i, s := range c.Series {
		if s.Name != "" {
			names = append(names, i)
			tw = max(tw, t.width(s.Name, st))
		}
	}
	if len(names) == 0 {
		return
	}
	const swatch, gap, inset = 22, 6, 8
	lh := t.height(st) + 2
	bw, bh := gap+swatch+gap+tw+gap, gap+len(names)*lh+gap-2
	corners := []image.Point{
		{area.Max.X - inset - bw, area.Min.Y + inset}, // top right
		{area.Min.X + inset, area.Min.Y + inset},      // top left
		{area.Max.X - inset - bw, area.Max.Y - inset - bh},
		{area.Min.X + inset, area.Max.Y - inset - bh},
	}
	best, bestN := 0, math.MaxInt
	for k, p := range corners {
		box := image.Rect(p.X, p.Y, p.X+bw, p.Y+bh).Inset(-4)
		n := 0
		for _, q := range pts {
			if (image.Point{int(q.x), int(q.y)}).In(box) {
				n++
			}
		}
		if n < bestN {
			best, bestN = k, n
		}
	}
	p := corners[best]
	box := image.Rect(p.X, p.Y, p.X+bw, p.Y+bh)
	cv.clip = cv.img.Bounds()
	for y := box.Min.Y; y < box.Max.Y; y++ { // translucent white
		for x := box.Min.X; x < box.Max.X; x++ {
			cv.blend(x, y, white, 0.85)
		}
	}
	cv.frame(box, gridColor)
	for k, i := range names {
		s := c.Series[i]
		col := toRGBA(s.Color, paletteColor(i))
		y := box.Min.Y + gap + k*lh
		mid := float64(y) + float64(lh-2)/2
		x := float64(box.Min.X + gap)
		cv.clip = box
		cv.polylines([][]point{{{x, mid}, {x + swatch, mid}}}, 2.5, col)
		cv.clip = cv.img.Bounds()
		t.draw(cv.img, s.Name, box.Min.X+gap+swatch+gap, y, st, alignLeft, textColor)
	}
}
