package tensor_test

import (
	. "github.com/duboko/duboko/tensor"
	"math"
	"testing"
)

// TestLinearReLUMatchesComposed checks the fused op against ReLU(Linear)
// on shapes that take the parallel and dot-product GEMM paths, in both
// dtypes: equal outputs and equal gradients for x, w and b.
func TestLinearReLUMatchesComposed(t *testing.T) {
	shapes := [][3]int{{70, 130, 90}, {7, 300, 40}, {300, 10, 64}, {1, 5, 3}}
	for _, dt := range []DType{Float64, Float32} {
		for i, s := range shapes {
			run := func(fused bool) (y *Tensor, grads []*Tensor) {
				x := To(RandN(NewRand(uint64(10+i)), s[0], s[2]), dt)
				w := To(RandN(NewRand(uint64(20+i)), s[1], s[2]), dt)
				b := To(RandN(NewRand(uint64(30+i)), s[1]), dt)
				up := To(RandN(NewRand(uint64(40+i)), s[0], s[1]), dt)
				for _, p := range []*Tensor{x, w, b} {
					p.SetRequiresGrad(true)
				}
				if fused {
					y = LinearReLU(x, w, b)
				} else {
					y = ReLU(Linear(x, w, b))
				}
				y.BackwardWith(up)
				return y, []*Tensor{x.Grad(), w.Grad(), b.Grad()}
			}
			yf, gf := run(true)
			yc, gc := run(false)
			tol := 1e-12
			if dt == Float32 {
				tol = 1e-4
			}
			closeAll(t, "y", yf.Values(), yc.Values(), tol)
			for j, name := range []string{"dx", "dw", "db"} {
				closeAll(t, name, gf[j].Values(), gc[j].Values(), tol)
			}
			for _, v := range yf.Values() {
				if v < 0 {
					t.Fatalf("%v %v: negative output %g", dt, s, v)
				}
			}
		}
	}
}

func closeAll(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol*(1+math.Abs(want[i])) {
			t.Fatalf("%s[%d] = %g, want %g", name, i, got[i], want[i])
		}
	}
}

// TestLinearReLUShapeError checks that misuse names the fused op.
func TestLinearReLUShapeError(t *testing.T) {
	e := mustPanic[*ShapeError](t, "LinearReLU", func() { LinearReLU(Ones(2, 3), Ones(4, 5), nil) })
	if e.Op != "LinearReLU" {
		t.Fatalf("op %q", e.Op)
	}
}

// TestLinearReLUInto checks the destination variant against LinearReLU,
// reusing one destination, and its errors.
func TestLinearReLUInto(t *testing.T) {
	w, b := RandN(NewRand(2), 4, 3), RandN(NewRand(3), 4)
	dst := Zeros(5, 4)
	for seed := uint64(0); seed < 3; seed++ {
		x := RandN(NewRand(10+seed), 5, 3)
		if got := LinearReLUInto(dst, x, w, b); got != dst {
			t.Fatal("LinearReLUInto did not return its destination")
		}
		closeAll(t, "y", dst.Values(), LinearReLU(x, w, b).Values(), 1e-6)
	}
	x := RandN(NewRand(1), 5, 3)
	mustPanic[*ShapeError](t, "destination", func() { LinearReLUInto(Zeros(4, 4), x, w, b) })
	mustPanic[*DTypeError](t, "LinearReLUInto", func() { LinearReLUInto(To(dst, Float64), x, w, b) })
	mustPanic[*GradError](t, "nil destination", func() { LinearReLUInto(nil, x, w, b) })
	wg := RandN(NewRand(4), 4, 3).SetRequiresGrad(true)
	mustPanic[*GradError](t, "NoGrad", func() { LinearReLUInto(dst, x, wg, b) })
	NoGrad(func() { LinearReLUInto(dst, x, wg, b) })
}
