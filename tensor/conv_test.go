package tensor_test

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	. "github.com/duboko/duboko/tensor"
)

// naiveConv2d is the textbook six-loop convolution, the oracle for Conv2d.
func naiveConv2d(x, w, b *Tensor, s, p, d [2]int) []float64 {
	xs, ws := x.Shape(), w.Shape()
	n, c, h, wd := xs[0], xs[1], xs[2], xs[3]
	f, kh, kw := ws[0], ws[2], ws[3]
	oh := (h+2*p[0]-d[0]*(kh-1)-1)/s[0] + 1
	ow := (wd+2*p[1]-d[1]*(kw-1)-1)/s[1] + 1
	out := make([]float64, 0, n*f*oh*ow)
	for in := 0; in < n; in++ {
		for fi := 0; fi < f; fi++ {
			for i := 0; i < oh; i++ {
				for j := 0; j < ow; j++ {
					acc := 0.0
					if b != nil {
						acc = b.At(fi)
					}
					for ci := 0; ci < c; ci++ {
						for ki := 0; ki < kh; ki++ {
							for kj := 0; kj < kw; kj++ {
								ih, iw := i*s[0]-p[0]+ki*d[0], j*s[1]-p[1]+kj*d[1]
								if ih < 0 || ih >= h || iw < 0 || iw >= wd {
									continue
								}
								acc += x.At(in, ci, ih, iw) * w.At(fi, ci, ki, kj)
							}
						}
					}
					out = append(out, acc)
				}
			}
		}
	}
	return out
}

type convCase struct {
	name        string
	x, w        []int
	bias        bool
	stride, pad [2]int
	dil         [2]int
}

var convCases = []convCase{
	{"1x1", []int{2, 3, 4, 4}, []int{2, 3, 1, 1}, true, [2]int{1, 1}, [2]int{0, 0}, [2]int{1, 1}},
	{"3x3", []int{2, 2, 5, 5}, []int{3, 2, 3, 3}, true, [2]int{1, 1}, [2]int{0, 0}, [2]int{1, 1}},
	{"3x3/pad1", []int{2, 2, 5, 4}, []int{3, 2, 3, 3}, false, [2]int{1, 1}, [2]int{1, 1}, [2]int{1, 1}},
	{"stride2/pad1", []int{3, 2, 7, 6}, []int{2, 2, 3, 3}, true, [2]int{2, 2}, [2]int{1, 1}, [2]int{1, 1}},
	{"dilation2", []int{2, 2, 7, 7}, []int{2, 2, 3, 3}, true, [2]int{1, 1}, [2]int{2, 1}, [2]int{2, 2}},
	{"rect/mixed", []int{2, 3, 8, 6}, []int{4, 3, 2, 3}, true, [2]int{2, 1}, [2]int{1, 0}, [2]int{1, 2}},
	{"5x5/pad2", []int{4, 1, 8, 8}, []int{3, 1, 5, 5}, true, [2]int{1, 1}, [2]int{2, 2}, [2]int{1, 1}},
	// 14×14 and 6×10 outputs: the image-at-a-time path pads their columns
	// matrices to whole GEMM panels (196 → 208 or 200, 60 → 64 values).
	{"14x14/5x5/pad2", []int{2, 3, 14, 14}, []int{5, 3, 5, 5}, true, [2]int{1, 1}, [2]int{2, 2}, [2]int{1, 1}},
	{"6x10/3x3/pad1", []int{2, 2, 6, 10}, []int{3, 2, 3, 3}, false, [2]int{1, 1}, [2]int{1, 1}, [2]int{1, 1}},
}

func TestConv2dValues(t *testing.T) {
	for _, tc := range convCases {
		for _, dt := range []DType{Float64, Float32} {
			x, w := To(rnd(1, tc.x...), dt), To(rnd(2, tc.w...), dt)
			var b *Tensor
			if tc.bias {
				b = To(rnd(3, tc.w[0]), dt)
			}
			got := Conv2d(x, w, b, tc.stride, tc.pad, tc.dil).Values()
			want := naiveConv2d(x, w, b, tc.stride, tc.pad, tc.dil)
			if len(got) != len(want) {
				t.Fatalf("%s %v: %d outputs, want %d", tc.name, dt, len(got), len(want))
			}
			tol := 1e-12
			if dt == Float32 {
				tol = 1e-5
			}
			for i := range got {
				if math.Abs(got[i]-want[i]) > tol*(1+math.Abs(want[i])) {
					t.Fatalf("%s %v: out[%d] = %v, want %v", tc.name, dt, i, got[i], want[i])
				}
			}
		}
	}
}

