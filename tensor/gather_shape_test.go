package tensor_test

import (
	"errors"
	"testing"

	"github.com/duboko/duboko/tensor"
)

// TestGatherIndexShape checks the index shapes Gather accepts: x's shape
// without the axis, or, for a 1-D x (whose result is a scalar), a single
// index; any other shape is a ShapeError of Gather.
func TestGatherIndexShape(t *testing.T) {
	v := tensor.FromFloat64([]float64{5, 6, 7})
	if got := tensor.Gather(v, 0, tensor.FromInts([]int{2})); got.NDim() != 0 || got.Item() != 7 {
		t.Fatalf("Gather of a 1-D tensor at [2]: %v", got)
	}
	m := tensor.Reshape(tensor.FromFloat64([]float64{1, 2, 3, 4, 5, 6}), 2, 3)
	if got := tensor.Gather(m, 1, tensor.FromInts([]int{2, 0})).Values(); got[0] != 3 || got[1] != 4 {
		t.Fatalf("Gather rows at [2 0]: %v", got)
	}
	for _, c := range []struct {
		x   *tensor.Tensor
		idx []int
	}{{v, []int{0, 1}}, {m, []int{1}}, {m, []int{0, 1, 2}}} {
		func() {
			defer func() {
				err, _ := recover().(error)
				var se *tensor.ShapeError
				if !errors.As(err, &se) || se.Op != "Gather" {
					t.Errorf("x %v, index %v: recovered %v, want a ShapeError of Gather", c.x.Shape(), c.idx, err)
				}
			}()
			tensor.Gather(c.x, 1%c.x.NDim(), tensor.FromInts(c.idx))
		}()
	}
}
