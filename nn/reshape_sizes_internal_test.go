package nn

import (
	"slices"
	"testing"
)

// TestInferSizes: a size 0 is a size (an empty tensor reshapes to it), one
// −1 is inferred, and a second −1 or another negative size is refused.
func TestInferSizes(t *testing.T) {
	for _, c := range []struct {
		n     int
		sizes []int
		want  []int // nil: an error
	}{
		{0, []int{0, 3}, []int{0, 3}},
		{0, []int{3, 0}, []int{3, 0}},
		{6, []int{2, -1}, []int{2, 3}},
		{6, []int{-1, 3}, []int{2, 3}},
		{6, []int{-1, -1}, nil},
		{6, []int{2, -3}, nil},
		{6, []int{4, -1}, nil},
	} {
		got, err := inferSizes("Reshape", c.n, c.sizes, []int{c.n})
		if (err == nil) != (c.want != nil) || !slices.Equal(got, c.want) {
			t.Errorf("inferSizes(%d, %v) = %v, %v; want %v", c.n, c.sizes, got, err, c.want)
		}
	}
}
