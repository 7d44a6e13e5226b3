package tensor

import (
	"testing"

	"github.com/duboko/duboko/internal/kernel"
)

// TestConvChunksOfSeveralImages runs the batch-wide convolution with two
// images per columns chunk and five chunks, so that the backward pass must
// find each chunk's kept columns by its own index (chunk c = i0/per), and
// checks y, dW and dx against the images one at a time (each alone is one
// chunk).
// TestConvChunkedWeightGrad's batches hold one image per chunk, where a
// wrong chunk index can coincide with the right one.
func TestConvChunksOfSeveralImages(t *testing.T) {
	defer func(old bool) { convFusedOff = old }(convFusedOff)
	convFusedOff = true
	xs, ws := []int{10, 8, 50, 50}, []int{2, 8, 3, 3}
	s, p, d := [2]int{1, 1}, [2]int{1, 1}, [2]int{1, 1}
	g := newConvGeom("test", xs, ws, s, p, d)
	if per := convImagesPerChunk[float64](g); per != 2 {
		t.Fatalf("%d images per chunk, want 2 (has convColBudget changed? resize the test)", per)
	}
	rng := NewRand(3)
	x := To(RandN(rng, xs...), Float64).SetRequiresGrad(true)
	w := To(RandN(rng, ws...), Float64).SetRequiresGrad(true)
	y := Conv2d(x, w, nil, s, p, d)
	gy := To(RandN(rng, y.Shape()...), Float64)
	y.BackwardWith(gy)
	dw := make([]float64, w.Len())
	var dx, yi []float64
	for i := range xs[0] {
		xi, gi := Slice(x.Detach(), 0, i, i+1), Slice(gy, 0, i, i+1)
		yi = append(yi, Conv2d(xi, w.Detach(), nil, s, p, d).Values()...)
		for j, v := range Conv2dBackwardWeight(gi, xi, ws, s, p, d).Values() {
			dw[j] += v
		}
		dx = append(dx, Conv2dBackwardInput(gi, w.Detach(), xi.Shape(), s, p, d).Values()...)
	}
	if e := chunkRelErr(y.Values(), yi); e > 1e-12 {
		t.Errorf("y over 5 chunks of 2 images vs image by image: rel.err %g", e)
	}
	if e := chunkRelErr(w.Grad().Values(), dw); e > 1e-12 {
		t.Errorf("dW over 5 chunks of 2 images vs the sum over images: rel.err %g", e)
	}
	if e := chunkRelErr(x.Grad().Values(), dx); e > 1e-12 {
		t.Errorf("dx over 5 chunks of 2 images vs image by image: rel.err %g", e)
	}
}

// TestConvFusedRecordPerDType checks that the record's Fused flag follows
// the dtype of the convolution: a geometry whose float32 columns fit the
// image-at-a-time budget but whose float64 columns (twice the bytes) do
// not runs image at a time in float32 only, and each record says so.
func TestConvFusedRecordPerDType(t *testing.T) {
	defer func(old bool) { convFusedOff = old }(convFusedOff)
	convFusedOff = false
	// C·kh·kw = 72, OH·OW = 1024: 288 KiB of float32 columns, 576 KiB of float64.
	xs, ws := []int{2 * kernel.Workers(), 8, 32, 32}, []int{2, 8, 3, 3}
	s, p, d := [2]int{1, 1}, [2]int{1, 1}, [2]int{1, 1}
	g := newConvGeom("test", xs, ws, s, p, d)
	if !convUseFused[float32](g) || convUseFused[float64](g) {
		t.Fatalf("want a geometry fused in float32 only (has convFusedMaxCols changed? resize the test)")
	}
	for _, dt := range []DType{Float32, Float64} {
		rng := NewRand(1)
		x := To(RandN(rng, xs...), dt).SetRequiresGrad(true)
		w := To(RandN(rng, ws...), dt)
		if y := Conv2d(x, w, nil, s, p, d); y.Op().Fused != (dt == Float32) {
			t.Errorf("%v: record says Fused=%v", dt, y.Op().Fused)
		}
	}
}
