package plot

import (
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestSamples writes example pictures for a person to look at; it runs
// only when PLOT_SAMPLES names a folder.
func TestSamples(t *testing.T) {
	dir := os.Getenv("PLOT_SAMPLES")
	if dir == "" {
		t.Skip("set PLOT_SAMPLES to a folder to write sample pictures")
	}
	save := func(name string, p Plot) {
		t.Helper()
		if err := SavePNG(filepath.Join(dir, name), p); err != nil {
			t.Fatal(err)
		}
	}
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
	h.ValLoss[5] = math.NaN()
	g, err := h.Plot()
	if err != nil {
		t.Fatal(err)
	}
	save("curves.png", g)

	rng := rand.New(rand.NewPCG(1, 2))
	w := make([]float32, 16*1*5*5)
	for i := range w {
		w[i] = float32(rng.NormFloat64())
	}
	f, err := ConvFilters("conv1 filters", w, 16, 1, 5, 5)
	if err != nil {
		t.Fatal(err)
	}
	save("filters.png", f)
	w3 := make([]float32, 4*3*3*3)
	for i := range w3 {
		w3[i] = float32(rng.NormFloat64())
	}
	f3, _ := ConvFilters("4 filters × 3 channels", w3, 4, 3, 3, 3)
	f3.Norm = PerImageSymmetric
	f3.Colormap = Diverging
	save("filters3.png", f3)

	mis := NewImageGrid("20 worst misclassified", 5, 2)
	for i := 0; i < 20; i++ {
		img := make([]float32, 28*28)
		for y := 6; y < 22; y++ {
			for x := 10 + i%5; x < 14+i%5; x++ {
				img[y*28+x] = 1
			}
		}
		probs := make([]float32, 10)
		for j := range probs {
			probs[j] = rng.Float32()
		}
		var s float32
		for _, p := range probs {
			s += p
		}
		for j := range probs {
			probs[j] /= s
		}
		mis.Add(img, 28, 28, PredictionCaption(i%10, probs, 3))
		if i == 3 {
			mis.Cells[i].Border = color.RGBA{0xd6, 0x27, 0x28, 0xff}
		}
	}
	save("misclassified.png", mis)
}

func TestSampleSurface(t *testing.T) {
	dir := os.Getenv("PLOT_SAMPLES")
	if dir == "" {
		t.Skip("set PLOT_SAMPLES to a folder to write sample pictures")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var pts [][2]float64
	var labels, pred []int
	for i := 0; i < 60; i++ {
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
	s := &DecisionSurface{Title: "Logistic regression", XLabel: "x1", YLabel: "x2",
		Fn: func(x, y float64) float64 { return x + 0.5*y - 1.5 }, Points: pts, Labels: labels, Predicted: pred}
	if err := SavePNG(filepath.Join(dir, "surface.png"), s); err != nil {
		t.Fatal(err)
	}
	m := &DecisionSurface{Title: "3 classes", Classes: 3, X: Range{-3, 3}, Y: Range{-3, 3},
		Fn: func(x, y float64) float64 {
			a := math.Atan2(y, x) + math.Pi
			return math.Floor(a / (2 * math.Pi / 3))
		}, Points: pts, Labels: labels}
	if err := SavePNG(filepath.Join(dir, "surface3.png"), m); err != nil {
		t.Fatal(err)
	}
}

func TestSampleDense(t *testing.T) {
	dir := os.Getenv("PLOT_SAMPLES")
	if dir == "" {
		t.Skip("set PLOT_SAMPLES to a folder to write sample pictures")
	}
	var x, a, b []float64
	for i := 0; i < 500; i++ {
		v := float64(i) / 50
		x = append(x, v)
		a = append(a, 1000*math.Sin(v))
		b = append(b, 1500*math.Cos(v*1.3))
	}
	c := NewLineChart("Dense series, wide values", "time (s)", "amplitude").Add("sin", x, a).Add("cos", x, b)
	c.Width, c.Height = 420, 300
	if err := SavePNG(filepath.Join(dir, "dense.png"), c); err != nil {
		t.Fatal(err)
	}
	g := NewImageGrid("", 2, 10)
	g.Add([]float32{0, 1, 0, 0, 1, 0, 0, 1, 0}, 3, 3, PredictionCaption(1, []float32{0.1, 0.3, 0.6}, 3))
	g.Add([]float32{1, 1, 1, 0, 0, 1, 1, 1, 1}, 3, 3, PredictionCaption(2, []float32{0.7, 0.1, 0.2}, 3))
	if err := SavePNG(filepath.Join(dir, "small.png"), g); err != nil {
		t.Fatal(err)
	}
}
