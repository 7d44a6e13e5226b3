package kernel

import (
	"math"
	"testing"
)

// TestLog1p01WithinOneULP checks log1p01, the core of Softplus32's pure-Go
// twin, against math.Log1p on an even spread of the float32 values in
// [1e-12, 1]: at most 1 ulp from the correctly rounded result. The 3 ulp
// bound of TestTranscendAccuracy covers the whole softplus (exp's error
// included) and is too loose to notice an error in the correction term
// c/u, the rounding error of 1+t carried back in, which alone can cost
// 2–3 ulps.
func TestLog1p01WithinOneULP(t *testing.T) {
	lo, hi := math.Float32bits(1e-12), math.Float32bits(1)
	for b := lo; b <= hi; b += 4099 {
		x := math.Float32frombits(b)
		want := float32(math.Log1p(float64(x)))
		if got := log1p01(x); ulpDiff32(got, want) > 1 {
			t.Fatalf("log1p01(%v) = %v, want %v (%d ulp)", x, got, want, ulpDiff32(got, want))
		}
	}
}
