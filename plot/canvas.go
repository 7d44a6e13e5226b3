package plot

import (
	"image"
	"image/color"
	"image/draw"
	"math"
)

// canvas is an opaque RGBA image with antialiased drawing primitives and a
// clip rectangle that limits lines and markers.
type canvas struct {
	img  *image.RGBA
	clip image.Rectangle
	text *typesetter
}

// newCanvas returns a w×h canvas filled with white.
func newCanvas(w, h int) *canvas {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(white), image.Point{}, draw.Src)
	return &canvas{img: img, clip: img.Bounds(), text: newTypesetter()}
}

// blend paints col over pixel (x, y) with opacity a in [0, 1].
func (c *canvas) blend(x, y int, col color.RGBA, a float64) {
	if !(image.Point{x, y}).In(c.clip) || a <= 0 {
		return
	}
	i := c.img.PixOffset(x, y)
	p := c.img.Pix[i : i+3 : i+3]
	if a >= 1 {
		p[0], p[1], p[2] = col.R, col.G, col.B
		return
	}
	f := func(d, s uint8) uint8 {
		return uint8(math.Round(float64(d)*(1-a) + float64(s)*a))
	}
	p[0], p[1], p[2] = f(p[0], col.R), f(p[1], col.G), f(p[2], col.B)
}

// fill paints the rectangle r (clipped) with col.
func (c *canvas) fill(r image.Rectangle, col color.RGBA) {
	draw.Draw(c.img, r.Intersect(c.clip), image.NewUniform(col), image.Point{}, draw.Src)
}

// frame paints a one-pixel outline just inside r.
func (c *canvas) frame(r image.Rectangle, col color.RGBA) {
	c.fill(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+1), col)
	c.fill(image.Rect(r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y), col)
	c.fill(image.Rect(r.Min.X, r.Min.Y, r.Min.X+1, r.Max.Y), col)
	c.fill(image.Rect(r.Max.X-1, r.Min.Y, r.Max.X, r.Max.Y), col)
}

// point is a position in pixel coordinates (0.5 is the centre of pixel 0).
type point struct{ x, y float64 }

// polylines draws the connected runs of points as lines of the given width.
// Coverage is combined by maximum before blending, so joints do not show.
func (c *canvas) polylines(runs [][]point, width float64, col color.RGBA) {
	r := c.clip
	if r.Empty() {
		return
	}
	cov := make([]float32, r.Dx()*r.Dy())
	hw := width / 2
	for _, run := range runs {
		if len(run) == 1 {
			c.cover(cov, run[0], run[0], hw)
		}
		for i := 1; i < len(run); i++ {
			c.cover(cov, run[i-1], run[i], hw)
		}
	}
	c.paint(cov, col)
}

// cover raises cov to the coverage of the segment a–b of half-width hw.
func (c *canvas) cover(cov []float32, a, b point, hw float64) {
	r := c.clip
	x0 := max(r.Min.X, int(math.Floor(min(a.x, b.x)-hw-1)))
	x1 := min(r.Max.X, int(math.Ceil(max(a.x, b.x)+hw+1)))
	y0 := max(r.Min.Y, int(math.Floor(min(a.y, b.y)-hw-1)))
	y1 := min(r.Max.Y, int(math.Ceil(max(a.y, b.y)+hw+1)))
	dx, dy := b.x-a.x, b.y-a.y
	l2 := dx*dx + dy*dy
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			t := 0.0
			if l2 > 0 {
				t = math.Max(0, math.Min(1, ((px-a.x)*dx+(py-a.y)*dy)/l2))
			}
			d := math.Hypot(px-(a.x+t*dx), py-(a.y+t*dy))
			v := float32(math.Max(0, math.Min(1, hw+0.5-d)))
			i := (y-r.Min.Y)*r.Dx() + (x - r.Min.X)
			if v > cov[i] {
				cov[i] = v
			}
		}
	}
}

// paint blends col over the clip rectangle with the opacities in cov.
func (c *canvas) paint(cov []float32, col color.RGBA) {
	r := c.clip
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if v := cov[(y-r.Min.Y)*r.Dx()+(x-r.Min.X)]; v > 0 {
				c.blend(x, y, col, float64(v))
			}
		}
	}
}

// disc draws a filled, antialiased circle of radius rad around p.
func (c *canvas) disc(p point, rad float64, col color.RGBA) {
	for y := int(math.Floor(p.y - rad - 1)); y <= int(math.Ceil(p.y+rad+1)); y++ {
		for x := int(math.Floor(p.x - rad - 1)); x <= int(math.Ceil(p.x+rad+1)); x++ {
			d := math.Hypot(float64(x)+0.5-p.x, float64(y)+0.5-p.y)
			c.blend(x, y, col, math.Min(1, rad+0.5-d))
		}
	}
}

// square draws a filled square of half side h centred on p.
func (c *canvas) square(p point, h float64, col color.RGBA) {
	for y := int(math.Floor(p.y - h - 1)); y <= int(math.Ceil(p.y+h+1)); y++ {
		for x := int(math.Floor(p.x - h - 1)); x <= int(math.Ceil(p.x+h+1)); x++ {
			dx := math.Abs(float64(x)+0.5-p.x) - h
			dy := math.Abs(float64(y)+0.5-p.y) - h
			a := math.Min(1, 0.5-math.Max(dx, dy))
			c.blend(x, y, col, a)
		}
	}
}
