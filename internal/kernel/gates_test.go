package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gateInputs returns the values the gate kernels are checked on: a dense
// grid over [-100, 100] (past both saturation points), a fine grid near
// zero, random bit patterns (every exponent, NaNs and infinities among
// them), and the special values.
func gateInputs() []float32 {
	var xs []float32
	for x := -100.0; x <= 100; x += 1.0 / 1024 {
		xs = append(xs, float32(x))
	}
	for x := -1.0; x <= 1; x += 1.0 / 65536 {
		xs = append(xs, float32(x))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		xs = append(xs, math.Float32frombits(rng.Uint32()))
	}
	inf := float32(math.Inf(1))
	xs = append(xs, 0, float32(math.Copysign(0, -1)), inf, -inf, float32(math.NaN()),
		math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32,
		1e-30, -1e-30, 0.625, -0.625, 0.62499994, 9, -9, 88, -88, 87.33, -87.33, 88.1, -88.1, 1e10, -1e10)
	return xs
}

// ulpDiff is the distance in units in the last place between float32
// values of the same sign (or zero).
func ulpDiff(a, b float32) int64 {
	ia, ib := int64(math.Float32bits(a)&0x7fffffff), int64(math.Float32bits(b)&0x7fffffff)
	if math.Signbit(float64(a)) != math.Signbit(float64(b)) {
		return ia + ib
	}
	if ia > ib {
		return ia - ib
	}
	return ib - ia
}

// checkGate fails t where got differs from want (computed in float64)
// beyond the contract in gates.go, and returns the largest error in ulps
// seen on normal results.
func checkGate(t *testing.T, name string, xs, got []float32, want func(float64) float64) int64 {
	t.Helper()
	const maxULP = 3
	worst := int64(0)
	for i, x := range xs {
		w := want(float64(x))
		g := got[i]
		switch {
		case math.IsNaN(w):
			if !math.IsNaN(float64(g)) {
				t.Fatalf("%s(%v) = %v, want NaN", name, x, g)
			}
		case math.Abs(w) < 0x1p-126:
			if math.Abs(float64(g)-w) > 0x1p-126 || g != 0 && math.Signbit(float64(g)) != math.Signbit(w) {
				t.Fatalf("%s(%v) = %v, want %v (within 2⁻¹²⁶)", name, x, g, w)
			}
			if w == 0 && (g != 0 || math.Signbit(float64(g)) != math.Signbit(w)) {
				t.Fatalf("%s(%v) = %v, want exactly %v", name, x, g, w)
			}
		default:
			d := ulpDiff(g, float32(w))
			if d > maxULP {
				t.Fatalf("%s(%v) = %v, want %v (%d ulp)", name, x, g, float32(w), d)
			}
			worst = max(worst, d)
		}
	}
	return worst
}

func refSigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// TestGates checks Sigmoid32 and Tanh32 on every CPU path against
// math.Exp and math.Tanh, in place and into another slice, at lengths
// that exercise the vector body and the padded tail.
func TestGates(t *testing.T) {
	xs := gateInputs()
	forEachPath(t, func(t *testing.T) {
		for _, f := range []struct {
			name string
			fn   func(dst, x []float32)
			ref  func(float64) float64
		}{{"Sigmoid32", Sigmoid32, refSigmoid}, {"Tanh32", Tanh32, math.Tanh}} {
			got := make([]float32, len(xs))
			f.fn(got, xs)
			worst := checkGate(t, f.name, xs, got, f.ref)
			t.Logf("%s: worst %d ulp over %d inputs", f.name, worst, len(xs))
			for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 150} {
				in := append([]float32(nil), xs[len(xs)-n:]...)
				f.fn(in, in)
				checkGate(t, f.name+" in place", xs[len(xs)-n:], in, f.ref)
			}
		}
	})
}

// TestGatesMatchGo checks that the active path agrees with the pure-Go
// twins to 4 ulp: both are within 2 ulp of the true value here (TestGates
// logs it), on either side, as the assembly fuses multiply-adds that the
// Go code rounds twice.
func TestGatesMatchGo(t *testing.T) {
	xs := gateInputs()
	got := make([]float32, len(xs))
	for _, f := range []struct {
		name string
		fn   func(dst, x []float32)
		twin func(float32) float32
	}{{"Sigmoid32", Sigmoid32, sigmoidGo}, {"Tanh32", Tanh32, tanhGo}} {
		f.fn(got, xs)
		for i, x := range xs {
			w := f.twin(x)
			if math.IsNaN(float64(w)) != math.IsNaN(float64(got[i])) || !math.IsNaN(float64(w)) && ulpDiff(got[i], w) > 4 {
				t.Fatalf("%s(%v) = %v, pure-Go twin %v", f.name, x, got[i], w)
			}
		}
	}
}

func BenchmarkSigmoid32(b *testing.B) { benchGate(b, Sigmoid32) }
func BenchmarkTanh32(b *testing.B)    { benchGate(b, Tanh32) }

func benchGate(b *testing.B, f func(dst, x []float32)) {
	x := ewRandSlice[float32](rand.New(rand.NewPCG(1, 2)), 4800)
	dst := make([]float32, len(x))
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		f(dst, x)
	}
}

// TestTanh32Saturates checks that Tanh32 reaches exactly ±1 where float32
// tanh rounds to it (from about 9.01), so that a backward pass's 1 − y² is
// exactly 0 there, as with math.Tanh; a clamp of |x| at 9 gave 0.99999994
// for every larger x.
func TestTanh32Saturates(t *testing.T) {
	xs := []float32{9.02, -9.02, 9.5, 10, -10, 10.5, 20, -88, 1e30, float32(math.Inf(1)), float32(math.Inf(-1))}
	forEachPath(t, func(t *testing.T) {
		for _, n := range []int{1, 8, 17} { // the vector body and the tail
			in := make([]float32, n)
			got := make([]float32, n)
			for _, x := range xs {
				for i := range in {
					in[i] = x
				}
				Tanh32(got, in)
				want := float32(math.Copysign(1, float64(x)))
				for i, g := range got {
					if g != want || float32(math.Tanh(float64(x))) != want {
						t.Fatalf("n=%d: Tanh32(%v)[%d] = %v, want %v", n, x, i, g, want)
					}
				}
			}
		}
	})
}

// TestGatesShortDst checks that Sigmoid32 and Tanh32 refuse a dst shorter
// than x even when its capacity would hold x, leaving the values past its
// length untouched (the bias kernels' `within` rule, elementwise_bias.go).
func TestGatesShortDst(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(dst, x []float32)
	}{{"Sigmoid32", Sigmoid32}, {"Tanh32", Tanh32}} {
		x := []float32{0.5, -1, 2}
		buf := []float32{7, 7, 7}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic with len(dst) 2 < len(x) 3", c.name)
				}
			}()
			c.f(buf[:2], x)
		}()
		if buf[2] != 7 {
			t.Errorf("%s: wrote %v past dst's length", c.name, buf[2])
		}
	}
}
