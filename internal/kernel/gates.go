package kernel

import "math"

// Gate nonlinearities
//
// Sigmoid32 and Tanh32 are the float32 logistic sigmoid and hyperbolic
// tangent of the recurrent layers' gates. They compute in float32 with
// Cephes' single-precision approximations (expf, and tanhf's polynomial
// near zero) instead of converting to float64 for math.Exp and math.Tanh:
// on amd64 with AVX2 and FMA eight lanes at a time (gates_amd64.s),
// elsewhere and under the purego tag with the pure-Go twins below.
//
// Contract, tested against math.Exp and math.Tanh in float64
// (gates_test.go): results within 3 units in the last place of float32 of
// the correctly rounded value wherever that value is a normal float32, and
// within 2⁻¹²⁶ (the smallest normal) where it is smaller; exact 0 and 1 for
// σ(−Inf) and σ(+Inf), ±1 for tanh(±Inf), tanh(±0) = ±0, and NaN for NaN.

// Sigmoid32 sets dst[i] = 1/(1+exp(−x[i])) for i < len(x). dst must be at
// least as long as x (it panics otherwise, even when dst's capacity would
// hold x) and may be x itself.
func Sigmoid32(dst, x []float32) {
	if len(dst) < len(x) {
		panic("kernel: Sigmoid32: dst shorter than x")
	}
	dst = dst[:len(x)]
	sigmoid32(dst, x)
}

// Tanh32 sets dst[i] = tanh(x[i]) for i < len(x). dst must be at least as
// long as x (it panics otherwise, even when dst's capacity would hold x)
// and may be x itself.
func Tanh32(dst, x []float32) {
	if len(dst) < len(x) {
		panic("kernel: Tanh32: dst shorter than x")
	}
	dst = dst[:len(x)]
	tanh32(dst, x)
}

// Constants of the approximations (gates_amd64.s holds the same values).
const (
	gateLog2e  = 1.44269504088896341
	gateC1     = 0.693359375    // ln 2 high part: n·gateC1 is exact
	gateC2     = -2.12194440e-4 // ln 2 − gateC1
	gateExpHi  = 88.0           // exp arguments are clamped to [gateExpLo, gateExpHi]
	gateExpLo  = -87.33         // so that 2ⁿ is a normal float32
	gateSigMin = -88.0          // σ(x) for x below is 0 (the true value is below 2⁻¹²⁶)
	gateTanhHi = 10.0           // beyond, 1 − 2/(e^(2x)+1) rounds to 1 (tanh rounds to 1 from about 9.01)
	gateSmall  = 0.625          // tanh uses its odd polynomial below
)

// expGo is exp(x) for x in [gateExpLo, gateExpHi] (Cephes' expf).
func expGo(x float32) float32 {
	n := float32(math.RoundToEven(float64(x * gateLog2e)))
	r := x - n*gateC1
	r -= n * gateC2
	p := expPoly(r)
	p = p*(r*r) + r + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

// expPoly is the polynomial of Cephes' expf for r in [−ln2/2, ln2/2],
// before its last steps, which the two exp twins (expGo here, exp32 in
// transcend.go) finish differently, each as its assembly kernel does.
func expPoly(r float32) float32 {
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	return p
}

// sigmoidGo is the pure-Go twin of sigmoidAVX2, one element.
func sigmoidGo(x float32) float32 {
	if x != x {
		return x
	}
	if x < gateSigMin {
		return 0
	}
	e := expGo(min(max(-x, gateExpLo), gateExpHi))
	return 1 / (1 + e)
}

// tanhGo is the pure-Go twin of tanhAVX2, one element.
func tanhGo(x float32) float32 {
	if x != x {
		return x
	}
	a := float32(math.Abs(float64(x)))
	var y float32
	if a < gateSmall {
		z := a * a
		p := float32(-5.70498872745e-3)
		p = p*z + 2.06390887954e-2
		p = p*z - 5.37397155531e-2
		p = p*z + 1.33314422036e-1
		p = p*z - 3.33332819422e-1
		y = a + a*(p*z)
	} else {
		e := expGo(2 * min(a, gateTanhHi))
		y = 1 - 2*(1/(e+1))
	}
	if math.Signbit(float64(x)) {
		return -y
	}
	return y
}

func sigmoidSliceGo(dst, x []float32) {
	for i, v := range x {
		dst[i] = sigmoidGo(v)
	}
}

func tanhSliceGo(dst, x []float32) {
	for i, v := range x {
		dst[i] = tanhGo(v)
	}
}
