package nn_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestGlobalPoolAxisRange checks the axes global pooling accepts on a 3-D
// input: 0 … 2 and −3 … −1 (counted from the end, −3 being axis 0); 3 and
// −4 are a ShapeError naming the layer.
func TestGlobalPoolAxisRange(t *testing.T) {
	x := tensor.Reshape(tensor.FromFloat64([]float64{1, 5, 2, 4, 3, 0, 7, 6, 9, 8, 11, 10}), 2, 3, 2)
	for _, c := range []struct {
		axis  int
		shape []int
		first float64 // the maximum at the output's first position
	}{
		{0, []int{3, 2}, 7}, {-3, []int{3, 2}, 7},
		{1, []int{2, 2}, 3}, {-2, []int{2, 2}, 3},
		{2, []int{2, 3}, 5}, {-1, []int{2, 3}, 5},
	} {
		y := nn.NewGlobalMaxPool(c.axis).Forward(x)
		if !slices.Equal(y.Shape(), c.shape) || y.Values()[0] != c.first {
			t.Errorf("max over axis %d: shape %v, first %v; want %v, %v", c.axis, y.Shape(), y.Values()[0], c.shape, c.first)
		}
		if a := nn.NewGlobalAvgPool(c.axis).Forward(x); !slices.Equal(a.Shape(), c.shape) {
			t.Errorf("mean over axis %d: shape %v, want %v", c.axis, a.Shape(), c.shape)
		}
	}
	for _, axis := range []int{3, -4} {
		func() {
			defer func() {
				err, _ := recover().(error)
				var se *tensor.ShapeError
				if !errors.As(err, &se) || se.Op != "GlobalMaxPool" {
					t.Errorf("axis %d of 3: recovered %v, want a ShapeError of GlobalMaxPool", axis, err)
				}
			}()
			nn.NewGlobalMaxPool(axis).Forward(x)
		}()
	}
}