func TestConv2dGradients(t *testing.T) {
	for _, tc := range convCases {
		in := []*Tensor{rnd(1, tc.x...), rnd(2, tc.w...)}
		if tc.bias {
			in = append(in, rnd(3, tc.w[0]))
		}
		f := func(in []*Tensor) *Tensor {
			var b *Tensor
			if len(in) > 2 {
				b = in[2]
			}
			return Conv2d(in[0], in[1], b, tc.stride, tc.pad, tc.dil)
		}
		if err := gradcheck.Func(f, in).Err(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// TestConv2dBatchSplit checks a batch large enough to be split over
// workers against per-image convolutions, for all three gradients.
func TestConv2dBatchSplit(t *testing.T) {
	x, w, b := rnd(1, 24, 4, 12, 12).SetRequiresGrad(true), rnd(2, 16, 4, 5, 5).SetRequiresGrad(true), rnd(3, 16).SetRequiresGrad(true)
	s, p, d := [2]int{1, 1}, [2]int{2, 2}, [2]int{1, 1}
	y := Conv2d(x, w, b, s, p, d)
	g := rnd(4, y.Shape()...)
	y.BackwardWith(g)
	dw, db := w.Grad().Values(), b.Grad().Values()
	dx := x.Grad().Values()
	sumW, sumB := make([]float64, len(dw)), make([]float64, len(db))
	for i := 0; i < 24; i++ {
		xi := Slice(x.Detach(), 0, i, i+1)
		w.ZeroGrad()
		b.ZeroGrad()
		xi.SetRequiresGrad(true)
		Conv2d(xi, w, b, s, p, d).BackwardWith(Slice(g, 0, i, i+1))
		for j, v := range w.Grad().Values() {
			sumW[j] += v
		}
		for j, v := range b.Grad().Values() {
			sumB[j] += v
		}
		for j, v := range xi.Grad().Values() {
			if math.Abs(v-dx[i*xi.Len()+j]) > 1e-9 {
				t.Fatalf("dx image %d differs", i)
			}
		}
	}
	if e := gradcheck.RelError(dw, sumW); e > 1e-10 {
		t.Errorf("dW batch vs per-image rel.err %g", e)
	}
	if e := gradcheck.RelError(db, sumB); e > 1e-10 {
		t.Errorf("db batch vs per-image rel.err %g", e)
	}
}

func TestConv2dShapeErrors(t *testing.T) {
	bad := []func(){
		func() { Conv2d(Zeros(1, 2, 5, 5), Zeros(3, 3, 3, 3), nil, [2]int{1, 1}, [2]int{0, 0}, [2]int{1, 1}) },
		func() { Conv2d(Zeros(1, 2, 2, 2), Zeros(3, 2, 3, 3), nil, [2]int{1, 1}, [2]int{0, 0}, [2]int{1, 1}) },
		func() {
			Conv2d(Zeros(1, 2, 5, 5), Zeros(3, 2, 3, 3), Zeros(2), [2]int{1, 1}, [2]int{0, 0}, [2]int{1, 1})
		},
		func() { Conv2d(Zeros(1, 2, 5, 5), Zeros(3, 2, 3, 3), nil, [2]int{0, 1}, [2]int{0, 0}, [2]int{1, 1}) },
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

// MNIST CNN shapes (course lab 2, batch 50).
var convBenchCases = []struct {
	name string
	x, w []int
}{
	{"conv1_50x1x28x28_16x5x5", []int{50, 1, 28, 28}, []int{16, 1, 5, 5}},
	{"conv2_50x16x14x14_32x5x5", []int{50, 16, 14, 14}, []int{32, 16, 5, 5}},
}

func BenchmarkConv2dForward(b *testing.B) {
	for _, bc := range convBenchCases {
		b.Run(bc.name, func(b *testing.B) {
			x, w, bias := RandN(NewRand(1), bc.x...), RandN(NewRand(2), bc.w...), RandN(NewRand(3), bc.w[0])
			b.ReportAllocs()
			for b.Loop() {
				Conv2d(x, w, bias, [2]int{1, 1}, [2]int{2, 2}, [2]int{1, 1})
			}
		})
	}
}

func BenchmarkConv2dBackward(b *testing.B) {
	for _, bc := range convBenchCases {
		b.Run(bc.name, func(b *testing.B) {
			x, w, bias := RandN(NewRand(1), bc.x...), RandN(NewRand(2), bc.w...), RandN(NewRand(3), bc.w[0])
			s, p, d := [2]int{1, 1}, [2]int{2, 2}, [2]int{1, 1}
			g := RandN(NewRand(4), bc.x[0], bc.w[0], bc.x[2], bc.x[3])
			b.ReportAllocs()
			for b.Loop() {
				Conv2dBackwardInput(g, w, bc.x, s, p, d)
				Conv2dBackwardWeight(g, x, bc.w, s, p, d)
				Conv2dBackwardBias(g)
			}
			_ = bias
		})
	}
}

// A 3×3 image convolved with a 2×2 kernel that sums each window and adds 1.
func ExampleConv2d() {
	x := FromFloat32([]float32{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3)
	w := Ones(1, 1, 2, 2)
	b := Ones(1)
	y := Conv2d(x, w, b, [2]int{1, 1}, [2]int{0, 0}, [2]int{1, 1})
	fmt.Println(y.Shape(), y.Values())
	// Output: [1 1 2 2] [13 17 25 29]
}

// Max pooling sends each output's gradient to the first maximum of its
// window.
func ExampleMaxPool2d() {
	x := FromFloat32([]float32{1, 3, 3, 0, 2, 2, 2, 2, 5, 1, 0, 9, 1, 5, 8, 9}, 1, 1, 4, 4).SetRequiresGrad(true)
	y := MaxPool2d(x, [2]int{2, 2}, [2]int{2, 2}, [2]int{0, 0})
	y.BackwardWith(Ones(1, 1, 2, 2))
	fmt.Println(y.Values())
	fmt.Println(x.Grad().Values())
	// Output:
	// [3 3 5 9]
	// [0 1 1 0 0 0 0 0 1 0 0 1 0 0 0 0]
}

// TestConv2dFusedPath checks the image-at-a-time path (conv_fused.go)
// against the batch-wide chunked path, for both dtypes, uneven splits of
// the batch over the workers, and the explicit backward functions.
func TestConv2dFusedPath(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	defer SetConvFusedOff(false)
	defer SetConvFusedMinOut(SetConvFusedMinOut(1)) // the cases' planes are small
	padded, paddedIm2col := 0, 0
	for _, tc := range convCases {
		if ConvFusedPadded(tc.x, tc.w, tc.stride, tc.pad, tc.dil) {
			padded++
		}
		if ConvFusedPaddedIm2col(tc.x, tc.w, tc.stride, tc.pad, tc.dil) {
			paddedIm2col++
		}
		for _, n := range []int{4, 7} {
			xs := append([]int{n}, tc.x[1:]...)
			for _, dt := range []DType{Float64, Float32} {
				SetConvFusedOff(false)
				if !ConvUsesFused(xs, tc.w, tc.stride, tc.pad, tc.dil) {
					t.Fatalf("%s n=%d: fused path not taken", tc.name, n)
				}
				compareConvFused(t, tc, xs, dt, fmt.Sprintf("n=%d %v: %%s fused vs chunked", n, dt))
			}
		}
	}
	if padded < 2 || paddedIm2col < 2 {
		t.Errorf("%d cases with padded products and %d with kernel.Im2colPadded, want at least 2 each", padded, paddedIm2col)
	}
}

// compareConvFused runs tc on an input of shape xs in dtype dt through the
// image-at-a-time path and through the batch-wide chunked path, and
// compares the outputs, the autodiff gradients of x and w and the explicit
// backward functions' (float64 to 1e-12; float32 to 5e-4, as the
// summation order differs); what names the comparison, with a %s for the
// quantity.
func compareConvFused(t *testing.T, tc convCase, xs []int, dt DType, what string) {
	t.Helper()
	run := func(off bool) [][]float64 {
		SetConvFusedOff(off)
		x, w := To(rnd(1, xs...), dt).SetRequiresGrad(true), To(rnd(2, tc.w...), dt).SetRequiresGrad(true)
		var b *Tensor
		if tc.bias {
			b = To(rnd(3, tc.w[0]), dt).SetRequiresGrad(true)
		}
		y := Conv2d(x, w, b, tc.stride, tc.pad, tc.dil)
		if y.Op().Fused == off {
			t.Fatalf("%s %v: fused off=%v, but the record says Fused=%v", tc.name, dt, off, y.Op().Fused)
		}
		gr := To(rnd(4, y.Shape()...), dt)
		y.BackwardWith(gr)
		dxE := Conv2dBackwardInput(gr, w.Detach(), xs, tc.stride, tc.pad, tc.dil)
		dwE := Conv2dBackwardWeight(gr, x.Detach(), tc.w, tc.stride, tc.pad, tc.dil)
		return [][]float64{y.Values(), x.Grad().Values(), w.Grad().Values(), dxE.Values(), dwE.Values()}
	}
	got, want := run(false), run(true)
	tol := 1e-12
	if dt == Float32 {
		tol = 5e-4 // summation order differs (float64 checks the logic)
	}
	for k, name := range []string{"y", "dx", "dw", "dx explicit", "dw explicit"} {
		if e := gradcheck.RelError(got[k], want[k]); e > tol {
			t.Errorf("%s: "+what+" rel.err %g", tc.name, name, e)
		}
	}
}
