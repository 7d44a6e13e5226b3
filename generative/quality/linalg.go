package quality

import (
	"math"
	"sort"
)

// symEigen returns the eigenvalues of the symmetric n×n matrix a (row
// major; a is not changed; only its lower triangle is read), sorted in
// ascending order, and, when vectors is true, the orthonormal eigenvectors
// as the columns of an n×n row-major matrix in the same order.
//
// It reduces a to tridiagonal form by Householder reflections and then
// diagonalises the tridiagonal matrix by the implicit QL method with
// Wilkinson-type shifts (the EISPACK routines tred2 and tql2, as in JAMA
// and gonum). Every step is an orthogonal transformation, so the computed
// eigenvalues are those of a matrix within a few ulps·‖a‖ of a: backward
// stable, and cheap enough (about 9n³ flops with vectors) for the 512×512
// covariances of the CNN's features. The tests check it against matrices
// of known spectrum and against the cyclic Jacobi method.
func symEigen(a []float64, n int, vectors bool) (vals, vecs []float64) {
	if n == 0 {
		return nil, nil
	}
	// rows of a padded buffer: a power-of-two row length would make the
	// column walks below hit one cache set
	ld := n + 8
	buf := make([]float64, n*ld)
	v := make([][]float64, n)
	for i := range v {
		v[i] = buf[i*ld : i*ld+n]
		for j := 0; j <= i; j++ {
			v[i][j] = a[i*n+j]
			v[j][i] = a[i*n+j]
		}
	}
	d := make([]float64, n)
	e := make([]float64, n)
	tred2(v, d, e)
	tql2(v, d, e, vectors)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(x, y int) bool { return d[idx[x]] < d[idx[y]] })
	vals = make([]float64, n)
	for i, j := range idx {
		vals[i] = d[j]
	}
	if vectors {
		vecs = make([]float64, n*n)
		for r := 0; r < n; r++ {
			for i, j := range idx {
				vecs[r*n+i] = v[r][j]
			}
		}
	}
	return vals, vecs
}

// tred2 reduces the symmetric matrix v to tridiagonal form by Householder
// similarity transformations: on return d is the diagonal, e[1:] the
// subdiagonal (e[0] = 0) and v the accumulated orthogonal transformation.
func tred2(v [][]float64, d, e []float64) {
	n := len(d)
	copy(d, v[n-1])
	for i := n - 1; i > 0; i-- {
		scale, h := 0.0, 0.0
		for k := 0; k < i; k++ {
			scale += math.Abs(d[k])
		}
		if scale == 0 {
			e[i] = d[i-1]
			for j := 0; j < i; j++ {
				d[j] = v[i-1][j]
				v[i][j] = 0
				v[j][i] = 0
			}
		} else {
			// the Householder vector, scaled against under- and overflow
			for k := 0; k < i; k++ {
				d[k] /= scale
				h += d[k] * d[k]
			}
			f := d[i-1]
			g := math.Sqrt(h)
			if f > 0 {
				g = -g
			}
			e[i] = scale * g
			h -= f * g
			d[i-1] = f - g
			for j := 0; j < i; j++ {
				e[j] = 0
			}
			// apply the similarity transformation to the remaining columns
			for j := 0; j < i; j++ {
				f = d[j]
				v[j][i] = f
				g = e[j] + v[j][j]*f
				for k := j + 1; k <= i-1; k++ {
					g += v[k][j] * d[k]
					e[k] += v[k][j] * f
				}
				e[j] = g
			}
			f = 0
			for j := 0; j < i; j++ {
				e[j] /= h
				f += e[j] * d[j]
			}
			hh := f / (h + h)
			for j := 0; j < i; j++ {
				e[j] -= hh * d[j]
			}
			for j := 0; j < i; j++ {
				f = d[j]
				g = e[j]
				for k := j; k <= i-1; k++ {
					v[k][j] -= f*e[k] + g*d[k]
				}
				d[j] = v[i-1][j]
				v[i][j] = 0
			}
		}
		d[i] = h
	}
	// accumulate the transformations
	for i := 0; i < n-1; i++ {
		v[n-1][i] = v[i][i]
		v[i][i] = 1
		h := d[i+1]
		if h != 0 {
			for k := 0; k <= i; k++ {
				d[k] = v[k][i+1] / h
			}
			for j := 0; j <= i; j++ {
				g := 0.0
				for k := 0; k <= i; k++ {
					g += v[k][i+1] * v[k][j]
				}
				for k := 0; k <= i; k++ {
					v[k][j] -= g * d[k]
				}
			}
		}
		for k := 0; k <= i; k++ {
			v[k][i+1] = 0
		}
	}
	for j := 0; j < n; j++ {
		d[j] = v[n-1][j]
		v[n-1][j] = 0
	}
	v[n-1][n-1] = 1
	e[0] = 0
}

