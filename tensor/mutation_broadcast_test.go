package tensor_test

import (
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestBroadcastErrorNamesAxisFromTheEnd: shapes of different ranks are
// aligned at their last axes, so the error counts the clashing axis from
// the end (−1 the last), which names the same axis in both shapes.
func TestBroadcastErrorNamesAxisFromTheEnd(t *testing.T) {
	mustPanic[*ShapeError](t, "axis -1: 3 vs 4", func() { BroadcastShapes("Add", []int{2, 3}, []int{4}) })
	mustPanic[*ShapeError](t, "axis -3: 5 vs 2", func() { BroadcastShapes("Mul", []int{5, 1, 1}, []int{7, 2, 3, 4}) })
	e := mustPanic[*ShapeError](t, "axis -2: 3 vs 2", func() { Add(Zeros(3, 1), Zeros(4, 2, 5)) })
	if e.Op != "Add" {
		t.Fatalf("error of %q, want Add", e.Op)
	}
}

// TestBroadcastLastAxisOfOne: when the output's last axis has size 1 (a
// column vector), neither operand advances along it; the values must still
// pair up element by element or broadcast along the other axes.
func TestBroadcastLastAxisOfOne(t *testing.T) {
	col := FromFloat64([]float64{1, 2, 3}, 3, 1)
	other := FromFloat64([]float64{10, 20, 30}, 3, 1)
	for _, c := range []struct {
		name string
		got  *Tensor
		want []float64
	}{
		{"same shape", Add(col, other), []float64{11, 22, 33}},
		{"row of one", Mul(col, FromFloat64([]float64{2}, 1)), []float64{2, 4, 6}},
		{"broadcast column", Sub(FromFloat64([]float64{5, 7}, 2, 1, 1), Reshape(col, 1, 3, 1)), []float64{4, 3, 2, 6, 5, 4}},
		{"float32", Maximum(To(col, Float32), To(FromFloat64([]float64{2}, 1, 1), Float32)), []float64{2, 2, 3}},
	} {
		got := c.got.Values()
		if len(got) != len(c.want) {
			t.Fatalf("%s: %v, want %v", c.name, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Fatalf("%s: %v, want %v", c.name, got, c.want)
			}
		}
	}
}
