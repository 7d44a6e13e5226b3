package tensor_test

import (
	"math"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	. "github.com/duboko/duboko/tensor"
)

func TestDropoutStatistics(t *testing.T) {
	for _, p := range []float64{0.1, 0.5, 0.8} {
		x := Ones(200, 500)
		y := Dropout(x, p, NewRand(7)).Values()
		kept, sum := 0, 0.0
		for _, v := range y {
			if v != 0 {
				kept++
				if math.Abs(v-1/(1-p)) > 1e-6 {
					t.Fatalf("p=%v: kept value %v, want 1/(1-p)", p, v)
				}
			}
			sum += v
		}
		n := float64(len(y))
		frac := float64(kept) / n
		sd := math.Sqrt(p * (1 - p) / n)
		if math.Abs(frac-(1-p)) > 5*sd {
			t.Errorf("p=%v: kept fraction %.4f, want %.4f ± %.4f", p, frac, 1-p, 5*sd)
		}
		if mean := sum / n; math.Abs(mean-1) > 5*sd/(1-p) {
			t.Errorf("p=%v: mean %v, want 1 (inverted dropout)", p, mean)
		}
	}
}

func TestDropoutEdgesAndSeed(t *testing.T) {
	x := RandN(NewRand(1), 10, 10)
	if y := Dropout(x, 0, NewRand(1)); y != x {
		t.Errorf("p=0 must return x itself")
	}
	for _, v := range Dropout(x, 1, NewRand(1)).Values() {
		if v != 0 {
			t.Fatalf("p=1 must zero everything")
		}
	}
	a, b := Dropout(x, 0.5, NewRand(3)).Values(), Dropout(x, 0.5, NewRand(3)).Values()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different masks")
		}
	}
	defer func() {
		if recover() == nil {
			t.Errorf("p=1.5 must panic")
		}
	}()
	Dropout(x, 1.5, NewRand(1))
}

func TestDropoutGradient(t *testing.T) {
	// The same seed gives the same mask on every call, so finite
	// differences see a fixed linear map.
	f := func(in []*Tensor) *Tensor { return Dropout(in[0], 0.4, NewRand(11)) }
	if err := gradcheck.Func(f, []*Tensor{rnd(1, 3, 4, 5)}).Err(); err != nil {
		t.Error(err)
	}
	x := rnd(2, 4, 6).SetRequiresGrad(true)
	y, mask := DropoutMask(x, 0.3, NewRand(5))
	g := rnd(3, 4, 6)
	y.BackwardWith(g)
	gv, mv, dv := g.Values(), mask.Values(), x.Grad().Values()
	for i := range dv {
		if dv[i] != gv[i]*mv[i] {
			t.Fatalf("grad %v != g·mask %v", dv[i], gv[i]*mv[i])
		}
	}
}
