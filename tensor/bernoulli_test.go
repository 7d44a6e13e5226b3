package tensor_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

func TestBernoulli(t *testing.T) {
	const n = 200000
	for _, dt := range []DType{Float64, Float32} {
		for _, p := range []float64{0, 0.03, 0.3, 0.5, 0.97, 1} {
			probs := FullOf(dt, p, n).SetRequiresGrad(true)
			s := Bernoulli(probs, NewRand(7))
			if s.DType() != dt || s.Len() != n || !s.IsLeaf() || s.RequiresGrad() {
				t.Fatalf("p=%v %v: dtype %v, len %d, leaf %v", p, dt, s.DType(), s.Len(), s.IsLeaf())
			}
			ones := 0
			for _, v := range s.Values() {
				switch v {
				case 1:
					ones++
				case 0:
				default:
					t.Fatalf("p=%v: sample %v", p, v)
				}
			}
			mean := float64(ones) / n
			// 6 standard deviations of the sample mean; exact at 0 and 1
			if d := math.Abs(mean - p); d > 6*math.Sqrt(p*(1-p)/n) {
				t.Errorf("p=%v %v: mean %v", p, dt, mean)
			}
		}
	}
	// one uniform draw per element in row-major order: element i is 1
	// exactly when that draw is below p[i]
	p := FromFloat64([]float64{0.1, 0.9, 0.5, 0.2, 0.7, 0.4}, 2, 3)
	s := Bernoulli(p, NewRand(3))
	rng := NewRand(3)
	for i, pv := range p.Values() {
		want := 0.0
		if rng.Float64() < pv {
			want = 1
		}
		if s.Flat(i) != want {
			t.Errorf("element %d = %v, want %v", i, s.Flat(i), want)
		}
	}
	if fmt.Sprint(Bernoulli(p, NewRand(3)).Values()) != fmt.Sprint(s.Values()) {
		t.Error("same seed, different samples")
	}
	for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
		var se *ShapeError
		func() {
			defer func() {
				err, _ := recover().(error)
				if !errors.As(err, &se) || se.Op != "Bernoulli" {
					t.Errorf("p=%v: %v, want a ShapeError naming Bernoulli", bad, err)
				}
			}()
			Bernoulli(FromFloat64([]float64{0.5, bad}, 2), NewRand(1))
		}()
	}
}

// Samples of an RBM's hidden units: each is 1 with its probability.
func ExampleBernoulli() {
	p := FromFloat32([]float32{0, 1, 0, 1}, 2, 2)
	fmt.Println(Bernoulli(p, NewRand(1)).Values())
	// Output: [0 1 0 1]
}
