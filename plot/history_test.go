package plot

import (
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestHistoryCharts(t *testing.T) {
	h := History{
		TrainLoss: []float64{2, 1, 0.5},
		ValLoss:   []float64{math.NaN(), 1.2, 0.7},
		LR:        []float64{0.1, 0.01, 0.001},
	}
	charts, err := h.Charts()
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 2 {
		t.Fatalf("%d charts, want loss and learning rate", len(charts))
	}
	if charts[0].Title != "Loss" || len(charts[0].Series) != 2 {
		t.Errorf("loss chart %q with %d series", charts[0].Title, len(charts[0].Series))
	}
	if got := charts[0].Series[0].X; len(got) != 3 || got[0] != 1 || got[2] != 3 {
		t.Errorf("default epochs %v, want 1..3", got)
	}
	if !charts[1].LogY {
		t.Error("learning rate spanning 100× should use a log axis")
	}
	h.LR = []float64{0.1, 0.1, 0.05}
	if charts, _ := h.Charts(); charts[1].LogY {
		t.Error("flat learning rate should use a linear axis")
	}
}

func TestHistoryErrors(t *testing.T) {
	if _, err := (History{}).Charts(); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty history: %v", err)
	}
	h := History{Epoch: []float64{1, 2}, TrainLoss: []float64{1}}
	if _, err := h.Charts(); !errors.Is(err, ErrLength) {
		t.Errorf("short loss: %v", err)
	}
}

func TestTrainingCurvesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "curves.png")
	h := History{
		Epoch:     []float64{1, 2, 3, 4},
		TrainLoss: []float64{2, 1, 0.5, 0.4}, ValLoss: []float64{2.1, 1.3, 0.8, 0.7},
		TrainAcc: []float64{0.5, 0.7, 0.8, 0.9}, ValAcc: []float64{0.4, 0.6, 0.75, 0.8},
		LR: []float64{0.1, 0.1, 0.01, 0.01},
	}
	if err := TrainingCurves(path, h); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	wantSize(t, img, 3*560, 400)
}

func TestSavePNGKeepsFileOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keep.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SavePNG(path, NewLineChart("empty", "", "")); !errors.Is(err, ErrEmpty) {
		t.Fatalf("SavePNG of an empty chart: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("file changed to %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files left in the folder, want 1", len(entries))
	}
	if err := SavePNG(filepath.Join(dir, "no", "such", "dir.png"), NewGrid(1, solid{2, 2, 0})); err == nil {
		t.Error("SavePNG into a missing folder succeeded")
	}
}
