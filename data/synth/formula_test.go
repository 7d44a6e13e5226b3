package synth

import (
	"math"
	"slices"
	"testing"
)

// The package promises that results depend only on the generator's seed and
// documents how each draw is made; these tests replay the documented recipe
// on a twin generator (same seed) and compare exactly.

// TestNewGauss2DInRecipe: mean uniform in the box, standard deviations
// u·side/5, angle uniform in [0, 2π), drawn in that order.
func TestNewGauss2DInRecipe(t *testing.T) {
	box := Box{MinX: -3, MaxX: 7, MinY: 10, MaxY: 12}
	rng, twin := newRNG(11), newRNG(11)
	for range 20 {
		g := NewGauss2DIn(rng, box)
		mean := [2]float64{box.MinX + twin.Float64()*10, box.MinY + twin.Float64()*2}
		s1, s2 := twin.Float64()*10/5, twin.Float64()*2/5
		want := NewGauss2DRotated(mean, s1*s1, s2*s2, twin.Float64()*2*math.Pi)
		if g.Mean != want.Mean || g.Cov != want.Cov {
			t.Fatalf("got mean %v cov %v, want %v %v", g.Mean, g.Cov, want.Mean, want.Cov)
		}
	}
}

// TestSampleGauss2DRecipe: all Gaussians are drawn first, then the points
// of each in turn.
func TestSampleGauss2DRecipe(t *testing.T) {
	X, Y := SampleGauss2D(newRNG(4), 3, 7)
	twin := newRNG(4)
	gs := []*Gauss2D{NewGauss2D(twin), NewGauss2D(twin), NewGauss2D(twin)}
	var want []float64
	for _, g := range gs {
		want = append(want, g.Sample(twin, 7)...)
	}
	if !slices.Equal(X, want) {
		t.Fatalf("X = %v, want %v", X, want)
	}
	if len(Y) != 21 || Y[6] != 0 || Y[7] != 1 || Y[20] != 2 {
		t.Fatalf("Y = %v", Y)
	}
}

// TestBlobsRecipe: point k around center c is c + std·(z1, z2).
func TestBlobsRecipe(t *testing.T) {
	centers := [][2]float64{{1, -2}, {30, 40}}
	X, Y := Blobs(newRNG(8), centers, 0.5, 4)
	twin := newRNG(8)
	for k := range 8 {
		c := centers[k/4]
		want := [2]float64{c[0] + 0.5*twin.NormFloat64(), c[1] + 0.5*twin.NormFloat64()}
		if X[2*k] != want[0] || X[2*k+1] != want[1] || Y[k] != k/4 {
			t.Fatalf("point %d = %v label %d, want %v label %d", k, X[2*k:2*k+2], Y[k], want, k/4)
		}
	}
}

// TestSmallestArguments: one group, no samples, one class and a zero
// eigenvalue are all valid.
func TestSmallestArguments(t *testing.T) {
	if X, Y := SampleGauss2D(newRNG(1), 2, 0); len(X) != 0 || len(Y) != 0 {
		t.Errorf("0 samples: X %v Y %v", X, Y)
	}
	if X, Y := Blobs(newRNG(1), [][2]float64{{3, 4}}, 0, 2); !slices.Equal(X, []float64{3, 4, 3, 4}) || !slices.Equal(Y, []int{0, 0}) {
		t.Errorf("one center: X %v Y %v", X, Y)
	}
	if _, Y := SampleGMM2D(newRNG(1), 3, 1, 2); !slices.Equal(Y, []int{0, 0, 0, 0, 0, 0}) {
		t.Errorf("one class: Y %v", Y)
	}
	g := NewGauss2DRotated([2]float64{}, 4, 0, 0)
	if g.Cov != [2][2]float64{{4, 0}, {0, 0}} {
		t.Errorf("eigenvalues 4, 0: cov %v", g.Cov)
	}
}
