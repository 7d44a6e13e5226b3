package tensor_test

import (
	"math"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	. "github.com/duboko/duboko/tensor"
)

func TestBatchNormGradients(t *testing.T) {
	for _, shape := range [][]int{{6, 3}, {3, 2, 3, 4}} {
		c := shape[1]
		for _, training := range []bool{true, false} {
			rm, rv := rnd(9, c), pos(10, c)
			f := func(in []*Tensor) *Tensor {
				return BatchNorm(in[0], in[1], in[2], rm, rv, training, 0.1, 1e-5)
			}
			in := []*Tensor{rnd(1, shape...), pos(2, c), rnd(3, c)}
			if err := gradcheck.Func(f, in).Err(); err != nil {
				t.Errorf("%v training=%v: %v", shape, training, err)
			}
			// Without affine parameters.
			g := func(in []*Tensor) *Tensor { return BatchNorm(in[0], nil, nil, rm, rv, training, 0.1, 1e-5) }
			if err := gradcheck.Func(g, []*Tensor{rnd(4, shape...)}).Err(); err != nil {
				t.Errorf("%v training=%v no affine: %v", shape, training, err)
			}
		}
	}
}

func TestBatchNormValues(t *testing.T) {
	for _, dt := range []DType{Float64, Float32} {
		// Two channels, N=2, 2 pixels: channel 0 holds 1,3,5,7; channel 1 holds 2,2,4,4.
		x := FromValues(dt, []float64{1, 3, 2, 2, 5, 7, 4, 4}, 2, 2, 2, 1)
		gamma, beta := FromValues(dt, []float64{2, 1}, 2), FromValues(dt, []float64{0.5, -1}, 2)
		rm, rv := FromValues(dt, []float64{0, 1}, 2), FromValues(dt, []float64{1, 2}, 2)
		eps := 1e-5
		y := BatchNorm(x, gamma, beta, rm, rv, true, 0.1, eps).Values()
		// channel 0: mean 4, biased var 5, unbiased 20/3; channel 1: mean 3, var 1, unbiased 4/3.
		s0, s1 := 1/math.Sqrt(5+eps), 1/math.Sqrt(1+eps)
		want := []float64{2*(1-4)*s0 + 0.5, 2*(3-4)*s0 + 0.5, (2-3)*s1 - 1, (2-3)*s1 - 1,
			2*(5-4)*s0 + 0.5, 2*(7-4)*s0 + 0.5, (4-3)*s1 - 1, (4-3)*s1 - 1}
		tol := 1e-12
		if dt == Float32 {
			tol = 1e-5
		}
		for i := range want {
			if math.Abs(y[i]-want[i]) > tol {
				t.Fatalf("%v: y = %v, want %v", dt, y, want)
			}
		}
		wantRM := []float64{0.9*0 + 0.1*4, 0.9*1 + 0.1*3}
		wantRV := []float64{0.9*1 + 0.1*20.0/3, 0.9*2 + 0.1*4.0/3}
		for i := 0; i < 2; i++ {
			if math.Abs(rm.At(i)-wantRM[i]) > tol || math.Abs(rv.At(i)-wantRV[i]) > tol {
				t.Fatalf("%v: running %v %v, want %v %v", dt, rm.Values(), rv.Values(), wantRM, wantRV)
			}
		}
		// Evaluation uses (and keeps) the running statistics.
		ye := BatchNorm(x, gamma, beta, rm, rv, false, 0.1, eps).Values()
		for i, xv := range x.Values() {
			ch := (i / 2) % 2
			w := gamma.At(ch)*(xv-wantRM[ch])/math.Sqrt(wantRV[ch]+eps) + beta.At(ch)
			if math.Abs(ye[i]-w) > tol {
				t.Fatalf("%v: eval y[%d] = %v, want %v", dt, i, ye[i], w)
			}
		}
		if math.Abs(rm.At(0)-wantRM[0]) > tol {
			t.Fatalf("eval changed the running mean")
		}
	}
}

func TestBatchNormBackwardMatchesAutodiff(t *testing.T) {
	for _, training := range []bool{true, false} {
		x, gamma, beta := rnd(1, 4, 3, 2, 2).SetRequiresGrad(true), pos(2, 3).SetRequiresGrad(true), rnd(3, 3).SetRequiresGrad(true)
		rm, rv := rnd(4, 3), pos(5, 3)
		y, mean, inv := BatchNormStats(x, gamma, beta, rm, rv, training, 0.1, 1e-5)
		g := rnd(6, 4, 3, 2, 2)
		y.BackwardWith(g)
		dx, dg, db := BatchNormBackward(g, x.Detach(), gamma.Detach(), mean, inv, training)
		for _, p := range []struct {
			name string
			a, b *Tensor
		}{{"x", dx, x.Grad()}, {"gamma", dg, gamma.Grad()}, {"beta", db, beta.Grad()}} {
			if e := gradcheck.RelError(p.a.Values(), p.b.Values()); e > 1e-12 {
				t.Errorf("training=%v %s: explicit vs autodiff rel.err %g", training, p.name, e)
			}
		}
	}
}
