package tensor_test

import (
	"testing"

	"github.com/duboko/duboko/tensor"
)

// TestArgmaxArgminEveryAxis checks Argmax and Argmin over each axis of a
// [2, 3, 4] tensor (outer and inner extents both above 1) against a plain
// loop over the indices.
func TestArgmaxArgminEveryAxis(t *testing.T) {
	shape := []int{2, 3, 4}
	vals := make([]float64, 24)
	for i := range vals {
		vals[i] = float64((i*7 + 3) % 11) // distinct enough, ties broken by the first
	}
	x := tensor.Reshape(tensor.FromFloat64(vals), shape...)
	at := func(i, j, k int) float64 { return vals[(i*3+j)*4+k] }
	for axis := range 3 {
		for _, isMax := range []bool{true, false} {
			var got []int64
			if isMax {
				got = tensor.Argmax(x, axis).Int64s()
			} else {
				got = tensor.Argmin(x, axis).Int64s()
			}
			n := 0
			for i := range shape[0] {
				for j := range shape[1] {
					for k := range shape[2] {
						idx := [3]int{i, j, k}
						if idx[axis] != 0 {
							continue
						}
						best, bi := at(i, j, k), 0
						for m := 1; m < shape[axis]; m++ {
							idx[axis] = m
							v := at(idx[0], idx[1], idx[2])
							if (isMax && v > best) || (!isMax && v < best) {
								best, bi = v, m
							}
						}
						if got[n] != int64(bi) {
							t.Fatalf("axis %d, max %v, position %d: %d, want %d (all %v)", axis, isMax, n, got[n], bi, got)
						}
						n++
					}
				}
			}
		}
	}
}
