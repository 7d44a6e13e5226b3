package tensor_test

import (
	"math"
	"slices"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestConvTransposeNearPointwise runs the geometries next to the pointwise
// path (a 1×1 input without padding, dilation or output padding, computed
// as one product): a 1×1 input with padding alone, and inputs one pixel
// high or one pixel wide without padding. None of them may take that path;
// each is checked against the naive scatter loop in both dtypes, its
// gradients against central differences, and the explicit backward
// functions against the recorded op's.
func TestConvTransposeNearPointwise(t *testing.T) {
	one, zero := [2]int{1, 1}, [2]int{}
	cases := []convTCase{
		{"1x1 input pad1", []int{2, 3, 1, 1}, []int{3, 2, 4, 3}, true, [2]int{2, 2}, [2]int{1, 0}, zero, one},
		{"1x1 input pad (0,1)", []int{2, 3, 1, 1}, []int{3, 2, 2, 3}, false, one, [2]int{0, 1}, zero, one},
		{"1xW input", []int{2, 3, 1, 3}, []int{3, 2, 2, 2}, true, [2]int{2, 2}, zero, zero, one},
		{"Hx1 input", []int{2, 3, 3, 1}, []int{3, 2, 2, 2}, true, [2]int{2, 2}, zero, zero, one},
		{"1xW input k1", []int{2, 3, 1, 4}, []int{3, 2, 1, 1}, false, one, zero, zero, one},
		{"Hx1 input k1", []int{2, 3, 4, 1}, []int{3, 2, 1, 1}, false, one, zero, zero, one},
	}
	for _, tc := range cases {
		for _, dt := range []DType{Float64, Float32} {
			x, w, b := tc.inputs(dt)
			y := ConvTranspose2d(x, w, b, tc.stride, tc.pad, tc.opad, tc.dil)
			want, shape, _ := naiveConvTranspose2d(x, w, b, tc.stride, tc.pad, tc.opad, tc.dil)
			if !slices.Equal(y.Shape(), shape) {
				t.Fatalf("%s %v: shape %v, want %v", tc.name, dt, y.Shape(), shape)
			}
			tol := 1e-12
			if dt == Float32 {
				tol = 1e-5
			}
			for i, v := range y.Values() {
				if math.Abs(v-want[i]) > tol*(1+math.Abs(want[i])) {
					t.Fatalf("%s %v: out[%d] = %v, want %v", tc.name, dt, i, v, want[i])
				}
			}
		}

		checkConvTGradients(t, tc)
	}
}
