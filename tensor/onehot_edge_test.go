package tensor_test

import (
	"slices"
	"testing"

	"github.com/duboko/duboko/tensor"
)

// TestOneHotZeroClasses checks the edge of OneHot's class count: no labels
// and no classes give an empty [0, 0] tensor; a negative count panics.
func TestOneHotZeroClasses(t *testing.T) {
	got := tensor.OneHot(tensor.Float32, tensor.FromInts([]int{}), 0)
	if !slices.Equal(got.Shape(), []int{0, 0}) {
		t.Fatalf("shape %v, want [0 0]", got.Shape())
	}
	defer func() {
		if recover() == nil {
			t.Fatal("-1 classes accepted")
		}
	}()
	tensor.OneHot(tensor.Float32, tensor.FromInts([]int{}), -1)
}
