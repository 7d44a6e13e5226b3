package tensor_test

import (
	"math"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestBatchNormArgumentChecks: BatchNorm's refusals, one condition at a
// time, each a *ShapeError of BatchNorm saying what is wrong, and the
// valid calls just inside each limit (two values per channel in training,
// every [C] parameter, evaluation with both running statistics).
func TestBatchNormArgumentChecks(t *testing.T) {
	const c = 3
	g, b, rm, rv := pos(1, c), rnd(2, c), rnd(3, c), pos(4, c)
	bn := func(x, g, b, rm, rv *Tensor, training bool) *Tensor {
		return BatchNorm(x, g, b, rm, rv, training, 0.1, 1e-5)
	}

	// training needs two values per channel: N·H·W = 2 is enough
	for _, shape := range [][]int{{2, c}, {1, c, 2}, {1, c, 1, 2}} {
		if y := bn(rnd(5, shape...), g, b, rm.Clone(), rv.Clone(), true); y.Len() != 2*c {
			t.Fatalf("%v: %d outputs", shape, y.Len())
		}
	}
	for _, shape := range [][]int{{1, c}, {1, c, 1}, {1, c, 1, 1}} {
		mustPanic[*ShapeError](t, "more than one value per channel (got 1)", func() { bn(rnd(5, shape...), g, b, rm, rv, true) })
		bn(rnd(5, shape...), g, b, rm, rv, false) // evaluation normalises a single value
	}

	x := rnd(6, 4, c, 2)
	mustPanic[*ShapeError](t, "evaluation mode needs running statistics", func() { bn(x, g, b, nil, rv, false) })
	mustPanic[*ShapeError](t, "evaluation mode needs running statistics", func() { bn(x, g, b, rm, nil, false) })
	bn(x, g, b, nil, nil, true) // training needs none

	wrong := [][]int{{c + 1}, {c - 1}, {c, 1}, {1, c}}
	for i := range 4 {
		for _, shape := range wrong {
			ps := []*Tensor{g, b, rm, rv}
			ps[i] = pos(7, shape...)
			e := mustPanic[*ShapeError](t, "parameters and running statistics must be [C]", func() { bn(x, ps[0], ps[1], ps[2], ps[3], true) })
			if e.Op != "BatchNorm" {
				t.Errorf("error of %q", e.Op)
			}
		}
	}
	mustPanic[*ShapeError](t, "want x [N,C] or [N,C,...]", func() { bn(rnd(8, 6), nil, nil, nil, nil, true) })

	_, mean, inv := BatchNormStats(x, g, b, nil, nil, true, 0.1, 1e-5)
	mustPanic[*ShapeError](t, "gradient must have the input's shape", func() { BatchNormBackward(rnd(9, 4, c, 3), x, g, mean, inv, true) })
	mustPanic[*ShapeError](t, "BatchNormBackward", func() { BatchNormBackward(rnd(9, 6), rnd(9, 6), nil, mean, inv, true) })
}

// TestBatchNormRunningMeanWithoutVariance: in training, a running mean is
// updated even when no running variance is given (mean ← 0.9·mean + 0.1·μ).
func TestBatchNormRunningMeanWithoutVariance(t *testing.T) {
	x := FromFloat64([]float64{1, 10, 3, 20}, 2, 2) // channel 0: 1, 3; channel 1: 10, 20
	rm := FromFloat64([]float64{1, 2}, 2)
	BatchNorm(x, nil, nil, rm, nil, true, 0.1, 1e-5)
	want := []float64{0.9*1 + 0.1*2, 0.9*2 + 0.1*15}
	for i, w := range want {
		if math.Abs(rm.At(i)-w) > 1e-12 {
			t.Fatalf("running mean %v, want %v", rm.Float64s(), want)
		}
	}
}
