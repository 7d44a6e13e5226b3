package main

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLogregSmoke runs the program on small data, binary and with three
// classes: both ways must learn (the loss falls), agree on the weights to
// rounding, report the lab's numbers and draw a PNG.
func TestLogregSmoke(t *testing.T) {
	for _, classes := range []int{2, 3} {
		out := filepath.Join(t.TempDir(), "surface.png")
		var log bytes.Buffer
		reports, err := run(config{classes: classes, n: 30, iters: 150, lr: 0.1, seed: 3, out: out}, &log)
		if err != nil {
			t.Fatal(err)
		}
		if len(reports) != 2 {
			t.Fatalf("%d reports", len(reports))
		}
		if d := maxDiff(reports[0].model, reports[1].model); d > 1e-9 {
			t.Errorf("%d classes: explicit and autodiff weights differ by %g", classes, d)
		}
		for _, r := range reports {
			m := r.model
			if !(m.last < m.first) {
				t.Errorf("%d classes, %s: loss %g → %g did not fall", classes, m.way, m.first, m.last)
			}
			if r.conf.Total() != classes*30 || r.conf.Accuracy() < 1.0/float64(classes) {
				t.Errorf("%d classes, %s: %d samples, accuracy %g", classes, m.way, r.conf.Total(), r.conf.Accuracy())
			}
			if binary := classes == 2; binary == math.IsNaN(r.ap) || binary && (r.ap < 0 || r.ap > 1) {
				t.Errorf("%d classes, %s: average precision %g", classes, m.way, r.ap)
			}
		}
		wants := []string{"explicit gradients: loss", "autodiff: loss", "recall", "precision", "accuracy"}
		if classes == 2 {
			wants = append(wants, "average precision")
		}
		for _, want := range wants {
			if !strings.Contains(log.String(), want) {
				t.Errorf("%d classes: output lacks %q:\n%s", classes, want, log.String())
			}
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 500 {
			t.Errorf("%d classes: PNG %v, %v", classes, img.Bounds(), err)
		}
	}
}
