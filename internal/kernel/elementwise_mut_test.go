package kernel

// Tests added for the mutation run of the element-wise, bias and gate
// files (eighth session, see TESTING.md): each pins a behaviour that a
// surviving mutant changed.

import (
	"math"
	"testing"
)

// TestReluBackwardAtZero checks ReluBackward where the input is exactly
// zero, of either sign: the gradient is not passed (PyTorch's threshold
// backward gives 0 at 0), on every path and in both the vector body and
// the scalar tail.
func TestReluBackwardAtZero(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		testReluBackwardAtZero[float32](t)
		testReluBackwardAtZero[float64](t)
	})
}

func testReluBackwardAtZero[T float32 | float64](t *testing.T) {
	negZero := T(math.Copysign(0, -1))
	for _, n := range []int{1, 3, 4, 7, 8, 17, 37, 64} {
		x, grad, dst := make([]T, n), make([]T, n), make([]T, n)
		for i := range x {
			x[i] = 0
			if i%2 == 1 {
				x[i] = negZero
			}
			grad[i] = T(i + 1)
			dst[i] = -1
		}
		ReluBackward(x, grad, dst)
		for i, v := range dst {
			if v != 0 {
				t.Fatalf("n=%d: ReluBackward at x=%v gives %v at %d, want 0", n, x[i], v, i)
			}
		}
	}
}

// TestBiasEmptyShapes checks that the bias loops do nothing, and touch no
// slice, when any dimension is 0 (the existing tests cover the first
// dimension of each): here they get nil slices, which any slicing of a
// non-empty range would fault on, and a 0 that a chunk size would divide
// by.
func TestBiasEmptyShapes(t *testing.T) {
	for _, f := range []struct {
		name string
		fn   func()
	}{
		{"AddBiasRows(rows 3, cols 0)", func() { AddBiasRows[float32](nil, 3, 0, nil) }},
		{"SumRows(rows 0, cols 3)", func() { SumRows[float32](nil, 0, 3, nil) }},
		{"AddBiasChannels(c 0)", func() { AddBiasChannels[float32](nil, 2, 0, 4, nil) }},
		{"AddBiasChannels(hw 0)", func() { AddBiasChannels[float64](nil, 2, 3, 0, nil) }},
		{"SumChannels(c 0)", func() { SumChannels[float32](nil, 2, 0, 4, nil) }},
		{"SumChannels(hw 0)", func() { SumChannels[float64](nil, 2, 3, 0, nil) }},
	} {
		if im2colDidPanic(f.fn) {
			t.Errorf("%s panicked", f.name)
		}
	}
}

// TestGatesEmpty checks Sigmoid32 and Tanh32 on empty slices, on every
// path (the vector kernels take &x[0], which an empty slice does not have).
func TestGatesEmpty(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		if im2colDidPanic(func() { Sigmoid32(nil, nil) }) || im2colDidPanic(func() { Tanh32([]float32{}, []float32{}) }) {
			t.Fatal("a gate on an empty slice panicked")
		}
	})
}
