package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ewRandSlice returns n pseudo-random values in [-1, 1) from a fixed seed.
func ewRandSlice[T float32 | float64](rng *rand.Rand, n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = T(2*rng.Float64() - 1)
	}
	return s
}

// ewClose reports whether a and b agree to a relative tolerance suited to T.
func ewClose[T float32 | float64](a, b T, scale float64) bool {
	tol := 1e-12
	var z T
	if _, ok := any(z).(float32); ok {
		tol = 1e-5
	}
	if math.IsNaN(float64(a)) || math.IsNaN(float64(b)) {
		return math.IsNaN(float64(a)) && math.IsNaN(float64(b))
	}
	return math.Abs(float64(a)-float64(b)) <= tol*(1+math.Abs(scale))
}

// ewCheckSlices fails t when got and want differ anywhere.
func ewCheckSlices[T float32 | float64](t *testing.T, name string, got, want []T) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", name, len(got), len(want))
	}
	for i := range got {
		if !ewClose(got[i], want[i], float64(want[i])) {
			t.Fatalf("%s: [%d] = %v, want %v", name, i, got[i], want[i])
		}
	}
}

// ewSizes covers empty, scalar-tail-only, one vector, unroll boundaries and
// an odd large size.
var ewSizes = []int{0, 1, 3, 7, 8, 9, 15, 31, 32, 33, 63, 64, 65, 100, 1031}

func testElementwise[T float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range ewSizes {
		a, b := ewRandSlice[T](rng, n), ewRandSlice[T](rng, n)
		alpha := T(0.75)

		y := append([]T(nil), b...)
		want := make([]T, n)
		for i := range want {
			want[i] = b[i] + alpha*a[i]
		}
		Axpy(alpha, a, y)
		ewCheckSlices(t, "Axpy", y, want)

		y = append([]T(nil), a...)
		for i := range want {
			want[i] = a[i] * alpha
		}
		Scale(alpha, y)
		ewCheckSlices(t, "Scale", y, want)

		y = append([]T(nil), a...)
		for i := range want {
			want[i] = a[i] + alpha
		}
		AddScalar(alpha, y)
		ewCheckSlices(t, "AddScalar", y, want)

		dst := make([]T, n)
		for i := range want {
			want[i] = a[i] + b[i]
		}
		Add(a, b, dst)
		ewCheckSlices(t, "Add", dst, want)
		y = append([]T(nil), a...)
		Add(y, b, y) // in place
		ewCheckSlices(t, "Add in place", y, want)

		for i := range want {
			want[i] = a[i] * b[i]
		}
		Mul(a, b, dst)
		ewCheckSlices(t, "Mul", dst, want)

		var dot, sum float64
		for i := range a {
			dot += float64(a[i]) * float64(b[i])
			sum += float64(a[i])
		}
		if got := Dot(a, b); !ewClose(got, T(dot), float64(n)) {
			t.Fatalf("Dot n=%d: %v, want %v", n, got, dot)
		}
		if got := Sum(a); !ewClose(got, T(sum), float64(n)) {
			t.Fatalf("Sum n=%d: %v, want %v", n, got, sum)
		}

		for i := range want {
			want[i] = max(a[i], 0)
		}
		Relu(a, dst)
		ewCheckSlices(t, "Relu", dst, want)
		y = append([]T(nil), a...)
		Relu(y, y)
		ewCheckSlices(t, "Relu in place", y, want)

		for i := range want {
			want[i] = 0
			if a[i] > 0 {
				want[i] = b[i]
			}
		}
		ReluBackward(a, b, dst)
		ewCheckSlices(t, "ReluBackward", dst, want)
	}
}

func TestElementwiseFloat32(t *testing.T) { testElementwise[float32](t) }
func TestElementwiseFloat64(t *testing.T) { testElementwise[float64](t) }

// TestElementwiseTwins compares the float32 dispatch (assembly on amd64)
// with the pure-Go loops directly.
func TestElementwiseTwins(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range ewSizes {
		a, b := ewRandSlice[float32](rng, n), ewRandSlice[float32](rng, n)
		got, want := append([]float32(nil), b...), append([]float32(nil), b...)
		ewAxpy32(-1.5, a, got)
		axpyGo(-1.5, a, want)
		ewCheckSlices(t, "axpy", got, want)
		if g, w := ewDot32(a, b), dotGo(a, b); !ewClose(g, w, float64(n)) {
			t.Fatalf("dot n=%d: %v vs %v", n, g, w)
		}
		if g, w := ewSum32(a), sumGo(a); !ewClose(g, w, float64(n)) {
			t.Fatalf("sum n=%d: %v vs %v", n, g, w)
		}
		a64, b64 := ewRandSlice[float64](rng, n), ewRandSlice[float64](rng, n)
		got64, want64 := append([]float64(nil), b64...), append([]float64(nil), b64...)
		ewAxpy64(-1.5, a64, got64)
		axpyGo(-1.5, a64, want64)
		ewCheckSlices(t, "axpy64", got64, want64)
		if g, w := ewDot64(a64, b64), dotGo(a64, b64); !ewClose(g, w, float64(n)) {
			t.Fatalf("dot64 n=%d: %v vs %v", n, g, w)
		}
	}
}

// testReluNaN checks NaN handling in the vector and scalar-tail paths.
func testReluNaN[T float32 | float64](t *testing.T) {
	nan := T(math.NaN())
	x := make([]T, 37)
	for i := range x {
		x[i] = -1
	}
	x[3], x[36] = nan, nan
	dst := make([]T, len(x))
	Relu(x, dst)
	for i, v := range dst {
		isNaN := v != v
		if isNaN != (i == 3 || i == 36) || (!isNaN && v != 0) {
			t.Fatalf("Relu[%d] = %v", i, v)
		}
	}
	grad := make([]T, len(x))
	for i := range grad {
		grad[i] = 1
	}
	ReluBackward(x, grad, dst)
	for i, v := range dst {
		if v != 0 {
			t.Fatalf("ReluBackward[%d] = %v, want 0 (x=%v)", i, v, x[i])
		}
	}
}

func TestReluNaNFloat32(t *testing.T) { testReluNaN[float32](t) }
func TestReluNaNFloat64(t *testing.T) { testReluNaN[float64](t) }

func TestElementwiseNoAlloc(t *testing.T) {
	x, y := make([]float32, 100), make([]float32, 100)
	x64, y64 := make([]float64, 100), make([]float64, 100)
	allocs := testing.AllocsPerRun(10, func() {
		Axpy(2, x, y)
		Relu(x, y)
		_ = Dot(x, y)
		Axpy(2, x64, y64)
		_ = Sum(x64)
	})
	if allocs != 0 {
		t.Fatalf("element-wise loops allocate: %v per run", allocs)
	}
}

func TestElementwiseShortPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Axpy with short y did not panic")
		}
	}()
	Axpy(1, make([]float32, 10), make([]float32, 9))
}
