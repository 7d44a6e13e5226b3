package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/duboko/duboko/tensor"
)

// Initializer fills a tensor in place with values drawn from rng.
type Initializer func(rng *rand.Rand, t *tensor.Tensor)

// Fans returns the fan-in and fan-out of a weight of the given shape, as
// PyTorch computes them: [out, in] → (in, out); [out, in, k...] →
// (in·Πk, out·Πk); a 1-D shape has fan-in = fan-out = its length.
func Fans(shape []int) (fanIn, fanOut int) {
	switch len(shape) {
	case 0:
		return 1, 1
	case 1:
		return shape[0], shape[0]
	}
	rf := 1
	for _, k := range shape[2:] {
		rf *= k
	}
	return shape[1] * rf, shape[0] * rf
}

func fill(t *tensor.Tensor, f func() float64) {
	for i, n := 0, t.Len(); i < n; i++ {
		t.SetFlat(i, f())
	}
}

// Zeros fills with 0.
func Zeros() Initializer { return Constant(0) }

// Constant fills with v.
func Constant(v float64) Initializer {
	return func(_ *rand.Rand, t *tensor.Tensor) { fill(t, func() float64 { return v }) }
}

// Uniform draws from U[lo, hi).
func Uniform(lo, hi float64) Initializer {
	return func(rng *rand.Rand, t *tensor.Tensor) { fill(t, func() float64 { return lo + (hi-lo)*rng.Float64() }) }
}

// Normal draws from N(mean, std²).
func Normal(mean, std float64) Initializer {
	return func(rng *rand.Rand, t *tensor.Tensor) {
		fill(t, func() float64 { return mean + std*rng.NormFloat64() })
	}
}

// TruncatedNormal draws from N(mean, std²) truncated to mean ± 2·std
// (values outside are redrawn).
func TruncatedNormal(mean, std float64) Initializer {
	return func(rng *rand.Rand, t *tensor.Tensor) {
		fill(t, func() float64 {
			for {
				z := rng.NormFloat64()
				if z >= -2 && z <= 2 {
					return mean + std*z
				}
			}
		})
	}
}

// VarianceScaling is the course's default weight initialiser: a normal
// with σ = √(factor/fan_in) truncated at ±2σ (lab 2's
// variance_scaling_initializer uses factor 2, i.e. He initialisation).
func VarianceScaling(factor float64) Initializer {
	return func(rng *rand.Rand, t *tensor.Tensor) {
		fanIn, _ := Fans(t.Shape())
		TruncatedNormal(0, math.Sqrt(factor/float64(fanIn)))(rng, t)
	}
}

// XavierUniform is Glorot's uniform initialiser:
// U(±gain·√(6/(fan_in+fan_out))).
func XavierUniform(gain float64) Initializer {
	return func(rng *rand.Rand, t *tensor.Tensor) {
		in, out := Fans(t.Shape())
		b := gain * math.Sqrt(6/float64(in+out))
		Uniform(-b, b)(rng, t)
	}
}

// XavierNormal is Glorot's normal initialiser: N(0, gain²·2/(fan_in+fan_out)).
func XavierNormal(gain float64) Initializer {
	return func(rng *rand.Rand, t *tensor.Tensor) {
		in, out := Fans(t.Shape())
		Normal(0, gain*math.Sqrt(2/float64(in+out)))(rng, t)
	}
}

// KaimingNormal is He's normal initialiser for ReLU networks (fan-in mode):
// N(0, 2/fan_in), as torch.nn.init.kaiming_normal_ with its defaults.
func KaimingNormal() Initializer {
	return func(rng *rand.Rand, t *tensor.Tensor) {
		in, _ := Fans(t.Shape())
		Normal(0, math.Sqrt(2/float64(in)))(rng, t)
	}
}

// KaimingUniform is He's uniform initialiser for ReLU networks (fan-in
// mode): U(±√(6/fan_in)).
func KaimingUniform() Initializer {
	return func(rng *rand.Rand, t *tensor.Tensor) {
		in, _ := Fans(t.Shape())
		b := math.Sqrt(6 / float64(in))
		Uniform(-b, b)(rng, t)
	}
}

// SetValues sets t's values by hand (row-major), for exercises that give
// the weights. It returns an error if the count does not match.
func SetValues(t *tensor.Tensor, values ...float64) error {
	if len(values) != t.Len() {
		return fmt.Errorf("SetValues: %d values for a tensor of shape %v (%d elements)", len(values), t.Shape(), t.Len())
	}
	for i, v := range values {
		t.SetFlat(i, v)
	}
	return nil
}
