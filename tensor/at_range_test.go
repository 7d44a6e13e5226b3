package tensor_test

import (
	"errors"
	"testing"

	"github.com/duboko/duboko/tensor"
)

// TestAtSetIndexRange checks At and Set at each axis's last index and one
// past it (a ShapeError naming the method, never another element).
func TestAtSetIndexRange(t *testing.T) {
	x := tensor.Reshape(tensor.ArangeOf(tensor.Float64, 0, 6, 1), 2, 3)
	if got := x.At(1, 2); got != 5 {
		t.Fatalf("At(1, 2) = %v", got)
	}
	for _, idx := range [][]int{{2, 0}, {0, 3}, {-1, 0}} {
		for _, op := range []string{"At", "Set"} {
			func() {
				defer func() {
					err, _ := recover().(error)
					var se *tensor.ShapeError
					if !errors.As(err, &se) || se.Op != op {
						t.Errorf("%s%v of [2 3]: recovered %v, want a ShapeError of %s", op, idx, err, op)
					}
				}()
				if op == "At" {
					x.At(idx...)
				} else {
					x.Set(1, idx...)
				}
			}()
		}
	}
}
