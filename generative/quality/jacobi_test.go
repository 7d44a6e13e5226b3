package quality

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// jacobiEigen returns the eigenvalues of the symmetric n×n matrix a (row
// major; only its values are read, a is not changed), sorted in ascending
// order, and, when vectors is true, the eigenvectors as the columns of an
// n×n row-major matrix in the same order.
//
// It uses the cyclic Jacobi method: plane rotations, each chosen to zero
// one off-diagonal pair, are applied sweep after sweep until the
// off-diagonal part is negligible against the diagonal. Every rotation is
// orthogonal, so the method is backward stable and computes even tiny
// eigenvalues of a positive semi-definite matrix to high relative accuracy
// (Demmel and Veselić 1992) — what a matrix square root needs. The
// rotation formulas are those of Rutishauser (Numerical Recipes §11.1),
// which keep the rounding errors small.
func jacobiEigen(a []float64, n int, vectors bool) (vals, vecs []float64) {
	m := append([]float64(nil), a...)
	// symmetrise: the products we are given are symmetric up to rounding
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			s := (m[i*n+j] + m[j*n+i]) / 2
			m[i*n+j], m[j*n+i] = s, s
		}
	}
	var v []float64
	if vectors {
		v = make([]float64, n*n)
		for i := 0; i < n; i++ {
			v[i*n+i] = 1
		}
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = m[i*n+i]
	}
	for sweep := 0; sweep < 100; sweep++ {
		off := 0.0
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				off += m[i*n+j] * m[i*n+j]
			}
		}
		if off == 0 {
			break
		}
		for p := 0; p < n-1; p++ {
			for q := p + 1; q < n; q++ {
				apq := m[p*n+q]
				if apq == 0 {
					continue
				}
				app, aqq := m[p*n+p], m[q*n+q]
				// after the first sweeps, an element below the rounding
				// level of both diagonal entries is set to zero
				g := 100 * math.Abs(apq)
				if sweep > 3 && math.Abs(app)+g == math.Abs(app) && math.Abs(aqq)+g == math.Abs(aqq) {
					m[p*n+q], m[q*n+p] = 0, 0
					continue
				}
				h := aqq - app
				var t float64
				if math.Abs(h)+g == math.Abs(h) {
					t = apq / h
				} else {
					theta := 0.5 * h / apq
					t = 1 / (math.Abs(theta) + math.Sqrt(1+theta*theta))
					if theta < 0 {
						t = -t
					}
				}
				c := 1 / math.Sqrt(1+t*t)
				s := t * c
				tau := s / (1 + c)
				m[p*n+p] = app - t*apq
				m[q*n+q] = aqq + t*apq
				m[p*n+q], m[q*n+p] = 0, 0
				// rotate rows and columns p and q of the rest (both
				// triangles, so the matrix stays symmetric in storage)
				rp, rq := m[p*n:p*n+n], m[q*n:q*n+n]
				for k := 0; k < n; k++ {
					if k == p || k == q {
						continue
					}
					akp, akq := rp[k], rq[k]
					nkp := akp - s*(akq+tau*akp)
					nkq := akq + s*(akp-tau*akq)
					rp[k], rq[k] = nkp, nkq
					m[k*n+p], m[k*n+q] = nkp, nkq
				}
				if vectors {
					for k := 0; k < n; k++ {
						vkp, vkq := v[k*n+p], v[k*n+q]
						v[k*n+p] = vkp - s*(vkq+tau*vkp)
						v[k*n+q] = vkq + s*(vkp-tau*vkq)
					}
				}
			}
		}
	}
	for i := range d {
		d[i] = m[i*n+i]
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return d[idx[a]] < d[idx[b]] })
	vals = make([]float64, n)
	for i, j := range idx {
		vals[i] = d[j]
	}
	if vectors {
		vecs = make([]float64, n*n)
		for r := 0; r < n; r++ {
			for i, j := range idx {
				vecs[r*n+i] = v[r*n+j]
			}
		}
	}
	return vals, vecs
}

func TestSymEigenAgreesWithJacobi(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{2, 5, 33} {
		a := make([]float64, n*n)
		for i := 0; i < n; i++ {
			for j := 0; j <= i; j++ {
				x := rng.NormFloat64()
				a[i*n+j], a[j*n+i] = x, x
			}
		}
		got, _ := symEigen(a, n, false)
		want, _ := jacobiEigen(a, n, false)
		if d := maxAbsDiff(got, want); d > 1e-12*float64(n) {
			t.Errorf("n=%d: QL and Jacobi eigenvalues differ by %g", n, d)
		}
	}
}
