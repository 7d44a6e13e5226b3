package plot

import (
	"image"
	"math"
)

// axis maps data values along one direction to [0, 1].
type axis struct {
	lo, hi  float64
	log     bool
	integer bool // data are whole numbers: no ticks between them
	label   string
}

// norm maps v to [0, 1] across the axis (outside for values beyond it).
func (a axis) norm(v float64) float64 {
	if a.log {
		return (math.Log10(v) - math.Log10(a.lo)) / (math.Log10(a.hi) - math.Log10(a.lo))
	}
	return (v - a.lo) / (a.hi - a.lo)
}

// ticks returns the tick values and their labels; n is the rough count.
func (a axis) ticks(n int) ([]float64, []string) {
	if a.log {
		vs := logTicks(a.lo, a.hi)
		ls := make([]string, len(vs))
		for i, v := range vs {
			ls[i] = formatLogTick(v)
		}
		return vs, ls
	}
	vs, step := linearTicks(a.lo, a.hi, n, a.integer)
	ls := make([]string, len(vs))
	for i, v := range vs {
		ls[i] = formatTick(v, step)
	}
	return vs, ls
}

// axes is the frame of a two-dimensional chart: the plotting area inside a
// picture and the two axes that map data into it.
type axes struct {
	x, y  axis
	title string
	area  image.Rectangle
	xn    int // rough number of x ticks, chosen so their labels fit
}

const (
	pad     = 10 // space around the picture's content
	tickLen = 5
)

// layout places the plotting area inside a w×h picture, leaving room for
// the title, tick labels and axis labels.
func (ax *axes) layout(t *typesetter, w, h int) {
	top := pad
	if ax.title != "" {
		top += t.height(style{titleSize, true}) + 6
	} else {
		top += t.height(style{tickSize, false}) / 2
	}
	_, ylabels := ax.y.ticks(6)
	lw := 0
	for _, l := range ylabels {
		lw = max(lw, t.width(l, style{tickSize, false}))
	}
	left := pad + lw + tickLen + 4
	if ax.y.label != "" {
		left += t.height(style{labelSize, false}) + 4
	}
	bottom := pad + tickLen + 3 + t.height(style{tickSize, false})
	if ax.x.label != "" {
		bottom += t.height(style{labelSize, false}) + 2
	}
	right := pad + 12 // room for the last x tick label
	ax.area = image.Rect(left, top, max(left+1, w-right), max(top+1, h-bottom))
	for ax.xn = 8; ax.xn > 2; ax.xn-- {
		_, xl := ax.x.ticks(ax.xn)
		sum := 0
		for _, l := range xl {
			sum += t.width(l, style{tickSize, false}) + 12
		}
		if sum <= ax.area.Dx() {
			break
		}
	}
}

// at maps a data point to pixel coordinates.
func (ax *axes) at(x, y float64) point {
	r := ax.area
	return point{
		x: float64(r.Min.X) + ax.x.norm(x)*float64(r.Dx()),
		y: float64(r.Max.Y) - ax.y.norm(y)*float64(r.Dy()),
	}
}

// drawGrid draws light lines at the ticks of both axes.
func (ax *axes) drawGrid(c *canvas) {
	r := ax.area
	xs, _ := ax.x.ticks(ax.xn)
	for _, v := range xs {
		px := int(math.Floor(ax.at(v, 1).x))
		c.fill(image.Rect(px, r.Min.Y, px+1, r.Max.Y), gridColor)
	}
	ys, _ := ax.y.ticks(6)
	for _, v := range ys {
		py := int(math.Floor(ax.at(ax.x.lo, v).y))
		c.fill(image.Rect(r.Min.X, py, r.Max.X, py+1), gridColor)
	}
}

// drawFrame draws the box around the area, the ticks and their labels, the
// axis labels and the title.
func (ax *axes) drawFrame(c *canvas) {
	t := c.text
	r := ax.area
	c.clip = c.img.Bounds()
	tick := style{tickSize, false}
	xs, xl := ax.x.ticks(ax.xn)
	for i, v := range xs {
		px := int(math.Floor(ax.at(v, 1).x))
		c.fill(image.Rect(px, r.Max.Y, px+1, r.Max.Y+tickLen), axisColor)
		t.draw(c.img, xl[i], px, r.Max.Y+tickLen+3, tick, alignCenter, textColor)
	}
	ys, yl := ax.y.ticks(6)
	th := t.height(tick)
	for i, v := range ys {
		py := int(math.Floor(ax.at(ax.x.lo, v).y))
		c.fill(image.Rect(r.Min.X-tickLen, py, r.Min.X, py+1), axisColor)
		t.draw(c.img, yl[i], r.Min.X-tickLen-4, py-th/2, tick, alignRight, textColor)
	}
	c.frame(image.Rect(r.Min.X-1, r.Min.Y-1, r.Max.X+1, r.Max.Y+1), axisColor)
	label := style{labelSize, false}
	if ax.x.label != "" {
		y := r.Max.Y + tickLen + 3 + th + 2
		t.draw(c.img, ax.x.label, (r.Min.X+r.Max.X)/2, y, label, alignCenter, textColor)
	}
	if ax.y.label != "" {
		t.drawUp(c.img, ax.y.label, pad, (r.Min.Y+r.Max.Y)/2, label, textColor)
	}
	if ax.title != "" {
		t.draw(c.img, ax.title, (r.Min.X+r.Max.X)/2, pad, style{titleSize, true}, alignCenter, textColor)
	}
}
