package quality

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestInceptionScoreBounds(t *testing.T) {
	// one-hot predictions spread evenly over 10 classes: IS = 10
	var even []float64
	for i := 0; i < 50; i++ {
		row := make([]float64, 10)
		row[i%10] = 1
		even = append(even, row...)
	}
	if is, err := InceptionScore(even, 10); err != nil || math.Abs(is-10) > 1e-12 {
		t.Errorf("even one-hot: IS = %v, %v; want 10", is, err)
	}
	// every image the same class: IS = 1
	var one []float64
	for i := 0; i < 20; i++ {
		row := make([]float64, 10)
		row[3] = 1
		one = append(one, row...)
	}
	if is, err := InceptionScore(one, 10); err != nil || math.Abs(is-1) > 1e-12 {
		t.Errorf("single class: IS = %v, %v; want 1", is, err)
	}
	// uniform predictions carry no information: IS = 1
	uni := make([]float64, 30)
	for i := range uni {
		uni[i] = 0.1
	}
	if is, err := InceptionScore(uni, 10); err != nil || math.Abs(is-1) > 1e-12 {
		t.Errorf("uniform rows: IS = %v, %v; want 1", is, err)
	}
	// two classes, p(y|x) = (0.9, 0.1) and (0.1, 0.9): p(y) = (½, ½),
	// KL = 0.9 ln 1.8 + 0.1 ln 0.2 for each row
	kl := 0.9*math.Log(1.8) + 0.1*math.Log(0.2)
	if is, err := InceptionScore([]float64{0.9, 0.1, 0.1, 0.9}, 2); err != nil || math.Abs(is-math.Exp(kl)) > 1e-12 {
		t.Errorf("two soft rows: IS = %v, %v; want %v", is, err, math.Exp(kl))
	}
}

func TestInceptionScoreRejects(t *testing.T) {
	for name, p := range map[string][]float64{
		"empty":    {},
		"ragged":   {0.5, 0.5, 1},
		"negative": {1.5, -0.5},
		"NaN":      {math.NaN(), 1},
		"sum":      {0.5, 0.4},
	} {
		if _, err := InceptionScore(p, 2); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSoftmaxRows(t *testing.T) {
	p := softmaxRows([]float64{0, 0, 1000, 1000, 0, -1000}, 3)
	// large logits neither overflow nor lose the winner
	if math.Abs(p[2]-1) > 1e-15 || p[0] > 1e-300 || math.Abs(p[3]-1) > 1e-15 || p[5] != 0 {
		t.Errorf("softmax rows = %v", p)
	}
}

// gaussian returns a Gaussian with the given mean and covariance.
func gaussian(mean, cov []float64) *Gaussian { return &Gaussian{Mean: mean, Cov: cov} }

func TestFrechetClosedForm2x2(t *testing.T) {
	// for 2×2 covariances, tr √M = √(tr M + 2√det M) with M = √Σa Σb √Σa,
	// tr M = tr(Σa Σb) and det M = det Σa · det Σb
	a := gaussian([]float64{1, -2}, []float64{2, 0.5, 0.5, 1})
	b := gaussian([]float64{0, 1}, []float64{1, -0.3, -0.3, 3})
	trAB := 2*1 + 0.5*-0.3 + 0.5*-0.3 + 1*3
	detA, detB := 2*1-0.5*0.5, 1*3-0.3*0.3
	want := 1 + 9 + (2 + 1) + (1 + 3) - 2*math.Sqrt(trAB+2*math.Sqrt(detA*detB))
	got, err := FrechetDistance(a, b)
	if err != nil || math.Abs(got-want) > 1e-12 {
		t.Errorf("FD = %v, %v; want %v", got, err, want)
	}
	// symmetric in its arguments
	back, _ := FrechetDistance(b, a)
	if math.Abs(back-want) > 1e-12 {
		t.Errorf("FD(b, a) = %v, want %v", back, want)
	}
}

func TestFrechetClosedFormScaled(t *testing.T) {
	// Σb = c²Σa: √(√Σa c²Σa √Σa) = cΣa, so FD = ‖Δμ‖² + (1 − c)² tr Σa
	rng := rand.New(rand.NewPCG(11, 12))
	n := 40
	l := make([]float64, n)
	for i := range l {
		l[i] = rng.ExpFloat64()
	}
	l[0] = 0 // singular
	cov := withEigenvalues(randomOrthogonal(rng, n), l)
	tr := 0.0
	for i := 0; i < n; i++ {
		tr += cov[i*n+i]
	}
	ma, mb := make([]float64, n), make([]float64, n)
	dm := 0.0
	for i := range ma {
		ma[i] = rng.NormFloat64()
		mb[i] = rng.NormFloat64()
		dm += (ma[i] - mb[i]) * (ma[i] - mb[i])
	}
	for _, c := range []float64{0, 0.5, 1, 3} {
		covB := append([]float64(nil), cov...)
		for i := range covB {
			covB[i] *= c * c
		}
		got, err := FrechetDistance(gaussian(ma, cov), gaussian(mb, covB))
		want := dm + (1-c)*(1-c)*tr
		if err != nil || math.Abs(got-want) > 1e-9*(1+want) {
			t.Errorf("c=%v: FD = %v, %v; want %v", c, got, err, want)
		}
	}
	// diagonal covariances commute: FD = ‖Δμ‖² + Σ(√aᵢ − √bᵢ)²
	da, db := []float64{4, 0, 0, 1}, []float64{1, 0, 0, 9}
	got, _ := FrechetDistance(gaussian([]float64{0, 0}, da), gaussian([]float64{3, 4}, db))
	if want := 25.0 + 1 + 4; math.Abs(got-want) > 1e-12 {
		t.Errorf("diagonal: FD = %v, want %v", got, want)
	}
}

func TestFitGaussianAndSelfDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	n, d := 500, 12
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64() * float64(1+i%d)
	}
	g, err := FitGaussian(x, n, d)
	if err != nil {
		t.Fatal(err)
	}
	// against a direct two-pass computation
	for j := 0; j < d; j++ {
		m := 0.0
		for i := 0; i < n; i++ {
			m += x[i*d+j]
		}
		m /= float64(n)
		if math.Abs(g.Mean[j]-m) > 1e-12 {
			t.Fatalf("mean[%d] = %v, want %v", j, g.Mean[j], m)
		}
		for k := 0; k < d; k++ {
			mk := g.Mean[k]
			c := 0.0
			for i := 0; i < n; i++ {
				c += (x[i*d+j] - m) * (x[i*d+k] - mk)
			}
			c /= float64(n - 1)
			if math.Abs(g.Cov[j*d+k]-c) > 1e-10*(1+math.Abs(c)) {
				t.Fatalf("cov[%d,%d] = %v, want %v", j, k, g.Cov[j*d+k], c)
			}
		}
	}
	g2, _ := FitGaussian(x, n, d)
	if fd, err := FrechetDistance(g, g2); err != nil || fd > 1e-9 {
		t.Errorf("FD of a set against itself = %v, %v; want 0", fd, err)
	}
	if _, err := FitGaussian(x[:d], 1, d); err == nil {
		t.Error("FitGaussian of one row: no error")
	}
	if _, err := FrechetDistance(g, gaussian([]float64{0}, []float64{1})); err == nil {
		t.Error("FD of different dimensions: no error")
	}
}
