package quality

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// randomOrthogonal returns an n×n orthogonal matrix: a product of n random
// Householder reflections.
func randomOrthogonal(rng *rand.Rand, n int) []float64 {
	q := make([]float64, n*n)
	for i := 0; i < n; i++ {
		q[i*n+i] = 1
	}
	for r := 0; r < n; r++ {
		v := make([]float64, n)
		norm := 0.0
		for i := range v {
			v[i] = rng.NormFloat64()
			norm += v[i] * v[i]
		}
		// q ← q·(I − 2vvᵀ/‖v‖²)
		for i := 0; i < n; i++ {
			dot := 0.0
			for k := 0; k < n; k++ {
				dot += q[i*n+k] * v[k]
			}
			for k := 0; k < n; k++ {
				q[i*n+k] -= 2 * dot * v[k] / norm
			}
		}
	}
	return q
}

// withEigenvalues returns Q·diag(l)·Qᵀ.
func withEigenvalues(q, l []float64) []float64 {
	n := len(l)
	w := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			w[i*n+j] = q[i*n+j] * l[j]
		}
	}
	return mulABt(w, q, n)
}

func maxAbsDiff(a, b []float64) float64 {
	m := 0.0
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

func TestSymEigenKnownSpectrum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 7, 40} {
		l := make([]float64, n)
		for i := range l {
			l[i] = rng.Float64()*10 - 3
		}
		if n >= 3 {
			l[1] = l[0] // a repeated eigenvalue
			l[2] = 0
		}
		a := withEigenvalues(randomOrthogonal(rng, n), l)
		vals, v := symEigen(a, n, true)
		want := append([]float64(nil), l...)
		sort.Float64s(want)
		if d := maxAbsDiff(vals, want); d > 1e-12*10*float64(n) {
			t.Errorf("n=%d: eigenvalues %v, want %v (max diff %g)", n, vals, want, d)
		}
		// V orthogonal and A = V·Λ·Vᵀ
		if d := maxAbsDiff(mulABt(transpose(v, n), transpose(v, n), n), identity(n)); d > 1e-12*float64(n) {
			t.Errorf("n=%d: VᵀV differs from I by %g", n, d)
		}
		if d := maxAbsDiff(withEigenvalues(v, vals), a); d > 1e-12*10*float64(n) {
			t.Errorf("n=%d: V·Λ·Vᵀ differs from A by %g", n, d)
		}
		vals2, v2 := symEigen(a, n, false)
		if v2 != nil || maxAbsDiff(vals2, vals) > 1e-13*float64(n) {
			t.Errorf("n=%d: eigenvalues without vectors differ", n)
		}
	}
}

func TestSymEigenDiagonalAndTiny(t *testing.T) {
	// a diagonal matrix is its own answer, and a PSD matrix with
	// eigenvalues spread over 16 orders of magnitude keeps the small ones
	// to high relative accuracy
	vals, _ := symEigen([]float64{3, 0, 0, 0, -1, 0, 0, 0, 2}, 3, false)
	if maxAbsDiff(vals, []float64{-1, 2, 3}) != 0 {
		t.Fatalf("diagonal: %v", vals)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	n := 6
	l := []float64{1e-16, 1e-12, 1e-8, 1e-4, 1, 1e0}
	a := withEigenvalues(randomOrthogonal(rng, n), l)
	vals, _ = symEigen(a, n, false)
	for i, want := range l[3:] {
		if got := vals[3+i]; math.Abs(got-want) > 1e-10*want+1e-15 {
			t.Errorf("eigenvalue %g computed as %g", want, got)
		}
	}
}

func transpose(a []float64, n int) []float64 {
	out := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			out[j*n+i] = a[i*n+j]
		}
	}
	return out
}

func identity(n int) []float64 {
	out := make([]float64, n*n)
	for i := 0; i < n; i++ {
		out[i*n+i] = 1
	}
	return out
}

func TestSqrtPSD(t *testing.T) {
	// [[2,1],[1,2]] has eigenvalues 3 and 1, so its root is
	// ½[[√3+1, √3−1], [√3−1, √3+1]]
	r3 := math.Sqrt(3)
	got := sqrtPSD([]float64{2, 1, 1, 2}, 2)
	want := []float64{(r3 + 1) / 2, (r3 - 1) / 2, (r3 - 1) / 2, (r3 + 1) / 2}
	if d := maxAbsDiff(got, want); d > 1e-15 {
		t.Errorf("√[[2,1],[1,2]] = %v, want %v", got, want)
	}
	// S·S = A for a random PSD matrix of rank 20 in 30 dimensions
	rng := rand.New(rand.NewPCG(5, 6))
	n := 30
	l := make([]float64, n)
	for i := 10; i < n; i++ {
		l[i] = rng.Float64() * 5
	}
	a := withEigenvalues(randomOrthogonal(rng, n), l)
	s := sqrtPSD(a, n)
	if d := maxAbsDiff(mulAB(s, s, n), a); d > 1e-12 {
		t.Errorf("S·S differs from A by %g", d)
	}
	if d := maxAbsDiff(s, transpose(s, n)); d > 1e-14 {
		t.Errorf("√A is not symmetric: %g", d)
	}
}

func TestMulAB(t *testing.T) {
	a := []float64{1, 2, 3, 4}
	b := []float64{5, 6, 7, 8}
	if got := mulAB(a, b, 2); maxAbsDiff(got, []float64{19, 22, 43, 50}) != 0 {
		t.Errorf("a·b = %v", got)
	}
	if got := mulABt(a, b, 2); maxAbsDiff(got, []float64{17, 23, 39, 53}) != 0 {
		t.Errorf("a·bᵀ = %v", got)
	}
}

// BenchmarkSymEigen512 is the cost of one eigendecomposition of a
// covariance of the CNN's 512 penultimate features.
func BenchmarkSymEigen512(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	n := 512
	l := make([]float64, n)
	for i := range l {
		l[i] = rng.ExpFloat64()
	}
	a := withEigenvalues(randomOrthogonal(rng, n), l)
	for b.Loop() {
		symEigen(a, n, true)
	}
}
