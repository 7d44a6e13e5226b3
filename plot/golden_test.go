package plot

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden pictures in testdata/golden from the current rendering")

// The golden set: example pictures of every kind of plot, committed under
// testdata/golden for a person to look at, and compared pixel by pixel on
// every test run. After a deliberate change of the drawing, look at the
// new pictures and accept them with
//
//	go test ./plot -run TestGolden -update
const goldenDir = "testdata/golden"

// A pixel differs when one of its channels differs by more than
// goldenChannelTol (anti-aliasing may move by a shade where the compiler
// fuses a multiply-add on another architecture); a picture matches when at
// most goldenPixelFrac of its pixels differ.
const (
	goldenChannelTol = 24
	goldenPixelFrac  = 1e-4
)

// golden is one picture of the set: its file name, the plot, its size and
// a few facts about what must be drawn, checked even with -update.
type golden struct {
	name  string
	plot  Plot
	w, h  int
	check func(t *testing.T, img image.Image)
}

// sampleHistory is a 20-epoch training run with one missing validation
// loss (epoch 6), which the chart shows as a gap.
func sampleHistory(withGap bool) History {
	var h History
	for i := 1; i <= 20; i++ {
		e := float64(i)
		h.Epoch = append(h.Epoch, e)
		h.TrainLoss = append(h.TrainLoss, 2.3*math.Exp(-e/4)+0.05)
		h.ValLoss = append(h.ValLoss, 2.3*math.Exp(-e/5)+0.1)
		h.TrainAcc = append(h.TrainAcc, 1-0.9*math.Exp(-e/3))
		h.ValAcc = append(h.ValAcc, 0.98-0.9*math.Exp(-e/3.5))
		h.LR = append(h.LR, 0.1*math.Pow(0.7, e-1))
	}
	if withGap {
		h.ValLoss[5] = math.NaN()
	}
	return h
}

var misclassifiedBorder = color.RGBA{0xd6, 0x27, 0x28, 0xff}

