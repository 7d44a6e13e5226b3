// Package synth generates small synthetic 2-D classification data sets, as in
// the first labs of a deep learning course: random Gaussians, Gaussian
// mixtures and blobs.
//
// Every function takes the *rand.Rand to draw from, so results depend only
// on its seed; the package keeps no state. Points come as X, a row-major
// n×2 slice (point i is X[2*i], X[2*i+1]), with class labels Y.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Box is an axis-aligned rectangle.
type Box struct {
	MinX, MaxX, MinY, MaxY float64
}

// CourseBox returns [0,10]×[0,10], the box of the course's Random2DGaussian.
func CourseBox() Box { return Box{0, 10, 0, 10} }

// scaleCov relates the box size to the spread of a Gaussian, as in the
// course: each standard deviation is uniform in [0, side/scaleCov].
const scaleCov = 5

// Gauss2D is a 2-D normal distribution.
type Gauss2D struct {
	Mean [2]float64
	Cov  [2][2]float64 // covariance, symmetric positive semi-definite
	a    [2][2]float64 // Cov = a·aᵀ
}

// NewGauss2D draws a random Gaussian in CourseBox, as the course's
// Random2DGaussian does.
func NewGauss2D(rng *rand.Rand) *Gauss2D { return NewGauss2DIn(rng, CourseBox()) }

// NewGauss2DIn draws a random Gaussian: its mean uniform in box, its
// covariance Rᵀ·diag(λ1, λ2)·R with λk = (u·side/5)², u uniform in [0, 1),
// side the box width (k=1) or height (k=2), and R a rotation by an angle
// uniform in [0, 2π).
func NewGauss2DIn(rng *rand.Rand, box Box) *Gauss2D {
	dw, dh := box.MaxX-box.MinX, box.MaxY-box.MinY
	mean := [2]float64{box.MinX + rng.Float64()*dw, box.MinY + rng.Float64()*dh}
	s1 := rng.Float64() * dw / scaleCov // standard deviations, sqrt of eigenvalues
	s2 := rng.Float64() * dh / scaleCov
	theta := rng.Float64() * 2 * math.Pi
	return NewGauss2DRotated(mean, s1*s1, s2*s2, theta)
}

// NewGauss2DRotated returns the Gaussian with the given mean and covariance
// Rᵀ·diag(eig1, eig2)·R, R = [[cos θ, −sin θ], [sin θ, cos θ]]. It panics on
// a negative eigenvalue.
func NewGauss2DRotated(mean [2]float64, eig1, eig2, theta float64) *Gauss2D {
	if eig1 < 0 || eig2 < 0 {
		panic(fmt.Sprintf("synth.NewGauss2DRotated: negative eigenvalue %v, %v", eig1, eig2))
	}
	c, s := math.Cos(theta), math.Sin(theta)
	// Rᵀ = [[c, s], [−s, c]]; a = Rᵀ·diag(√eig1, √eig2).
	r1, r2 := math.Sqrt(eig1), math.Sqrt(eig2)
	g := &Gauss2D{Mean: mean, a: [2][2]float64{{c * r1, s * r2}, {-s * r1, c * r2}}}
	for i := range 2 {
		for j := range 2 {
			g.Cov[i][j] = g.a[i][0]*g.a[j][0] + g.a[i][1]*g.a[j][1]
		}
	}
	return g
}

// Sample draws n points from g and returns them as an n×2 row-major slice.
func (g *Gauss2D) Sample(rng *rand.Rand, n int) []float64 {
	x := make([]float64, 2*n)
	g.sampleInto(rng, x)
	return x
}

func (g *Gauss2D) sampleInto(rng *rand.Rand, x []float64) {
	for i := 0; i+1 < len(x); i += 2 {
		z0, z1 := rng.NormFloat64(), rng.NormFloat64()
		x[i] = g.Mean[0] + g.a[0][0]*z0 + g.a[0][1]*z1
		x[i+1] = g.Mean[1] + g.a[1][0]*z0 + g.a[1][1]*z1
	}
}

// SampleGauss2D draws nclasses random Gaussians (NewGauss2D) and nsamples
// points from each; the points of Gaussian c have label c. X is
// (nclasses·nsamples)×2, ordered by class.
func SampleGauss2D(rng *rand.Rand, nclasses, nsamples int) (X []float64, Y []int) {
	check("SampleGauss2D", nclasses, nsamples)
	labels := make([]int, nclasses)
	for c := range labels {
		labels[c] = c
	}
	return sampleComponents(rng, labels, nsamples)
}

// SampleGMM2D draws ncomponents random Gaussians (NewGauss2D), gives each a
// random class label in [0, nclasses), and draws nsamples points from each
// with its component's label. X is (ncomponents·nsamples)×2, ordered by
// component.
func SampleGMM2D(rng *rand.Rand, ncomponents, nclasses, nsamples int) (X []float64, Y []int) {
	check("SampleGMM2D", ncomponents, nsamples)
	if nclasses < 1 {
		panic(fmt.Sprintf("synth.SampleGMM2D: %d classes, want at least 1", nclasses))
	}
	labels := make([]int, ncomponents)
	for c := range labels {
		labels[c] = rng.IntN(nclasses)
	}
	return sampleComponents(rng, labels, nsamples)
}

// sampleComponents draws one Gaussian per label, then nsamples points of
// each. Like the course code, all Gaussians are drawn before any point.
func sampleComponents(rng *rand.Rand, labels []int, nsamples int) ([]float64, []int) {
	gs := make([]*Gauss2D, len(labels))
	for i := range gs {
		gs[i] = NewGauss2D(rng)
	}
	X := make([]float64, 2*len(labels)*nsamples)
	Y := make([]int, len(labels)*nsamples)
	for i, g := range gs {
		g.sampleInto(rng, X[2*i*nsamples:2*(i+1)*nsamples])
		for j := range nsamples {
			Y[i*nsamples+j] = labels[i]
		}
	}
	return X, Y
}

// Blobs draws nPerCenter points around each center from an isotropic normal
// with standard deviation std; points around centers[c] have label c.
func Blobs(rng *rand.Rand, centers [][2]float64, std float64, nPerCenter int) (X []float64, Y []int) {
	check("Blobs", len(centers), nPerCenter)
	if std < 0 {
		panic(fmt.Sprintf("synth.Blobs: negative std %v", std))
	}
	X = make([]float64, 2*len(centers)*nPerCenter)
	Y = make([]int, len(centers)*nPerCenter)
	for c, m := range centers {
		for j := range nPerCenter {
			k := c*nPerCenter + j
			X[2*k] = m[0] + std*rng.NormFloat64()
			X[2*k+1] = m[1] + std*rng.NormFloat64()
			Y[k] = c
		}
	}
	return X, Y
}

// Float32 converts x to float32, for data.NewInMemory.
func Float32(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

func check(fn string, groups, n int) {
	if groups < 1 || n < 0 {
		panic(fmt.Sprintf("synth.%s: %d groups of %d samples, want at least 1 group and n >= 0", fn, groups, n))
	}
}
