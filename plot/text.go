package plot

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Text sizes in pixels.
const (
	titleSize   = 16
	labelSize   = 13
	tickSize    = 12
	captionSize = 12
)

// The parsed Go fonts, shared by all renders (faces are not, since an
// opentype face is not safe for concurrent use).
var (
	fontsOnce         sync.Once
	regular, boldFont *opentype.Font
	fontsErr          error
)

func loadFonts() error {
	fontsOnce.Do(func() {
		regular, fontsErr = opentype.Parse(goregular.TTF)
		if fontsErr == nil {
			boldFont, fontsErr = opentype.Parse(gobold.TTF)
		}
	})
	return fontsErr
}

// style picks a face: its pixel size and weight.
type style struct {
	size float64
	bold bool
}

// typesetter measures and draws text, keeping one face per style.
type typesetter struct {
	faces map[style]font.Face
}

func newTypesetter() *typesetter {
	return &typesetter{faces: map[style]font.Face{}}
}

// face returns the face for st; the fonts are embedded, so failure to parse
// them is a bug in the build and panics.
func (t *typesetter) face(st style) font.Face {
	if f, ok := t.faces[st]; ok {
		return f
	}
	if err := loadFonts(); err != nil {
		panic("plot: embedded Go fonts: " + err.Error())
	}
	f := regular
	if st.bold {
		f = boldFont
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: st.size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("plot: embedded Go fonts: " + err.Error())
	}
	t.faces[st] = face
	return face
}

// width is the advance width of s in pixels.
func (t *typesetter) width(s string, st style) int {
	return font.MeasureString(t.face(st), s).Ceil()
}

// height is the distance between baselines of consecutive lines in pixels.
func (t *typesetter) height(st style) int {
	m := t.face(st).Metrics()
	return (m.Ascent + m.Descent).Ceil() + 1
}

// blockSize is the width and height of the lines of s (split at '\n').
func (t *typesetter) blockSize(s string, st style) (w, h int) {
	if s == "" {
		return 0, 0
	}
	lines := strings.Split(s, "\n")
	for _, l := range lines {
		w = max(w, t.width(l, st))
	}
	return w, len(lines) * t.height(st)
}

// Horizontal alignment of text relative to its anchor.
type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// draw writes s with the top of its first line at y, aligned at x; lines
// split at '\n' are stacked, each aligned on its own.
func (t *typesetter) draw(dst draw.Image, s string, x, y int, st style, al align, col color.RGBA) {
	face := t.face(st)
	m := face.Metrics()
	lh := t.height(st)
	for i, line := range strings.Split(s, "\n") {
		lx := x
		switch al {
		case alignCenter:
			lx -= t.width(line, st) / 2
		case alignRight:
			lx -= t.width(line, st)
		}
		d := font.Drawer{
			Dst:  dst,
			Src:  image.NewUniform(col),
			Face: face,
			Dot:  fixed.Point26_6{X: fixed.I(lx), Y: fixed.I(y+i*lh) + m.Ascent},
		}
		d.DrawString(line)
	}
}

// drawUp writes one line of s turned 90° counter-clockwise (reading bottom
// to top), centred vertically on cy, with its left edge (the top of the
// letters) at x.
func (t *typesetter) drawUp(dst draw.Image, s string, x, cy int, st style, col color.RGBA) {
	w, h := t.width(s, st), t.height(st)
	if w == 0 {
		return
	}
	flat := image.NewAlpha(image.Rect(0, 0, w, h))
	m := t.face(st).Metrics()
	d := font.Drawer{Dst: flat, Src: image.Opaque, Face: t.face(st), Dot: fixed.Point26_6{Y: m.Ascent}}
	d.DrawString(s)
	up := image.NewAlpha(image.Rect(0, 0, h, w))
	for yy := 0; yy < h; yy++ {
		for xx := 0; xx < w; xx++ {
			up.SetAlpha(yy, w-1-xx, flat.AlphaAt(xx, yy))
		}
	}
	r := image.Rect(x, cy-w/2, x+h, cy-w/2+w)
	draw.DrawMask(dst, r, image.NewUniform(col), image.Point{}, up, image.Point{}, draw.Over)
}
