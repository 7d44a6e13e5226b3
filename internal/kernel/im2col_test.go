package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// im2colCase is one convolution geometry for the im2col tests.
type im2colCase struct {
	c, h, w, kh, kw, padH, padW, strideH, strideW, dilH, dilW int
}

func (g im2colCase) String() string {
	return fmt.Sprintf("c%d_%dx%d_k%dx%d_p%d,%d_s%d,%d_d%d,%d", g.c, g.h, g.w, g.kh, g.kw,
		g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW)
}

// im2colCases has awkward shapes: size 1, primes, padding wider than the
// kernel reach, strides 2 and 3, dilation 2, kernels bigger than the stride,
// non-square everything, and the MNIST CNN layers.
var im2colCases = []im2colCase{
	{1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1},
	{1, 1, 1, 3, 3, 1, 1, 1, 1, 1, 1},
	{2, 5, 7, 3, 3, 0, 0, 1, 1, 1, 1},
	{3, 7, 5, 3, 2, 1, 2, 2, 3, 1, 1},
	{2, 11, 13, 5, 3, 2, 1, 3, 2, 2, 1},
	{1, 13, 11, 3, 5, 3, 4, 1, 1, 2, 2},
	{3, 9, 9, 4, 4, 2, 2, 3, 3, 1, 1},
	{2, 6, 17, 2, 7, 0, 3, 2, 1, 1, 2},
	{1, 4, 4, 1, 1, 3, 3, 2, 2, 1, 1},
	{1, 28, 28, 5, 5, 2, 2, 1, 1, 1, 1},
	{16, 14, 14, 5, 5, 2, 2, 1, 1, 1, 1},
	// one output position (the row-per-pixel path): a kernel covering the
	// image, with padding, dilation and stride
	{4, 7, 7, 7, 7, 0, 0, 1, 1, 1, 1},
	{3, 4, 5, 6, 7, 1, 1, 1, 1, 1, 1},
	{2, 5, 5, 3, 3, 0, 0, 1, 1, 2, 2},
	{2, 6, 6, 4, 4, 1, 1, 3, 3, 2, 2},
}

// im2colNaive is the per-element reference for Im2col.
func im2colNaive[T float32 | float64](src []T, g im2colCase) []T {
	outH := ConvOutSize(g.h, g.kh, g.padH, g.strideH, g.dilH)
	outW := ConvOutSize(g.w, g.kw, g.padW, g.strideW, g.dilW)
	dst := make([]T, g.c*g.kh*g.kw*outH*outW)
	for ci := 0; ci < g.c; ci++ {
		for ki := 0; ki < g.kh; ki++ {
			for kj := 0; kj < g.kw; kj++ {
				r := (ci*g.kh+ki)*g.kw + kj
				for oh := 0; oh < outH; oh++ {
					for ow := 0; ow < outW; ow++ {
						ih := oh*g.strideH - g.padH + ki*g.dilH
						iw := ow*g.strideW - g.padW + kj*g.dilW
						if ih >= 0 && ih < g.h && iw >= 0 && iw < g.w {
							dst[r*outH*outW+oh*outW+ow] = src[(ci*g.h+ih)*g.w+iw]
						}
					}
				}
			}
		}
	}
	return dst
}

func testIm2col[T float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, g := range im2colCases {
		src := ewRandSlice[T](rng, g.c*g.h*g.w)
		want := im2colNaive(src, g)
		got := make([]T, len(want))
		for i := range got {
			got[i] = 99 // every element must be overwritten
		}
		Im2col(src, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, got)
		ewCheckSlices(t, "Im2col "+g.String(), got, want)

		// Col2im against the naive scatter-add, accumulating onto a
		// non-zero start.
		col := ewRandSlice[T](rng, len(want))
		img := ewRandSlice[T](rng, len(src))
		wantImg := append([]T(nil), img...)
		outH := ConvOutSize(g.h, g.kh, g.padH, g.strideH, g.dilH)
		outW := ConvOutSize(g.w, g.kw, g.padW, g.strideW, g.dilW)
		for ci := 0; ci < g.c; ci++ {
			for ki := 0; ki < g.kh; ki++ {
				for kj := 0; kj < g.kw; kj++ {
					r := (ci*g.kh+ki)*g.kw + kj
					for oh := 0; oh < outH; oh++ {
						for ow := 0; ow < outW; ow++ {
							ih := oh*g.strideH - g.padH + ki*g.dilH
							iw := ow*g.strideW - g.padW + kj*g.dilW
							if ih >= 0 && ih < g.h && iw >= 0 && iw < g.w {
								wantImg[(ci*g.h+ih)*g.w+iw] += col[r*outH*outW+oh*outW+ow]
							}
						}
					}
				}
			}
		}
		Col2im(col, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, img)
		ewCheckSlices(t, "Col2im "+g.String(), img, wantImg)
	}
}

func TestIm2colFloat32(t *testing.T) { testIm2col[float32](t) }
func TestIm2colFloat64(t *testing.T) { testIm2col[float64](t) }

// TestCol2imAdjoint checks <Im2col(x), y> == <x, Col2im(y)> in float64.
func TestCol2imAdjoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, g := range im2colCases {
		outH := ConvOutSize(g.h, g.kh, g.padH, g.strideH, g.dilH)
		outW := ConvOutSize(g.w, g.kw, g.padW, g.strideW, g.dilW)
		x := ewRandSlice[float64](rng, g.c*g.h*g.w)
		y := ewRandSlice[float64](rng, g.c*g.kh*g.kw*outH*outW)
		ax := make([]float64, len(y))
		Im2col(x, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, ax)
		aty := make([]float64, len(x))
		Col2im(y, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, aty)
		lhs, rhs := Dot(ax, y), Dot(x, aty)
		if !ewClose(lhs, rhs, float64(len(y))) {
			t.Fatalf("%v: <Im2col(x), y> = %v, <x, Col2im(y)> = %v", g, lhs, rhs)
		}
	}
}

func TestConvOutSize(t *testing.T) {
	for _, c := range []struct{ in, k, pad, stride, dil, want int }{
		{28, 5, 2, 1, 1, 28},
		{28, 5, 0, 1, 1, 24},
		{7, 3, 1, 2, 1, 4},
		{11, 3, 0, 3, 2, 3},
		{3, 5, 0, 1, 1, 0},
		{4, 5, 0, 2, 1, 0}, // numerator -1 must not round to an output of 1
		{1, 1, 0, 1, 1, 1},
	} {
		if got := ConvOutSize(c.in, c.k, c.pad, c.stride, c.dil); got != c.want {
			t.Errorf("ConvOutSize(%d,%d,%d,%d,%d) = %d, want %d", c.in, c.k, c.pad, c.stride, c.dil, got, c.want)
		}
	}
}
