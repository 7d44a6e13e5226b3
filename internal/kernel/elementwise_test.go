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

// ewSizes covers empty, every tail length 1..17 (scalar or masked), one
// vector of each width, unroll boundaries of the AVX2 (32) and AVX-512
// (64 float32, 32 float64) loops and an odd large size.
var ewSizes = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 48, 49, 63, 64, 65, 79, 80, 81, 100, 127, 128, 129, 1031}

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

func TestReluNaNFloat32(t *testing.T) { forEachPath(t, testReluNaN[float32]) }
func TestReluNaNFloat64(t *testing.T) { forEachPath(t, testReluNaN[float64]) }

// TestElementwiseBounds runs every loop on windows of a larger buffer, on
// every path, and checks that the values just before and after the window
// (NaN sentinels) are neither changed nor read (a NaN read into Dot or Sum
// would show in the result).
func TestElementwiseBounds(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		testElementwiseBounds[float32](t)
		testElementwiseBounds[float64](t)
	})
}

func testElementwiseBounds[T float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const pad = 24
	nan := T(math.NaN())
	window := func(n int) (buf, w []T) {
		buf = make([]T, n+2*pad)
		for i := range buf {
			buf[i] = nan
		}
		w = buf[pad : pad+n]
		copy(w, ewRandSlice[T](rng, n))
		return buf, w
	}
	for _, n := range ewSizes {
		bufA, a := window(n)
		bufB, b := window(n)
		bufD, d := window(n)
		Axpy(0.5, a, d)
		Scale(1.5, d)
		AddScalar(0.25, d)
		Add(a, b, d)
		Mul(a, d, d)
		Relu(b, d)
		ReluBackward(a, b, d)
		if s := Dot(a, b) + Sum(a) + Sum(d); s != s {
			t.Fatalf("n=%d: Dot or Sum read past the slices", n)
		}
		for _, buf := range [][]T{bufA, bufB, bufD} {
			for i := range pad {
				if v, u := buf[i], buf[pad+n+i]; v == v || u == u {
					t.Fatalf("n=%d: value %d before or after the slice written", n, i)
				}
			}
		}
	}
}

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
