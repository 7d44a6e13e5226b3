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

// TestGatesEmpty checks Sigmoid32 and Tanh32 on empty slices, on every
// path (the vector kernels take &x[0], which an empty slice does not have).
func TestGatesEmpty(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		if im2colDidPanic(func() { Sigmoid32(nil, nil) }) || im2colDidPanic(func() { Tanh32([]float32{}, []float32{}) }) {
			t.Fatal("a gate on an empty slice panicked")
		}
	})
}
