package tensor

import (
	"math"
	"testing"
)

// TestBinaryTypedMatchesClosure checks binaryTyped against the per-element
// closure traversal (bcastBinary) bit for bit, for every op and the
// broadcast layouts: same shape, scalar on either side, row and column
// vectors, a middle axis (BatchNorm's [1,C,1,1]) and a strided inner axis,
// in both float dtypes, with NaN and signed zeros among the values.
func TestBinaryTypedMatchesClosure(t *testing.T) {
	shapes := [][2][]int{
		{{3, 5}, {3, 5}}, {{3, 5}, {}}, {{}, {3, 5}}, {{1}, {4}}, {{3, 5}, {5}}, {{3, 5}, {3, 1}},
		{{3, 1}, {1, 5}}, {{2, 3, 4, 5}, {1, 3, 1, 1}}, {{1, 3, 1, 1}, {2, 3, 4, 5}}, {{2, 3, 4}, {2, 1, 4}},
		{{70000}, {70000}}, {{0, 3}, {3}},
	}
	fns := map[OpKind]func(x, y float64) float64{
		OpAdd: func(x, y float64) float64 { return x + y }, OpSub: func(x, y float64) float64 { return x - y },
		OpMul: func(x, y float64) float64 { return x * y }, OpDiv: func(x, y float64) float64 { return x / y },
		OpMaximum: func(x, y float64) float64 { return max(x, y) },
	}
	rng := NewRand(3)
	for _, sh := range shapes {
		a64, b64 := To(RandN(rng, sh[0]...), Float64), To(RandN(rng, sh[1]...), Float64)
		special := []float64{math.NaN(), 0, math.Copysign(0, -1), math.Inf(1)}
		for i := range min(len(special), len(a64.f64)) {
			a64.f64[i] = special[i]
		}
		if len(b64.f64) > 1 {
			b64.f64[1] = math.Copysign(0, -1)
		}
		os := BroadcastShapes("test", sh[0], sh[1])
		for kind, f := range fns {
			want := make([]float64, numel(os))
			got := make([]float64, numel(os))
			bcastBinary(a64.f64, b64.f64, want, sh[0], sh[1], os, f)
			binaryTyped(kind, a64.f64, b64.f64, got, sh[0], sh[1], os)
			a32, b32 := To(a64, Float32), To(b64, Float32)
			want32 := make([]float32, numel(os))
			got32 := make([]float32, numel(os))
			bcastBinary(a32.f32, b32.f32, want32, sh[0], sh[1], os, func(x, y float32) float32 { return float32(f(float64(x), float64(y))) })
			binaryTyped(kind, a32.f32, b32.f32, got32, sh[0], sh[1], os)
			for i := range want {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
					t.Fatalf("%v %v %v float64 [%d]: got %v, want %v", kind, sh[0], sh[1], i, got[i], want[i])
				}
				g, w := got32[i], want32[i]
				if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
					t.Fatalf("%v %v %v float32 [%d]: got %v, want %v", kind, sh[0], sh[1], i, g, w)
				}
			}
		}
	}
}
