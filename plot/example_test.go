package plot_test

import (
	"fmt"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/duboko/duboko/plot"
)

// size prints the pixel size of the PNG file at path.
func size(path string) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d×%d\n", filepath.Base(path), cfg.Width, cfg.Height)
}

func ExampleTrainingCurves() {
	dir, err := os.MkdirTemp("", "plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	var h plot.History
	for epoch := 1; epoch <= 10; epoch++ {
		e := float64(epoch)
		h.Epoch = append(h.Epoch, e)
		h.TrainLoss = append(h.TrainLoss, math.Exp(-e/3))
		h.ValLoss = append(h.ValLoss, math.Exp(-e/4)+0.05)
		h.TrainAcc = append(h.TrainAcc, 1-0.5*math.Exp(-e/2))
		h.ValAcc = append(h.ValAcc, 0.97-0.5*math.Exp(-e/2))
		h.LR = append(h.LR, 0.1*math.Pow(0.5, e-1))
	}
	path := filepath.Join(dir, "training.png")
	if err := plot.TrainingCurves(path, h); err != nil {
		log.Fatal(err)
	}
	size(path)
	// Output: training.png: 1680×400
}

func ExampleLineChart() {
	dir, err := os.MkdirTemp("", "plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	x := []float64{0, 1, 2, 3, 4, 5}
	c := plot.NewLineChart("Powers", "x", "y").
		Add("x²", x, []float64{0, 1, 4, 9, 16, 25}).
		Add("2x", x, []float64{0, 2, 4, 6, 8, 10})
	c.Width, c.Height = 480, 320
	path := filepath.Join(dir, "powers.png")
	if err := plot.SavePNG(path, c); err != nil {
		log.Fatal(err)
	}
	size(path)
	// Output: powers.png: 480×320
}

func ExampleImageGrid() {
	dir, err := os.MkdirTemp("", "plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// Two 3×3 "images" with the top-3 predictions under each.
	g := plot.NewImageGrid("misclassified", 2, 10)
	g.Add([]float32{0, 1, 0, 0, 1, 0, 0, 1, 0}, 3, 3,
		plot.PredictionCaption(1, []float32{0.1, 0.3, 0.6}, 3))
	g.Add([]float32{1, 1, 1, 0, 0, 1, 1, 1, 1}, 3, 3,
		plot.PredictionCaption(2, []float32{0.7, 0.1, 0.2}, 3))
	path := filepath.Join(dir, "worst.png")
	if err := plot.SavePNG(path, g); err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Cells[0].Caption)
	// Output:
	// true 1
	// 2:.60  1:.30  0:.10
}

func ExampleConvFilters() {
	// 8 filters of one input channel, 3×3 each, in PyTorch's layout.
	w := make([]float32, 8*1*3*3)
	for i := range w {
		w[i] = float32(math.Sin(float64(i)))
	}
	g, err := plot.ConvFilters("conv1", w, 8, 1, 3, 3)
	if err != nil {
		log.Fatal(err)
	}
	img, err := g.Render()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(g.Cells), "filters,", g.Cols, "per row, image", img.Bounds().Dx() > 0)
	// Output: 8 filters, 3 per row, image true
}

func ExampleDecisionSurface() {
	d := &plot.DecisionSurface{
		Title:  "logistic regression",
		Fn:     func(x, y float64) float64 { return 1 / (1 + math.Exp(-(x - y))) },
		Offset: 0.5,
		Points: [][2]float64{{1, 0}, {0, 1}, {2, 1}},
		Labels: []int{1, 0, 1},
	}
	img, err := d.Render()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy())
	// Output: 520 480
}

func ExampleEncodePNG() {
	c := plot.NewLineChart("", "", "").Add("", []float64{1, 2}, []float64{3})
	err := plot.EncodePNG(os.Stdout, c)
	fmt.Println(err)
	// Output: line chart "": series 0 ("") has 2 x values and 1 y values: plot: length mismatch
}