func goldenSet(t *testing.T) []golden {
	t.Helper()
	must := func(p Plot, err error) Plot {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	var set []golden

	curves := must(sampleHistory(true).Plot())
	set = append(set, golden{"curves.png", curves, 3 * 560, 400, func(t *testing.T, img image.Image) {
		// three charts side by side: loss and accuracy in the colours of
		// train and validation, the learning rate in the third colour
		for c, colours := range [][]int{{0, 1}, {0, 1}, {2}} {
			r := image.Rect(c*560, 0, (c+1)*560, 400)
			for _, s := range colours {
				if n := count(img, r, Palette[s]); n < 300 {
					t.Errorf("chart %d: %d pixels of series colour %d", c, n, s)
				}
			}
		}
	}})

	rng := rand.New(rand.NewPCG(1, 2))
	w := make([]float32, 16*1*5*5)
	for i := range w {
		w[i] = float32(rng.NormFloat64())
	}
	set = append(set, golden{"filters.png", must(ConvFilters("conv1 filters", w, 16, 1, 5, 5)), 0, 0, func(t *testing.T, img image.Image) {
		// the weights' extremes map to black and white
		if count(img, img.Bounds(), white) == 0 || count(img, img.Bounds(), black) == 0 {
			t.Error("filters: no black or no white pixel")
		}
	}})
	w3 := make([]float32, 4*3*3*3)
	for i := range w3 {
		w3[i] = float32(rng.NormFloat64())
	}
	f3 := must(ConvFilters("4 filters × 3 channels", w3, 4, 3, 3, 3)).(*ImageGrid)
	f3.Norm = PerImageSymmetric
	f3.Colormap = Diverging
	set = append(set, golden{"filters3.png", f3, 0, 0, func(t *testing.T, img image.Image) {
		// each filter's largest |weight| reaches one end of the map
		lo, hi := Diverging(0), Diverging(1)
		if count(img, img.Bounds(), lo)+count(img, img.Bounds(), hi) < 4*9 {
			t.Errorf("diverging filters: %d pixels at the ends of the map, want one cell per filter at least",
				count(img, img.Bounds(), lo)+count(img, img.Bounds(), hi))
		}
	}})

	mis := NewImageGrid("20 worst misclassified", 5, 2)
	for i := range 20 {
		img := make([]float32, 28*28)
		for y := 6; y < 22; y++ {
			for x := 10 + i%5; x < 14+i%5; x++ {
				img[y*28+x] = 1
			}
		}
		probs := make([]float32, 10)
		var s float32
		for j := range probs {
			probs[j] = rng.Float32()
			s += probs[j]
		}
		for j := range probs {
			probs[j] /= s
		}
		mis.Add(img, 28, 28, PredictionCaption(i%10, probs, 3))
		if i == 3 {
			mis.Cells[i].Border = misclassifiedBorder
		}
	}
	set = append(set, golden{"misclassified.png", mis, 0, 0, func(t *testing.T, img image.Image) {
		// one cell framed: its border, at least the perimeter of a 28×28 image
		if n := count(img, img.Bounds(), misclassifiedBorder); n < 4*28 {
			t.Errorf("%d border pixels, want a frame around one cell", n)
		}
	}})

	rng = rand.New(rand.NewPCG(3, 4))
	var pts [][2]float64
	var labels, pred []int
	for i := range 60 {
		c := i % 2
		x, y := rng.NormFloat64()+float64(c)*2, rng.NormFloat64()+float64(c)
		pts = append(pts, [2]float64{x, y})
		labels = append(labels, c)
		p := 0
		if x+0.5*y-1.5 > 0 {
			p = 1
		}
		pred = append(pred, p)
	}
	set = append(set, golden{"surface.png", &DecisionSurface{Title: "Logistic regression", XLabel: "x1", YLabel: "x2",
		Fn: func(x, y float64) float64 { return x + 0.5*y - 1.5 }, Points: pts, Labels: labels, Predicted: pred}, 0, 0,
		func(t *testing.T, img image.Image) {
			// negative scores (left) shaded blue, positive (right) red
			b := img.Bounds()
			left, right := rgbaAt(img, b.Min.X+b.Dx()/6, b.Max.Y-b.Dy()/5), rgbaAt(img, b.Max.X-b.Dx()/8, b.Min.Y+b.Dy()/6)
			if left.B <= left.R || right.R <= right.B {
				t.Errorf("shading: left %v should be blue, right %v red", left, right)
			}
		}})
	set = append(set, golden{"surface3.png", &DecisionSurface{Title: "3 classes", Classes: 3, X: Range{-3, 3}, Y: Range{-3, 3},
		Fn: func(x, y float64) float64 {
			a := math.Atan2(y, x) + math.Pi
			return math.Floor(a / (2 * math.Pi / 3))
		}, Points: pts, Labels: labels}, 0, 0, nil})

	var x, a, b []float64
	for i := range 500 {
		v := float64(i) / 50
		x = append(x, v)
		a = append(a, 1000*math.Sin(v))
		b = append(b, 1500*math.Cos(v*1.3))
	}
	dense := NewLineChart("Dense series, wide values", "time (s)", "amplitude").Add("sin", x, a).Add("cos", x, b)
	dense.Width, dense.Height = 420, 300
	set = append(set, golden{"dense.png", dense, 420, 300, func(t *testing.T, img image.Image) {
		for s := range 2 {
			if n := count(img, img.Bounds(), Palette[s]); n < 300 {
				t.Errorf("%d pixels of series %d's colour", n, s)
			}
		}
	}})

	small := NewImageGrid("", 2, 10)
	small.Add([]float32{0, 1, 0, 0, 1, 0, 0, 1, 0}, 3, 3, PredictionCaption(1, []float32{0.1, 0.3, 0.6}, 3))
	small.Add([]float32{1, 1, 1, 0, 0, 1, 1, 1, 1}, 3, 3, PredictionCaption(2, []float32{0.7, 0.1, 0.2}, 3))
	set = append(set, golden{"small.png", small, 0, 0, nil})
	return set
}

// TestGolden renders every picture of the golden set and compares it with
// the committed one (see goldenDir); with -update it rewrites them.
func TestGolden(t *testing.T) {
	for _, g := range goldenSet(t) {
		t.Run(g.name, func(t *testing.T) {
			img := renderPNG(t, g.plot)
			if g.w > 0 {
				wantSize(t, img, g.w, g.h)
			}
			if g.check != nil {
				g.check(t, img)
			}
			path := filepath.Join(goldenDir, g.name)
			if *update {
				if err := SavePNG(path, g.plot); err != nil {
					t.Fatal(err)
				}
				return
			}
			want := readPNG(t, path)
			if n, total := diffPixels(img, want, goldenChannelTol); float64(n) > goldenPixelFrac*float64(total) {
				t.Errorf("%d of %d pixels differ from %s (at most %.0f may); if the change is meant, look at the pictures and rerun with -update",
					n, total, path, goldenPixelFrac*float64(total))
			}
		})
	}
}

// TestGoldenDetectsChange: the comparison is strict enough to see one
// missing gap in one line of a 1680×400 picture.
func TestGoldenDetectsChange(t *testing.T) {
	noGap, err := sampleHistory(false).Plot()
	if err != nil {
		t.Fatal(err)
	}
	img := renderPNG(t, noGap)
	n, total := diffPixels(img, readPNG(t, filepath.Join(goldenDir, "curves.png")), goldenChannelTol)
	if float64(n) <= goldenPixelFrac*float64(total) {
		t.Fatalf("curves without the NaN gap match the golden picture (%d of %d pixels differ)", n, total)
	}
	if n, _ := diffPixels(img, img, 0); n != 0 {
		t.Fatalf("an image differs from itself in %d pixels", n)
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (write the golden pictures with -update)", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// diffPixels returns how many pixels of a and b differ by more than tol in
// a channel (all of them if the sizes differ), and the number of pixels.
func diffPixels(a, b image.Image, tol int) (n, total int) {
	ab, bb := a.Bounds(), b.Bounds()
	total = ab.Dx() * ab.Dy()
	if ab.Size() != bb.Size() {
		return total, total
	}
	for y := range ab.Dy() {
		for x := range ab.Dx() {
			p, q := rgbaAt(a, ab.Min.X+x, ab.Min.Y+y), rgbaAt(b, bb.Min.X+x, bb.Min.Y+y)
			if absDiff(p.R, q.R) > tol || absDiff(p.G, q.G) > tol || absDiff(p.B, q.B) > tol || absDiff(p.A, q.A) > tol {
				n++
			}
		}
	}
	return n, total
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}
