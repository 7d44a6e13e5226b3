package metrics

import (
	"math"
	"testing"
)

func TestAveragePrecisionCourseValues(t *testing.T) {
	cases := []struct {
		in   []int
		want float64
	}{
		{[]int{0, 0, 0, 1, 1, 1}, 1.0},
		{[]int{0, 0, 1, 0, 1, 1}, 0.91667},
		{[]int{0, 1, 0, 1, 0, 1}, 0.75556},
		{[]int{1, 0, 1, 0, 1, 0}, 0.5},
	}
	for _, c := range cases {
		if got := AveragePrecision(c.in); math.Abs(got-c.want) > 5e-5 {
			t.Errorf("AP(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if got := AveragePrecisionScores([]float64{0.9, 0.1, 0.5}, []int{1, 0, 1}); got != 1 {
		t.Errorf("scored AP %v", got)
	}
}

func TestConfusion(t *testing.T) {
	c := NewConfusion(3)
	if err := c.AddAll([]int{0, 0, 1, 2, 2, 2}, []int{0, 1, 1, 2, 2, 0}); err != nil {
		t.Fatal(err)
	}
	if c.Accuracy() != 4.0/6 {
		t.Fatalf("accuracy %v", c.Accuracy())
	}
	if c.Precision(0) != 0.5 || c.Recall(0) != 0.5 || c.Precision(1) != 0.5 || c.Recall(2) != 2.0/3 {
		t.Fatalf("precision/recall wrong: %v", c)
	}
	if err := c.Add(3, 0); err == nil {
		t.Fatal("out-of-range label accepted")
	}
	if err := c.AddAll([]int{1}, nil); err == nil {
		t.Fatal("length mismatch accepted")
	}
}
