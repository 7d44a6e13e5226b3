package metrics_test

import (
	"testing"

	"github.com/duboko/duboko/metrics"
)

// TestConfusionCounts: Add counts each (truth, prediction) pair once and
// refuses labels or predictions outside [0, Classes).
func TestConfusionCounts(t *testing.T) {
	c := metrics.NewConfusion(3)
	if err := c.AddAll([]int{0, 2, 2, 1}, []int{0, 2, 1, 1}); err != nil {
		t.Fatal(err)
	}
	if c.M[2][1] != 1 || c.M[2][2] != 1 || c.M[0][0] != 1 || c.Total() != 4 {
		t.Fatalf("matrix %v, total %d", c.M, c.Total())
	}
	for _, p := range [][2]int{{3, 0}, {0, 3}, {-1, 0}, {0, -1}} {
		if err := c.Add(p[0], p[1]); err == nil {
			t.Errorf("Add(%d, %d) accepted with 3 classes", p[0], p[1])
		}
	}
	if c.Total() != 4 {
		t.Fatalf("refused pairs were counted: total %d", c.Total())
	}
}

// TestAveragePrecisionScoresTies: equal scores keep the input order (a
// stable ranking), so the result does not depend on the sort.
func TestAveragePrecisionScoresTies(t *testing.T) {
	if got := metrics.AveragePrecisionScores([]float64{0.5, 0.5}, []int{1, 0}); got != 0.5 {
		t.Fatalf("tied scores, labels [1 0]: AP %v, want 0.5 (the positive ranked first)", got)
	}
	if got := metrics.AveragePrecisionScores([]float64{0.5, 0.5}, []int{0, 1}); got != 1 {
		t.Fatalf("tied scores, labels [0 1]: AP %v, want 1", got)
	}
}

// TestConfusionString: every cell, recall per row, precision per column
// and the accuracy are printed.
func TestConfusionString(t *testing.T) {
	c := metrics.NewConfusion(2)
	if err := c.AddAll([]int{0, 0, 1, 1, 1}, []int{0, 1, 1, 1, 0}); err != nil {
		t.Fatal(err)
	}
	want := "true\\pred     0     1   recall\n" +
		"        0     1     1   0.5000\n" +
		"        1     1     2   0.6667\n" +
		"precision 0.500 0.667\n" +
		"accuracy 0.6000 (5 samples)\n"
	if got := c.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
