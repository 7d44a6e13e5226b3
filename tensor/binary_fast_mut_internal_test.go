package tensor

import (
	"math"
	"testing"
)

// TestBinaryTypedBothBroadcastAlongLastAxis runs binaryTyped where neither
// operand varies along the output's last axis within a row (both have
// size 1 there, so the rows are single elements reached by the
// element-by-element loop), and where operands of equal length broadcast
// against each other (neither is the output's size), for every op, in both
// dtypes, against the per-element closure traversal bit for bit.
func TestBinaryTypedBothBroadcastAlongLastAxis(t *testing.T) {
	shapes := [][2][]int{
		{{3, 1}, {2, 1, 1}}, {{2, 1, 1}, {3, 1}}, {{2, 3, 1}, {2, 1, 1}},
		{{3, 1}, {1, 3}}, {{1, 4}, {4, 1}},
	}
	fns := map[OpKind]func(x, y float64) float64{
		OpAdd: func(x, y float64) float64 { return x + y }, OpSub: func(x, y float64) float64 { return x - y },
		OpMul: func(x, y float64) float64 { return x * y }, OpDiv: func(x, y float64) float64 { return x / y },
		OpMaximum: func(x, y float64) float64 { return max(x, y) },
	}
	rng := NewRand(5)
	for _, sh := range shapes {
		a64, b64 := To(RandN(rng, sh[0]...), Float64), To(RandN(rng, sh[1]...), Float64)
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
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("%v %v %v float64 [%d]: got %v, want %v", kind, sh[0], sh[1], i, got[i], want[i])
				}
				if math.Float32bits(got32[i]) != math.Float32bits(want32[i]) {
					t.Fatalf("%v %v %v float32 [%d]: got %v, want %v", kind, sh[0], sh[1], i, got32[i], want32[i])
				}
			}
		}
	}
}
