package tensor_test

import (
	"testing"

	"github.com/duboko/duboko/gradcheck"
	. "github.com/duboko/duboko/tensor"
)

// distinct returns a Float64 tensor of a random permutation of 0.1·k, so
// no two elements tie and finite differences never change an argmax.
func distinct(seed uint64, shape ...int) *Tensor {
	n := 1
	for _, s := range shape {
		n *= s
	}
	perm := NewRand(seed).Perm(n)
	v := make([]float64, n)
	for i, p := range perm {
		v[i] = 0.1 * float64(p-n/2)
	}
	return FromFloat64(v, shape...)
}

func TestPoolGradients(t *testing.T) {
	k2, s2, p0 := [2]int{2, 2}, [2]int{2, 2}, [2]int{0, 0}
	k3, p1 := [2]int{3, 3}, [2]int{1, 1}
	cases := []struct {
		name string
		f    func(*Tensor) *Tensor
		x    *Tensor
	}{
		{"MaxPool2d/2x2s2", func(x *Tensor) *Tensor { return MaxPool2d(x, k2, s2, p0) }, distinct(1, 2, 3, 6, 4)},
		{"MaxPool2d/3x3s2p1", func(x *Tensor) *Tensor { return MaxPool2d(x, k3, s2, p1) }, distinct(2, 2, 2, 7, 6)},
		{"MaxPool2d/3x2s1", func(x *Tensor) *Tensor { return MaxPool2d(x, [2]int{3, 2}, [2]int{1, 1}, p0) }, distinct(3, 1, 2, 5, 5)},
		{"AvgPool2d/2x2s2", func(x *Tensor) *Tensor { return AvgPool2d(x, k2, s2, p0) }, rnd(4, 2, 3, 6, 4)},
		{"AvgPool2d/3x3s2p1", func(x *Tensor) *Tensor { return AvgPool2d(x, k3, s2, p1) }, rnd(5, 2, 2, 7, 6)},
		{"GlobalAvgPool2d", GlobalAvgPool2d, rnd(6, 3, 4, 3, 5)},
		{"GlobalMaxPool2d", GlobalMaxPool2d, distinct(7, 3, 4, 3, 5)},
	}
	for _, tc := range cases {
		f := func(in []*Tensor) *Tensor { return tc.f(in[0]) }
		if err := gradcheck.Func(f, []*Tensor{tc.x}).Err(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestMaxPool2dValuesAndTies(t *testing.T) {
	for _, dt := range []DType{Float32, Float64} {
		// One plane 4×4; the top-left window is all ties.
		x := FromValues(dt, []float64{
			1, 1, 0, 5,
			1, 1, 2, -1,
			-3, -2, 7, 7,
			-4, -1, 7, 0,
		}, 1, 1, 4, 4).SetRequiresGrad(true)
		y, idx := MaxPool2dIndices(x, [2]int{2, 2}, [2]int{2, 2}, [2]int{0, 0})
		wantY := []float64{1, 5, -1, 7}
		wantI := []int32{0, 3, 13, 10}
		for i := range wantY {
			if y.Values()[i] != wantY[i] || idx[i] != wantI[i] {
				t.Fatalf("%v: y=%v idx=%v, want %v %v", dt, y.Values(), idx, wantY, wantI)
			}
		}
		y.BackwardWith(FromValues(dt, []float64{1, 2, 3, 4}, 1, 1, 2, 2))
		// The whole gradient goes to the first maximum in row-major order.
		want := []float64{1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 4, 0, 0, 3, 0, 0}
		for i, v := range x.Grad().Values() {
			if v != want[i] {
				t.Fatalf("%v: grad %v, want %v", dt, x.Grad().Values(), want)
			}
		}
		// Padding never wins, even against negative inputs.
		y = MaxPool2d(AddScalar(x.Detach(), -100), [2]int{3, 3}, [2]int{2, 2}, [2]int{1, 1})
		if got := y.Values(); got[0] != -99 || got[3] != -93 {
			t.Fatalf("%v: padded max pool %v", dt, got)
		}
	}
}

func TestAvgAndGlobalPoolValues(t *testing.T) {
	x := FromValues(Float32, []float64{
		1, 2, 3, 4,
		5, 6, 7, 8,
		9, 10, 11, 12,
	}, 1, 1, 3, 4)
	check := func(name string, got *Tensor, want []float64) {
		t.Helper()
		v := got.Values()
		for i := range want {
			if d := v[i] - want[i]; d > 1e-6 || d < -1e-6 {
				t.Fatalf("%s = %v, want %v", name, v, want)
			}
		}
	}
	check("AvgPool2d 2x2", AvgPool2d(x, [2]int{2, 2}, [2]int{2, 2}, [2]int{0, 0}), []float64{3.5, 5.5})
	// count_include_pad: the corner window sees 1+2+5+6 over 9 taps.
	check("AvgPool2d 3x3 p1", AvgPool2d(x, [2]int{3, 3}, [2]int{2, 2}, [2]int{1, 1}), []float64{14.0 / 9, 30.0 / 9, 30.0 / 9, 54.0 / 9})
	check("GlobalAvgPool2d", GlobalAvgPool2d(x), []float64{6.5})
	check("GlobalMaxPool2d", GlobalMaxPool2d(x), []float64{12})
	if s := GlobalMaxPool2d(x).Shape(); len(s) != 2 || s[0] != 1 || s[1] != 1 {
		t.Fatalf("global pool shape %v, want [1 1]", s)
	}
}

func TestPoolShapeErrors(t *testing.T) {
	bad := []func(){
		func() { MaxPool2d(Zeros(2, 3, 4), [2]int{2, 2}, [2]int{2, 2}, [2]int{0, 0}) },
		func() { MaxPool2d(Zeros(1, 1, 4, 4), [2]int{2, 2}, [2]int{2, 2}, [2]int{2, 0}) },
		func() { AvgPool2d(Zeros(1, 1, 2, 2), [2]int{3, 3}, [2]int{1, 1}, [2]int{0, 0}) },
		func() { GlobalAvgPool2d(Zeros(2, 3)) },
	}
	for i, f := range bad {
		func() {
			defer func() {
				if _, ok := recover().(*ShapeError); !ok {
					t.Errorf("case %d: want a *ShapeError panic", i)
				}
			}()
			f()
		}()
	}
}

func BenchmarkMaxPool2d(b *testing.B) {
	for _, bc := range []struct {
		name string
		x    []int
	}{{"50x16x28x28", []int{50, 16, 28, 28}}, {"50x32x14x14", []int{50, 32, 14, 14}}} {
		x := RandN(NewRand(1), bc.x...)
		k := [2]int{2, 2}
		b.Run("Forward/"+bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				MaxPool2dIndices(x, k, k, [2]int{})
			}
		})
		b.Run("Backward/"+bc.name, func(b *testing.B) {
			y, idx := MaxPool2dIndices(x, k, k, [2]int{})
			g := RandN(NewRand(2), y.Shape()...)
			b.ReportAllocs()
			for b.Loop() {
				MaxPool2dBackward(g, idx, bc.x)
			}
		})
	}
}
