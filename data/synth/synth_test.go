package synth

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

func TestGauss2DRotatedCov(t *testing.T) {
	for _, tc := range []struct{ e1, e2, theta float64 }{
		{4, 1, 0}, {4, 1, math.Pi / 2}, {9, 0.25, 0.7}, {2, 2, 1.3}, {0, 3, 2},
	} {
		g := NewGauss2DRotated([2]float64{1, 2}, tc.e1, tc.e2, tc.theta)
		c := g.Cov
		if math.Abs(c[0][1]-c[1][0]) > 1e-12 {
			t.Errorf("%v: not symmetric: %v", tc, c)
		}
		tr, det := c[0][0]+c[1][1], c[0][0]*c[1][1]-c[0][1]*c[1][0]
		if math.Abs(tr-(tc.e1+tc.e2)) > 1e-9 || math.Abs(det-tc.e1*tc.e2) > 1e-9 {
			t.Errorf("%v: trace %v det %v, want %v %v", tc, tr, det, tc.e1+tc.e2, tc.e1*tc.e2)
		}
	}
	// θ=0: R is the identity, so Cov = diag(e1, e2).
	g := NewGauss2DRotated([2]float64{}, 4, 1, 0)
	if g.Cov != [2][2]float64{{4, 0}, {0, 1}} {
		t.Errorf("θ=0: %v", g.Cov)
	}
}

func TestGauss2DSampleMoments(t *testing.T) {
	rng := newRNG(3)
	g := NewGauss2DRotated([2]float64{5, -2}, 4, 0.5, 0.6)
	n := 200000
	x := g.Sample(rng, n)
	var m [2]float64
	for i := range n {
		m[0] += x[2*i] / float64(n)
		m[1] += x[2*i+1] / float64(n)
	}
	var c [2][2]float64
	for i := range n {
		d := [2]float64{x[2*i] - m[0], x[2*i+1] - m[1]}
		for a := range 2 {
			for b := range 2 {
				c[a][b] += d[a] * d[b] / float64(n-1)
			}
		}
	}
	for a := range 2 {
		if math.Abs(m[a]-g.Mean[a]) > 0.02 {
			t.Errorf("mean %v, want %v", m, g.Mean)
		}
		for b := range 2 {
			if math.Abs(c[a][b]-g.Cov[a][b]) > 0.05 {
				t.Errorf("cov %v, want %v", c, g.Cov)
			}
		}
	}
}

func TestNewGauss2DInBox(t *testing.T) {
	rng := newRNG(1)
	box := Box{MinX: -3, MaxX: 7, MinY: 10, MaxY: 12}
	for range 1000 {
		g := NewGauss2DIn(rng, box)
		if g.Mean[0] < box.MinX || g.Mean[0] >= box.MaxX || g.Mean[1] < box.MinY || g.Mean[1] >= box.MaxY {
			t.Fatalf("mean %v outside %v", g.Mean, box)
		}
		// Eigenvalues are at most (side/5)² each, so the trace is bounded.
		if tr := g.Cov[0][0] + g.Cov[1][1]; tr > 2*2+0.4*0.4+1e-12 {
			t.Fatalf("trace %v too large", tr)
		}
	}
}

func TestSampleGauss2D(t *testing.T) {
	X, Y := SampleGauss2D(newRNG(5), 3, 10)
	if len(X) != 60 || len(Y) != 30 {
		t.Fatalf("len X %d, Y %d", len(X), len(Y))
	}
	for i, y := range Y {
		if y != i/10 {
			t.Fatalf("Y[%d] = %d", i, y)
		}
	}
	X2, Y2 := SampleGauss2D(newRNG(5), 3, 10)
	X3, _ := SampleGauss2D(newRNG(6), 3, 10)
	if !slices.Equal(X, X2) || !slices.Equal(Y, Y2) {
		t.Fatal("same seed, different data")
	}
	if slices.Equal(X, X3) {
		t.Fatal("different seeds, same data")
	}
}

func TestSampleGMM2D(t *testing.T) {
	X, Y := SampleGMM2D(newRNG(9), 8, 2, 5)
	if len(X) != 80 || len(Y) != 40 {
		t.Fatalf("len X %d, Y %d", len(X), len(Y))
	}
	classes := map[int]bool{}
	for c := range 8 {
		for j := range 5 {
			if Y[c*5+j] != Y[c*5] {
				t.Fatalf("component %d has mixed labels %v", c, Y[c*5:c*5+5])
			}
		}
		if Y[c*5] < 0 || Y[c*5] >= 2 {
			t.Fatalf("label %d outside [0, 2)", Y[c*5])
		}
		classes[Y[c*5]] = true
	}
	if len(classes) != 2 {
		t.Errorf("8 components all got the same class: %v", Y)
	}
	X2, _ := SampleGMM2D(newRNG(9), 8, 2, 5)
	if !slices.Equal(X, X2) {
		t.Fatal("same seed, different data")
	}
}

func TestBlobs(t *testing.T) {
	centers := [][2]float64{{0, 0}, {10, 10}}
	X, Y := Blobs(newRNG(2), centers, 0, 3)
	if !slices.Equal(X, []float64{0, 0, 0, 0, 0, 0, 10, 10, 10, 10, 10, 10}) || !slices.Equal(Y, []int{0, 0, 0, 1, 1, 1}) {
		t.Fatalf("std 0: X %v Y %v", X, Y)
	}
	X, _ = Blobs(newRNG(2), centers, 0.1, 100)
	for i := range 100 {
		if math.Hypot(X[2*i], X[2*i+1]) > 1 {
			t.Fatalf("point %d far from its center: %v", i, X[2*i:2*i+2])
		}
	}
	if f := Float32([]float64{1.5, -2}); !slices.Equal(f, []float32{1.5, -2}) {
		t.Fatal(f)
	}
}

func TestPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"gauss zero classes": func() { SampleGauss2D(newRNG(1), 0, 5) },
		"gauss negative n":   func() { SampleGauss2D(newRNG(1), 2, -1) },
		"gmm zero classes":   func() { SampleGMM2D(newRNG(1), 2, 0, 5) },
		"gmm zero comps":     func() { SampleGMM2D(newRNG(1), 0, 2, 5) },
		"blobs no centers":   func() { Blobs(newRNG(1), nil, 1, 5) },
		"blobs negative std": func() { Blobs(newRNG(1), [][2]float64{{0, 0}}, -1, 5) },
		"negative eig":       func() { NewGauss2DRotated([2]float64{}, -1, 1, 0) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
