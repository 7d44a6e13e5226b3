package tensor_test

import (
	"math"
	"testing"

	"github.com/duboko/duboko/tensor"
)

// TestUnaryFloat32KernelsMatchFloat64 checks the float32 vector paths of
// Exp, Sigmoid, Softplus and LogSigmoid, forward and backward, against the
// same ops in float64 (math.Exp, math.Log1p): within 4 units in the last
// place of float32 of the float64 value where that is a normal float32
// (two roundings on the backward's product), 2^-126 absolute below (the
// backward: plus 8·2^-24 times the upstream gradient, absolute), over
// inputs from -120 to 120 (both saturations) and a length that leaves a
// vector tail.
func TestUnaryFloat32KernelsMatchFloat64(t *testing.T) {
	const n = 20011
	vals := make([]float64, n)
	up := make([]float64, n)
	for i := range vals {
		vals[i] = float64(float32(-120 + 240*float64(i)/(n-1)))
		up[i] = float64(float32(math.Sin(float64(i)) + 1.5))
	}
	ops := map[string]func(*tensor.Tensor) *tensor.Tensor{
		"Exp": tensor.Exp, "Sigmoid": tensor.Sigmoid, "Softplus": tensor.Softplus, "LogSigmoid": tensor.LogSigmoid,
	}
	for name, op := range ops {
		var res [2]struct{ y, g []float64 }
		for k, dt := range []tensor.DType{tensor.Float64, tensor.Float32} {
			x := tensor.FromValues(dt, vals).SetRequiresGrad(true)
			y := op(x)
			y.BackwardWith(tensor.FromValues(dt, up))
			res[k].y = tensor.To(y, tensor.Float64).Float64s()
			res[k].g = tensor.To(x.Grad(), tensor.Float64).Float64s()
		}
		for part, p := range map[string][2][]float64{"value": {res[0].y, res[1].y}, "gradient": {res[0].g, res[1].g}} {
			for i := range vals {
				w, g := p[0][i], p[1][i]
				if part == "gradient" && math.Abs(res[0].y[i]) > math.MaxFloat32 {
					continue // the value overflows float32: so does the gradient
				}
				if math.IsInf(w, 0) || math.Abs(w) > math.MaxFloat32 {
					if !math.IsInf(g, int(math.Copysign(1, w))) {
						t.Fatalf("%s %s at %v: got %v, want %v", name, part, vals[i], g, w)
					}
					continue
				}
				tol := math.Max(4*math.Abs(w)*0x1p-24, 0x1p-126)
				if part == "gradient" {
					// y(1−y) loses y's relative accuracy to the cancellation
					// in 1−y; the float32 y of the old path (0.5 ulp) did too
					tol = 4*math.Abs(w)*0x1p-24 + 8*0x1p-24*up[i]
				}
				if !(math.Abs(g-w) <= tol) {
					t.Fatalf("%s %s at %v: float32 %v, float64 %v (diff %g > %g)", name, part, vals[i], g, w, math.Abs(g-w), tol)
				}
			}
		}
	}
}
