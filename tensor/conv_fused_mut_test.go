package tensor_test

import (
	"runtime"
	"testing"

	"github.com/duboko/duboko/gradcheck"
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
	const n = 37
	for _, tc := range convCases {
		xs := append([]int{n}, tc.x[1:]...)
		for _, dt := range []DType{Float64, Float32} {
			run := func(off bool) [][]float64 {
				SetConvFusedOff(off)
				x, w := To(rnd(1, xs...), dt).SetRequiresGrad(true), To(rnd(2, tc.w...), dt).SetRequiresGrad(true)
				var b *Tensor
				if tc.bias {
					b = To(rnd(3, tc.w[0]), dt).SetRequiresGrad(true)
				}
				y := Conv2d(x, w, b, tc.stride, tc.pad, tc.dil)
				if y.Op().Fused == off {
					t.Fatalf("%s %v: fused off=%v, but the record says Fused=%v", tc.name, dt, off, y.Op().Fused)
				}
				gr := To(rnd(4, y.Shape()...), dt)
				y.BackwardWith(gr)
				dxE := Conv2dBackwardInput(gr, w.Detach(), xs, tc.stride, tc.pad, tc.dil)
				dwE := Conv2dBackwardWeight(gr, x.Detach(), tc.w, tc.stride, tc.pad, tc.dil)
				return [][]float64{y.Values(), x.Grad().Values(), w.Grad().Values(), dxE.Values(), dwE.Values()}
			}
			got, want := run(false), run(true)
			tol := 1e-12
			if dt == Float32 {
				tol = 5e-4
			}
			for k, name := range []string{"y", "dx", "dw", "dx explicit", "dw explicit"} {
				if e := gradcheck.RelError(got[k], want[k]); e > tol {
					t.Errorf("%s %v: %s fused (3 images per task) vs batch-wide rel.err %g", tc.name, dt, name, e)
				}
			}
		}
	}
}
