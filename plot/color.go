package plot

import (
	"image/color"
	"math"
)

// Palette holds the colours given to series and classes that have none of
// their own, in order (the ten "tab10" colours of matplotlib).
var Palette = []color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, // blue
	{0xff, 0x7f, 0x0e, 0xff}, // orange
	{0x2c, 0xa0, 0x2c, 0xff}, // green
	{0xd6, 0x27, 0x28, 0xff}, // red
	{0x94, 0x67, 0xbd, 0xff}, // purple
	{0x8c, 0x56, 0x4b, 0xff}, // brown
	{0xe3, 0x77, 0xc2, 0xff}, // pink
	{0x7f, 0x7f, 0x7f, 0xff}, // grey
	{0xbc, 0xbd, 0x22, 0xff}, // olive
	{0x17, 0xbe, 0xcf, 0xff}, // cyan
}

// Colours used for the frame, grid and text of every chart.
var (
	white     = color.RGBA{0xff, 0xff, 0xff, 0xff}
	black     = color.RGBA{0x00, 0x00, 0x00, 0xff}
	textColor = color.RGBA{0x22, 0x22, 0x22, 0xff}
	axisColor = color.RGBA{0x55, 0x55, 0x55, 0xff}
	gridColor = color.RGBA{0xe4, 0xe4, 0xe4, 0xff}
	// outlineColor frames the images of an ImageGrid.
	outlineColor = color.RGBA{0xb0, 0xb0, 0xb0, 0xff}
)

// paletteColor returns the i-th palette colour, cycling.
func paletteColor(i int) color.RGBA {
	return Palette[i%len(Palette)]
}

// toRGBA converts c to an opaque color.RGBA; nil gives def.
func toRGBA(c color.Color, def color.RGBA) color.RGBA {
	if c == nil {
		return def
	}
	r := color.RGBAModel.Convert(c).(color.RGBA)
	r.A = 0xff
	return r
}

// Colormap turns a value in [0, 1] into a colour.
type Colormap func(v float64) color.RGBA

// Gray maps 0 to black and 1 to white.
func Gray(v float64) color.RGBA {
	g := uint8(math.Round(clamp01(v) * 255))
	return color.RGBA{g, g, g, 0xff}
}

// Diverging maps 0 to blue, 0.5 to white and 1 to red; use it with values
// centred on zero, such as weights.
func Diverging(v float64) color.RGBA {
	v = clamp01(v)
	lo := color.RGBA{0x3b, 0x4c, 0xc0, 0xff}
	hi := color.RGBA{0xb4, 0x04, 0x26, 0xff}
	if v < 0.5 {
		return mix(lo, white, v*2)
	}
	return mix(white, hi, (v-0.5)*2)
}

// mix interpolates linearly from a (t=0) to b (t=1).
func mix(a, b color.RGBA, t float64) color.RGBA {
	f := func(x, y uint8) uint8 {
		return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t))
	}
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 0xff}
}

// clamp01 limits v to [0, 1]; NaN becomes 0.
func clamp01(v float64) float64 {
	if !(v > 0) {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}
