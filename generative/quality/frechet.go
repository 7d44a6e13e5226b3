package quality

import (
	"fmt"
	"math"

	"github.com/duboko/duboko/tensor"
)

// Gaussian is a multivariate normal distribution fitted to feature
// vectors: its mean and its covariance (row major, Dim×Dim).
type Gaussian struct {
	Mean []float64
	Cov  []float64
	// N is the number of vectors it was fitted to.
	N int

	sqrtCov []float64 // √Cov, computed on first use by FrechetDistance
}

// Dim returns the dimension of the distribution.
func (g *Gaussian) Dim() int { return len(g.Mean) }

// FitGaussian returns the mean and the unbiased covariance (divided by
// n − 1, as numpy.cov) of the n rows of x, each d values long, computed
// in float64. It needs at least two rows.
func FitGaussian(x []float64, n, d int) (*Gaussian, error) {
	if n < 2 || d < 1 || len(x) != n*d {
		return nil, fmt.Errorf("quality: FitGaussian needs at least 2 rows of %d values, got %d values for %d rows", d, len(x), n)
	}
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range x[i*d : (i+1)*d] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	xc := make([]float64, n*d)
	for i := 0; i < n; i++ {
		for j, v := range x[i*d : (i+1)*d] {
			xc[i*d+j] = v - mean[j]
		}
	}
	var cov []float64
	tensor.NoGrad(func() {
		c := tensor.FromFloat64(xc, n, d)
		cov = tensor.MatMul(tensor.T(c), c).Float64s()
	})
	cov = append([]float64(nil), cov...)
	for i := range cov {
		cov[i] /= float64(n - 1)
	}
	// the product is symmetric in exact arithmetic; make it so in storage
	for i := 0; i < d; i++ {
		for j := i + 1; j < d; j++ {
			s := (cov[i*d+j] + cov[j*d+i]) / 2
			cov[i*d+j], cov[j*d+i] = s, s
		}
	}
	return &Gaussian{Mean: mean, Cov: cov, N: n}, nil
}

// FrechetDistance returns the squared Fréchet (2-Wasserstein) distance
// between the Gaussians a and b,
//
//	‖μa − μb‖² + tr Σa + tr Σb − 2 tr √(√Σa · Σb · √Σa),
//
// computed in float64. √Σa and the trace of the root of the symmetric
// product come from symmetric eigendecompositions (the Jacobi method), so,
// unlike a general matrix square root of Σa·Σb, nothing complex or
// unstable appears; eigenvalues that rounding leaves slightly negative
// count as zero. The result is clamped at 0. √Σa is kept in a for later
// calls, so pass the fixed reference distribution as a.
func FrechetDistance(a, b *Gaussian) (float64, error) {
	d := a.Dim()
	if b.Dim() != d || len(a.Cov) != d*d || len(b.Cov) != d*d {
		return 0, fmt.Errorf("quality: FrechetDistance of Gaussians of dimensions %d and %d", a.Dim(), b.Dim())
	}
	if a.sqrtCov == nil {
		a.sqrtCov = sqrtPSD(a.Cov, d)
	}
	s := a.sqrtCov
	m := mulAB(mulAB(s, b.Cov, d), s, d)
	dist := 0.0
	for i := range a.Mean {
		dm := a.Mean[i] - b.Mean[i]
		dist += dm * dm
	}
	for i := 0; i < d; i++ {
		dist += a.Cov[i*d+i] + b.Cov[i*d+i]
	}
	dist -= 2 * traceSqrtPSD(m, d)
	if math.IsNaN(dist) {
		return 0, fmt.Errorf("quality: FrechetDistance is NaN (non-finite features?)")
	}
	return math.Max(dist, 0), nil
}
