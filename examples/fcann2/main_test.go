package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFcann2Smoke runs the program on a small mixture with two hidden
// sizes, two and three classes: both ways must learn (the loss falls),
// agree on the weights to rounding, print the confusion matrices and
// draw one panel per network.
func TestFcann2Smoke(t *testing.T) {
	for _, classes := range []int{2, 3} {
		out := filepath.Join(t.TempDir(), "fcann2.png")
		var log bytes.Buffer
		c := config{components: 4, classes: classes, perComponent: 10, hidden: []int{3, 8}, iters: 300, lr: 0.05, lambda: 1e-3, seed: 7, out: out}
		reports, err := run(c, &log)
		if err != nil {
			t.Fatal(err)
		}
		if len(reports) != 4 {
			t.Fatalf("%d reports, want 2 networks × 2 ways", len(reports))
		}
		for i := 0; i < len(reports); i += 2 {
			if d := maxDiff(reports[i].net, reports[i+1].net); d > 1e-9 {
				t.Errorf("%d classes, %s: explicit and autodiff weights differ by %g", classes, reports[i].hidden, d)
			}
		}
		for _, r := range reports {
			if !(r.last < r.first) || r.conf.Total() != 40 {
				t.Errorf("%d classes, %s %s: loss %g → %g, %d samples", classes, r.hidden, r.way, r.first, r.last, r.conf.Total())
			}
		}
		for _, want := range []string{"fcann2 [2, 3, ", "fcann2 [2, 8, ", "explicit gradients: iteration 0", "autodiff: iteration 270", "recall", "precision", "differ by at most"} {
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
		if err != nil || img.Bounds().Dx() < 2*500 {
			t.Errorf("%d classes: PNG %v, %v (want two panels side by side)", classes, img.Bounds(), err)
		}
	}
}
