package kernel

import (
	"math/rand/v2"
	"testing"
)

// TestIm2colLDBatch builds the columns of a batch side by side and checks
// each image's block against Im2col, and Col2imLD against Col2im.
func TestIm2colLDBatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range []struct{ n, c, h, w, k, pad, stride, dil int }{
		{3, 2, 7, 5, 3, 1, 1, 1},
		{2, 1, 9, 9, 5, 2, 2, 1},
		{4, 3, 6, 8, 2, 0, 1, 2},
	} {
		oh, ow := ConvOutSize(s.h, s.k, s.pad, s.stride, s.dil), ConvOutSize(s.w, s.k, s.pad, s.stride, s.dil)
		ohw, ckk, chw := oh*ow, s.c*s.k*s.k, s.c*s.h*s.w
		ld := s.n * ohw
		x := make([]float64, s.n*chw)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		cols := make([]float64, ckk*ld)
		for i := 0; i < s.n; i++ {
			Im2colLD(x[i*chw:(i+1)*chw], s.c, s.h, s.w, s.k, s.k, s.pad, s.pad, s.stride, s.stride, s.dil, s.dil, cols[i*ohw:], ld)
		}
		one := make([]float64, ckk*ohw)
		for i := 0; i < s.n; i++ {
			Im2col(x[i*chw:(i+1)*chw], s.c, s.h, s.w, s.k, s.k, s.pad, s.pad, s.stride, s.stride, s.dil, s.dil, one)
			for r := 0; r < ckk; r++ {
				for j := 0; j < ohw; j++ {
					if cols[r*ld+i*ohw+j] != one[r*ohw+j] {
						t.Fatalf("%+v: image %d row %d col %d differs", s, i, r, j)
					}
				}
			}
			got := make([]float64, chw)
			want := make([]float64, chw)
			Col2imLD(cols[i*ohw:], ld, s.c, s.h, s.w, s.k, s.k, s.pad, s.pad, s.stride, s.stride, s.dil, s.dil, got)
			Col2im(one, s.c, s.h, s.w, s.k, s.k, s.pad, s.pad, s.stride, s.stride, s.dil, s.dil, want)
			for j := range got {
				if got[j] != want[j] {
					t.Fatalf("%+v: Col2imLD differs at %d", s, j)
				}
			}
		}
	}
}
