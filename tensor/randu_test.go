package tensor_test

import (
	"testing"

	"github.com/duboko/duboko/tensor"
)

// TestRandUDraws checks RandU against its definition: element i is
// float32(lo + (hi−lo)·u_i) for the generator's successive Float64 draws,
// so every value lies in [lo, hi) and a seed reproduces them.
func TestRandUDraws(t *testing.T) {
	const lo, hi = -2.0, 3.0
	x := tensor.RandU(tensor.NewRand(5), lo, hi, 4, 50)
	ref := tensor.NewRand(5)
	for i, v := range x.Values() {
		want := float64(float32(lo + (hi-lo)*ref.Float64()))
		if v != want || v < lo || v > hi {
			t.Fatalf("element %d = %v, want %v in [%v, %v)", i, v, want, lo, hi)
		}
	}
}
