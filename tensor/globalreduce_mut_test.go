package tensor_test

import (
	"math"
	"slices"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestAmaxNonAdjacentAxes reduces axes 0 and 3 of a 4-D tensor (not
// adjacent: the general path, which must not be taken for one block of
// axes 0..3) with Amax and Amin, against a direct loop, values and
// gradients (random values: no ties, each output's gradient goes to its
// extremum alone), and checks the declared counts: one comparison per
// input element less one per output.
func TestAmaxNonAdjacentAxes(t *testing.T) {
	for _, isMax := range []bool{true, false} {
		x := rnd(7, 2, 3, 2, 4).SetRequiresGrad(true)
		var y *Tensor
		if isMax {
			y = Amax(x, 0, 3)
		} else {
			y = Amin(x, 0, 3)
		}
		if !slices.Equal(y.Shape(), []int{3, 2}) {
			t.Fatalf("max=%v: shape %v, want [3 2]", isMax, y.Shape())
		}
		g := rnd(8, 3, 2)
		y.BackwardWith(g)
		wantGrad := make([]float64, x.Len())
		for j := range 3 {
			for k := range 2 {
				best, at := math.NaN(), -1
				for a := range 2 {
					for l := range 4 {
						v := x.At(a, j, k, l)
						if at < 0 || isMax && v > best || !isMax && v < best {
							best, at = v, ((a*3+j)*2+k)*4+l
						}
					}
				}
				if got := y.At(j, k); got != best {
					t.Errorf("max=%v: y[%d,%d] = %v, want %v", isMax, j, k, got, best)
				}
				wantGrad[at] = g.At(j, k)
			}
		}
		if got := x.Grad().Values(); !slices.Equal(got, wantGrad) {
			t.Errorf("max=%v: gradient %v, want %v", isMax, got, wantGrad)
		}
		if c := y.Op().CountsFor(y.Shape(), [][]int{x.Shape()}); c != (Counts{Other: 48 - 6}) {
			t.Errorf("max=%v: counts %+v, want Other: 42", isMax, c)
		}
	}
}

// TestAmaxSignedZeroTies: among equal +0 and −0 the first (in row-major
// order of the reduced elements) is the result, as torch.amax and
// torch.amin give (PyTorch 1.13 on this tensor: amax and amin over axes
// (0, 2), (0, 1), 2 and 0 all give the values below), on every path:
// a contiguous run (the last axis), blocks further apart (axis 0),
// adjacent axes, and axes that are not adjacent.
func TestAmaxSignedZeroTies(t *testing.T) {
	negz := math.Copysign(0, -1)
	x := FromFloat64([]float64{0, negz, negz, 0, negz, negz, 0, negz}, 2, 2, 2)
	want := map[string][]float64{
		"(0, 2)": {0, negz},
		"(0, 1)": {0, negz},
		"2":      {0, negz, negz, 0},
		"0":      {0, negz, negz, 0},
	}
	for _, dt := range []DType{Float64, Float32} {
		xd := To(x, dt)
		for _, f := range []struct {
			name string
			fn   func(*Tensor, ...int) *Tensor
		}{{"Amax", Amax}, {"Amin", Amin}} {
			for axes, w := range want {
				var ax []int
				switch axes {
				case "(0, 2)":
					ax = []int{0, 2}
				case "(0, 1)":
					ax = []int{0, 1}
				case "2":
					ax = []int{2}
				default:
					ax = []int{0}
				}
				got := f.fn(xd, ax...).Values()
				for i := range w {
					if got[i] != 0 || math.Signbit(got[i]) != math.Signbit(w[i]) {
						t.Errorf("%v %s over %s: %v, want %v", dt, f.name, axes, got, w)
						break
					}
				}
			}
		}
	}
}

// TestAmaxNaNTies: a NaN after numbers makes the result NaN for Amin as for
// Amax, and the gradient goes to the NaN elements alone (NaN matches NaN),
// split evenly among them, on the contiguous path and the general one.
func TestAmaxNaNTies(t *testing.T) {
	nan := math.NaN()
	for _, dt := range []DType{Float64, Float32} {
		for _, f := range []struct {
			name string
			fn   func(*Tensor, ...int) *Tensor
		}{{"Amax", Amax}, {"Amin", Amin}} {
			// a row of 4 (last axis), and the same values over axes 0 and 2 of [2,1,2]
			for _, c := range []struct {
				shape []int
				axes  []int
			}{{[]int{1, 4}, []int{1}}, {[]int{2, 1, 2}, []int{0, 2}}} {
				x := To(FromFloat64([]float64{1, nan, 3, nan}, c.shape...), dt).SetRequiresGrad(true)
				y := f.fn(x, c.axes...)
				if v := y.Values(); len(v) != 1 || !math.IsNaN(v[0]) {
					t.Errorf("%v %s %v over %v: %v, want [NaN]", dt, f.name, c.shape, c.axes, v)
				}
				Sum(y).Backward()
				if got, want := x.Grad().Values(), []float64{0, 0.5, 0, 0.5}; !slices.Equal(got, want) {
					t.Errorf("%v %s %v over %v: gradient %v, want %v", dt, f.name, c.shape, c.axes, got, want)
				}
			}
		}
	}
}
