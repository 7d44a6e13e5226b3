package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// poolCase is one pooling geometry for the tests.
type poolCase struct{ n, c, h, w, kh, kw, strideH, strideW, padH, padW int }

func (g poolCase) String() string {
	return fmt.Sprintf("%dx%dx%dx%d_k%dx%d_s%d,%d_p%d,%d", g.n, g.c, g.h, g.w, g.kh, g.kw,
		g.strideH, g.strideW, g.padH, g.padW)
}

// poolCases: size 1, primes, odd sizes with the 2×2 fast path, padding,
// strides 1/2/3, kernels bigger than the stride, and a batch big enough to
// be split across workers.
var poolCases = []poolCase{
	{1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
	{1, 1, 2, 2, 2, 2, 2, 2, 0, 0},
	{2, 3, 7, 5, 2, 2, 2, 2, 0, 0},
	{1, 2, 5, 7, 3, 3, 2, 2, 1, 1},
	{2, 1, 11, 13, 3, 2, 3, 1, 1, 1},
	{1, 3, 13, 11, 5, 3, 2, 3, 2, 0},
	{3, 2, 6, 6, 3, 3, 1, 1, 1, 1},
	{1, 1, 4, 9, 4, 2, 3, 2, 2, 1},
	{8, 16, 28, 28, 2, 2, 2, 2, 0, 0},
	{8, 16, 15, 15, 3, 3, 2, 2, 1, 1},
}

// maxPoolNaive is the reference: the full window with padding as -inf,
// strict > (first max wins) and PyTorch's NaN rule.
func maxPoolNaive[T float32 | float64](src []T, g poolCase) ([]T, []int32) {
	outH, outW := PoolOutSize(g.h, g.kh, g.padH, g.strideH), PoolOutSize(g.w, g.kw, g.padW, g.strideW)
	dst := make([]T, g.n*g.c*outH*outW)
	am := make([]int32, len(dst))
	for p := 0; p < g.n*g.c; p++ {
		for oh := 0; oh < outH; oh++ {
			for ow := 0; ow < outW; ow++ {
				m, idx := math.Inf(-1), -1
				for ki := 0; ki < g.kh; ki++ {
					for kj := 0; kj < g.kw; kj++ {
						ih, iw := oh*g.strideH-g.padH+ki, ow*g.strideW-g.padW+kj
						if ih < 0 || ih >= g.h || iw < 0 || iw >= g.w {
							continue
						}
						v := float64(src[p*g.h*g.w+ih*g.w+iw])
						if idx < 0 || v > m || math.IsNaN(v) {
							m, idx = v, ih*g.w+iw
						}
					}
				}
				o := p*outH*outW + oh*outW + ow
				dst[o], am[o] = T(m), int32(idx)
			}
		}
	}
	return dst, am
}

// avgPoolNaive is the count_include_pad=true reference.
func avgPoolNaive[T float32 | float64](src []T, g poolCase) []T {
	outH, outW := PoolOutSize(g.h, g.kh, g.padH, g.strideH), PoolOutSize(g.w, g.kw, g.padW, g.strideW)
	dst := make([]T, g.n*g.c*outH*outW)
	for p := 0; p < g.n*g.c; p++ {
		for oh := 0; oh < outH; oh++ {
			for ow := 0; ow < outW; ow++ {
				var s float64
				for ki := 0; ki < g.kh; ki++ {
					for kj := 0; kj < g.kw; kj++ {
						ih, iw := oh*g.strideH-g.padH+ki, ow*g.strideW-g.padW+kj
						if ih >= 0 && ih < g.h && iw >= 0 && iw < g.w {
							s += float64(src[p*g.h*g.w+ih*g.w+iw])
						}
					}
				}
				dst[p*outH*outW+oh*outW+ow] = T(s / float64(g.kh*g.kw))
			}
		}
	}
	return dst
}

func testPool[T float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, g := range poolCases {
		outH, outW := PoolOutSize(g.h, g.kh, g.padH, g.strideH), PoolOutSize(g.w, g.kw, g.padW, g.strideW)
		hw, ohw := g.h*g.w, outH*outW
		src := ewRandSlice[T](rng, g.n*g.c*hw)
		// Quantise so that ties are frequent.
		for i := range src {
			src[i] = T(math.Round(float64(src[i]) * 3))
		}

		want, wantAM := maxPoolNaive(src, g)
		got, am := make([]T, len(want)), make([]int32, len(want))
		MaxPool2d(src, g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, got, am)
		ewCheckSlices(t, "MaxPool2d "+g.String(), got, want)
		for i := range am {
			if am[i] != wantAM[i] {
				t.Fatalf("MaxPool2d %v: argmax[%d] = %d, want %d", g, i, am[i], wantAM[i])
			}
		}
		got2 := make([]T, len(want))
		MaxPool2d(src, g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, got2, nil)
		ewCheckSlices(t, "MaxPool2d nil argmax "+g.String(), got2, want)

		gradOut := ewRandSlice[T](rng, len(want))
		gradIn := ewRandSlice[T](rng, len(src))
		wantGI := append([]T(nil), gradIn...)
		for i, idx := range wantAM {
			wantGI[i/ohw*hw+int(idx)] += gradOut[i]
		}
		MaxPool2dBackward(gradOut, am, g.n, g.c, g.h, g.w, outH, outW, gradIn)
		ewCheckSlices(t, "MaxPool2dBackward "+g.String(), gradIn, wantGI)

		wantAvg := avgPoolNaive(src, g)
		AvgPool2d(src, g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, got)
		ewCheckSlices(t, "AvgPool2d "+g.String(), got, wantAvg)

		// AvgPool2dBackward is the adjoint of AvgPool2d:
		// <AvgPool2d(x), gy> == <x, AvgPool2dBackward(gy)>.
		gx := make([]T, len(src))
		AvgPool2dBackward(gradOut, g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, gx)
		if lhs, rhs := Dot(wantAvg, gradOut), Dot(src, gx); !ewClose(lhs, rhs, float64(len(src))) {
			t.Fatalf("AvgPool2dBackward %v not adjoint: %v vs %v", g, lhs, rhs)
		}
	}
}

func TestPoolFloat32(t *testing.T) { testPool[float32](t) }
func TestPoolFloat64(t *testing.T) { testPool[float64](t) }

// TestMaxPoolTies checks that the first maximum in row-major window order
// wins, in both the 2×2 fast path and the general path.
func TestMaxPoolTies(t *testing.T) {
	src := []float32{
		5, 5, 1,
		5, 5, 1,
		1, 1, 1,
	}
	dst, am := make([]float32, 1), make([]int32, 1)
	MaxPool2d(src, 1, 1, 3, 3, 2, 2, 2, 2, 0, 0, dst, am) // fast path
	if dst[0] != 5 || am[0] != 0 {
		t.Fatalf("2x2 tie: max %v at %d, want 5 at 0", dst[0], am[0])
	}
	dst, am = make([]float32, 4), make([]int32, 4)
	MaxPool2d(src, 1, 1, 3, 3, 2, 2, 1, 1, 0, 0, dst, am) // general path
	if want := []int32{0, 1, 3, 4}; fmt.Sprint(am) != fmt.Sprint(want) {
		t.Fatalf("stride-1 ties: argmax %v, want %v", am, want)
	}
	tie := []float64{0, 2, 2, 0}
	d64, a64 := make([]float64, 1), make([]int32, 1)
	GlobalMaxPool(tie, 1, 1, 4, d64, a64)
	if d64[0] != 2 || a64[0] != 1 {
		t.Fatalf("global tie: max %v at %d, want 2 at 1", d64[0], a64[0])
	}
}

// TestMaxPoolNaN checks PyTorch's rule: NaN beats numbers, a later NaN
// replaces an earlier one, a number after a NaN does not.
func TestMaxPoolNaN(t *testing.T) {
	nan := float32(math.NaN())
	src := []float32{nan, 9, nan, 9}
	for _, path := range []struct {
		name   string
		kh, kw int
	}{{"fast", 2, 2}, {"general", 2, 2}} {
		dst, am := make([]float32, 1), make([]int32, 1)
		if path.name == "fast" {
			MaxPool2d(src, 1, 1, 2, 2, 2, 2, 2, 2, 0, 0, dst, am)
		} else {
			MaxPool2d(src, 1, 1, 2, 2, 2, 2, 1, 1, 0, 0, dst, am)
		}
		if dst[0] == dst[0] || am[0] != 2 {
			t.Fatalf("%s: max %v at %d, want NaN at 2", path.name, dst[0], am[0])
		}
	}
	dst, am := make([]float32, 1), make([]int32, 1)
	GlobalMaxPool(src, 1, 1, 4, dst, am)
	if dst[0] == dst[0] || am[0] != 2 {
		t.Fatalf("global: max %v at %d, want NaN at 2", dst[0], am[0])
	}
}

func TestPoolOutSize(t *testing.T) {
	for _, c := range []struct{ in, k, pad, stride, want int }{
		{28, 2, 0, 2, 14}, {7, 2, 0, 2, 3}, {5, 3, 1, 2, 3}, {1, 1, 0, 1, 1}, {1, 2, 0, 2, 0}, {11, 3, 1, 3, 4},
	} {
		if got := PoolOutSize(c.in, c.k, c.pad, c.stride); got != c.want {
			t.Errorf("PoolOutSize(%d,%d,%d,%d) = %d, want %d", c.in, c.k, c.pad, c.stride, got, c.want)
		}
	}
}

func TestPoolBadPaddingPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("padding above half the kernel did not panic")
		}
	}()
	MaxPool2d(make([]float32, 16), 1, 1, 4, 4, 2, 2, 1, 1, 2, 0, make([]float32, 64), nil)
}