// tql2 diagonalises the symmetric tridiagonal matrix of tred2 (diagonal d,
// subdiagonal e[1:]) by the implicit QL method: on return d holds the
// eigenvalues (unsorted) and, when vectors is true, the columns of v the
// eigenvectors of the original matrix.
func tql2(v [][]float64, d, e []float64, vectors bool) {
	n := len(d)
	for i := 1; i < n; i++ {
		e[i-1] = e[i]
	}
	e[n-1] = 0
	f, tst1 := 0.0, 0.0
	const eps = 0x1p-52
	for l := 0; l < n; l++ {
		// find a small subdiagonal element
		tst1 = math.Max(tst1, math.Abs(d[l])+math.Abs(e[l]))
		m := l
		for m < n-1 && math.Abs(e[m]) > eps*tst1 {
			m++
		}
		// if m == l, d[l] is an eigenvalue; otherwise iterate
		for iter := 0; m > l && iter < 100; iter++ {
			// the implicit shift
			g := d[l]
			p := (d[l+1] - g) / (2 * e[l])
			r := math.Hypot(p, 1)
			if p < 0 {
				r = -r
			}
			d[l] = e[l] / (p + r)
			d[l+1] = e[l] * (p + r)
			dl1 := d[l+1]
			h := g - d[l]
			for i := l + 2; i < n; i++ {
				d[i] -= h
			}
			f += h
			// the implicit QL transformation
			p = d[m]
			c, c2, c3 := 1.0, 1.0, 1.0
			el1 := e[l+1]
			s, s2 := 0.0, 0.0
			for i := m - 1; i >= l; i-- {
				c3 = c2
				c2 = c
				s2 = s
				g = c * e[i]
				h = c * p
				r = math.Hypot(p, e[i])
				e[i+1] = s * r
				s = e[i] / r
				c = p / r
				p = c*d[i] - s*g
				d[i+1] = h + s*(c*g+s*d[i])
				if vectors {
					for k := 0; k < n; k++ {
						vk := v[k]
						h = vk[i+1]
						vk[i+1] = s*vk[i] + c*h
						vk[i] = c*vk[i] - s*h
					}
				}
			}
			p = -s * s2 * c3 * el1 * e[l] / dl1
			e[l] = s * p
			d[l] = c * p
			if math.Abs(e[l]) <= eps*tst1 {
				break
			}
		}
		d[l] += f
		e[l] = 0
	}
}

// sqrtPSD returns the symmetric positive semi-definite square root of the
// symmetric n×n matrix a, V·diag(√max(λ, 0))·Vᵀ from a = V·diag(λ)·Vᵀ:
// eigenvalues that rounding made slightly negative count as zero.
func sqrtPSD(a []float64, n int) []float64 {
	vals, v := symEigen(a, n, true)
	// w = V·diag(√λ); result = w·Vᵀ
	w := make([]float64, n*n)
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			w[r*n+c] = v[r*n+c] * math.Sqrt(math.Max(vals[c], 0))
		}
	}
	return mulABt(w, v, n)
}

// traceSqrtPSD returns tr √a = Σ √max(λᵢ, 0) of the symmetric positive
// semi-definite n×n matrix a.
func traceSqrtPSD(a []float64, n int) float64 {
	vals, _ := symEigen(a, n, false)
	s := 0.0
	for _, l := range vals {
		s += math.Sqrt(math.Max(l, 0))
	}
	return s
}

// mulABt returns a·bᵀ for n×n row-major a and b.
func mulABt(a, b []float64, n int) []float64 {
	out := make([]float64, n*n)
	for i := 0; i < n; i++ {
		ai := a[i*n : i*n+n]
		for j := 0; j < n; j++ {
			bj := b[j*n : j*n+n]
			s := 0.0
			for k, x := range ai {
				s += x * bj[k]
			}
			out[i*n+j] = s
		}
	}
	return out
}

// mulAB returns a·b for n×n row-major a and b.
func mulAB(a, b []float64, n int) []float64 {
	out := make([]float64, n*n)
	for i := 0; i < n; i++ {
		oi := out[i*n : i*n+n]
		for k := 0; k < n; k++ {
			x := a[i*n+k]
			if x == 0 {
				continue
			}
			bk := b[k*n : k*n+n]
			for j, y := range bk {
				oi[j] += x * y
			}
		}
	}
	return out
}
