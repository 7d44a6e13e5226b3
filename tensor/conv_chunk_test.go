package tensor

import (
	"math"
	"testing"
)

// TestConvChunkedWeightGrad runs the batch-wide (non-fused) convolution on
// batches whose columns do not fit one convColBudget chunk, so that the
// weight gradient is accumulated over several chunks (beta = 1 after the
// first), and checks it against the sum of per-image gradients (each
// image alone is a single chunk). Both GEMM layouts are covered: dWᵀ for
// many columns rows (ckk ≥ 64) and dW for few, through autodiff (which
// keeps the forward's columns) and through Conv2dBackwardWeight (which
// rebuilds them chunk by chunk).
func TestConvChunkedWeightGrad(t *testing.T) {
	defer func(old bool) { convFusedOff = old }(convFusedOff)
	convFusedOff = true
	for _, c := range []struct {
		name       string
		xs, ws     []int
		pad        int
		wantChunks int
	}{
		{"ckk 72 (dW transposed)", []int{3, 8, 64, 64}, []int{2, 8, 3, 3}, 1, 3},
		{"ckk 36 (dW direct)", []int{3, 4, 86, 86}, []int{2, 4, 3, 3}, 1, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, p, d := [2]int{1, 1}, [2]int{c.pad, c.pad}, [2]int{1, 1}
			g := newConvGeom("test", c.xs, c.ws, s, p, d)
			per := convImagesPerChunk[float64](g)
			if chunks := (g.n + per - 1) / per; chunks != c.wantChunks {
				t.Fatalf("%d images per chunk: %d chunks, want %d (has convColBudget changed? resize the test)", per, chunks, c.wantChunks)
			}
			rng := NewRand(1)
			x := To(RandN(rng, c.xs...), Float64)
			w := To(RandN(rng, c.ws...), Float64).SetRequiresGrad(true)
			y := Conv2d(x, w, nil, s, p, d)
			gy := To(RandN(rng, y.Shape()...), Float64)
			y.BackwardWith(gy)
			batch := w.Grad().Values()
			direct := Conv2dBackwardWeight(gy, x, c.ws, s, p, d).Values()

			sum := make([]float64, len(batch))
			for i := range c.xs[0] {
				xi, gi := Slice(x, 0, i, i+1), Slice(gy, 0, i, i+1)
				for j, v := range Conv2dBackwardWeight(gi, xi, c.ws, s, p, d).Values() {
					sum[j] += v
				}
			}
			for name, got := range map[string][]float64{"autodiff": batch, "Conv2dBackwardWeight": direct} {
				if e := chunkRelErr(got, sum); e > 1e-12 {
					t.Errorf("%s: dW of %d chunks vs sum over images: rel.err %g", name, c.wantChunks, e)
				}
			}
		})
	}
}

func chunkRelErr(a, b []float64) float64 {
	worst := 0.0
	for i := range a {
		worst = math.Max(worst, math.Abs(a[i]-b[i])/math.Max(1e-8, math.Abs(a[i])+math.Abs(b[i])))
	}
	return worst
}
