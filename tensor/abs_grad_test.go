package tensor

import "testing"

// TestAbsGradSign: Abs's gradient is the sign of x, 0 at 0 (PyTorch's
// choice), in both dtypes.
func TestAbsGradSign(t *testing.T) {
	for _, dt := range []DType{Float32, Float64} {
		x := To(FromFloat64([]float64{-2, -0.5, 0, 0.25, 3}, 5), dt)
		x.SetRequiresGrad(true)
		Sum(Abs(x)).Backward()
		want := []float64{-1, -1, 0, 1, 1}
		got := To(x.Grad(), Float64).Float64s()
		xs := To(x, Float64).Float64s()
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%v: d|x|/dx at %v = %v, want %v", dt, xs[i], got[i], want[i])
			}
		}
	}
}
