package tensor

import (
	"math"
	"testing"
)

// TestBatchNormRunningVarAlone checks that a running variance given without
// a running mean is still updated in training mode (it used to be skipped):
// with momentum 0.5 it becomes 0.5·1 + 0.5·(unbiased batch variance).
func TestBatchNormRunningVarAlone(t *testing.T) {
	// one channel, values 1, 2, 3, 4: mean 2.5, unbiased variance 5/3
	x := FromFloat64([]float64{1, 2, 3, 4}, 4, 1)
	rv := FromFloat64([]float64{1}, 1)
	BatchNorm(x, nil, nil, nil, rv, true, 0.5, 1e-5)
	want := 0.5*1 + 0.5*(5.0/3)
	if got := rv.Float64s()[0]; math.Abs(got-want) > 1e-12 {
		t.Fatalf("running variance = %v, want %v", got, want)
	}
}
