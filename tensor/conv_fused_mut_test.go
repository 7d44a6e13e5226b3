package tensor_test

import (
	"fmt"
	"runtime"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestConv2dFusedSeveralImagesPerTask runs the image-at-a-time path with
// 37 images on 2 workers: 13 tasks of 3 images, the last of 1 (at most 8
// tasks per worker), where TestConv2dFusedPath's batches have one image
// per task. Each task must cover its own images, and its partial weight
// gradient must sum over them all: y, dx and dW (recorded and explicit)
// against the batch-wide path, both dtypes.
func TestConv2dFusedSeveralImagesPerTask(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	defer SetConvFusedOff(false)
	defer SetConvFusedMinOut(SetConvFusedMinOut(1)) // the cases' planes are small
	const n = 37
	for _, tc := range convCases {
		xs := append([]int{n}, tc.x[1:]...)
		for _, dt := range []DType{Float64, Float32} {
			compareConvFused(t, tc, xs, dt, fmt.Sprintf("%v: %%s fused (3 images per task) vs batch-wide", dt))
		}
	}
}
