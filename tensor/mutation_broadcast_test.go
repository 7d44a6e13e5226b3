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
