package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// leakyWant is LeakyRelu's definition written out with a branch.
func leakyWant[T float32 | float64](slope T, x, v []T) []T {
	want := make([]T, len(x))
	for i := range x {
		want[i] = slope * v[i]
		if x[i] > 0 {
			want[i] = v[i]
		}
	}
	return want
}

// leakyInputs returns x and v of length n: random values with, at a
// position that moves with n, NaN, ±Inf, ±0 and a subnormal in x and in v,
// so that every vector and tail path meets them.
func leakyInputs[T float32 | float64](rng *rand.Rand, n int) (x, v []T) {
	x, v = ewRandSlice[T](rng, n), ewRandSlice[T](rng, n)
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1e-40}
	for k, s := range special {
		if n > 0 {
			x[(3*k+n/2)%n] = T(s)
			v[(5*k+n/3)%n] = T(s)
		}
	}
	return x, v
}

// leakySame reports whether a and b have the same bits (NaN payloads
// aside: any NaN matches any NaN).
func leakySame[T float32 | float64](a, b T) bool {
	if math.IsNaN(float64(a)) || math.IsNaN(float64(b)) {
		return math.IsNaN(float64(a)) && math.IsNaN(float64(b))
	}
	return a == b && math.Signbit(float64(a)) == math.Signbit(float64(b))
}

// testLeakyRelu checks LeakyRelu against its definition, bit for bit, on
// every size of ewSizes, into a fresh dst and in place over v and over x
// (the forward pass's x = v too), and that nothing past len(dst) is
// written.
func testLeakyRelu[T float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const slope = 0.2
	for _, n := range ewSizes {
		x, v := leakyInputs[T](rng, n)
		want := leakyWant(T(slope), x, v)
		check := func(what string, got []T, want []T) {
			t.Helper()
			for i := range want {
				if !leakySame(got[i], want[i]) {
					t.Fatalf("%s n=%d: [%d] = %v, want %v (x %v, v %v)", what, n, i, got[i], want[i], x[i], v[i])
				}
			}
		}
		dst := make([]T, n+1)
		dst[n] = 7
		LeakyRelu(T(slope), x, v, dst[:n])
		check("LeakyRelu", dst, want)
		if dst[n] != 7 {
			t.Fatalf("n=%d: wrote %v past dst", n, dst[n])
		}
		vv := append([]T(nil), v...)
		LeakyRelu(T(slope), x, vv, vv)
		check("LeakyRelu in place over v", vv, want)
		xx := append([]T(nil), x...)
		LeakyRelu(T(slope), xx, xx, xx)
		check("LeakyRelu forward in place", xx, leakyWant(T(slope), x, x))
	}
}

func TestLeakyReluFloat32(t *testing.T) { forEachPath(t, testLeakyRelu[float32]) }
func TestLeakyReluFloat64(t *testing.T) { testLeakyRelu[float64](t) }
