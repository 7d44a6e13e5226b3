package kernel

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestIm2colPadded compares Im2colPadded with Im2colLD on stride-1 shapes
// (padding, dilation, rectangular kernels, runs of 8 to 30 values and, for
// the fallback, shorter ones): equal first outH·outW values of every row,
// untouched values past the allowed slack, and an unchanged image; on
// every kernel path (the AVX-512 copies mask each run's last 1..15 values,
// so runs of every length 8..50 are covered).
func TestIm2colPadded(t *testing.T) { forEachPath(t, testIm2colPadded) }

func testIm2colPadded(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	type shape struct{ c, h, w, kh, kw, ph, pw, dh, dw int }
	shapes := []shape{
		{16, 14, 14, 5, 5, 2, 2, 1, 1}, {1, 28, 28, 5, 5, 2, 2, 1, 1}, {3, 9, 8, 3, 3, 0, 0, 1, 1},
		{2, 10, 17, 3, 2, 1, 0, 2, 1}, {4, 12, 30, 1, 1, 0, 0, 1, 1}, {2, 8, 8, 3, 3, 1, 1, 1, 1},
		{3, 11, 9, 2, 3, 0, 2, 1, 2}, {1, 5, 5, 3, 3, 1, 1, 1, 1}, {2, 6, 20, 3, 3, 1, 1, 1, 1},
	}
	for w := 8; w <= 50; w++ {
		kw := 1 + w%5
		shapes = append(shapes, shape{1 + w%3, 3 + w%7, w, 1 + w%3, kw, w % 2, kw / 2, 1, 1 + w%2})
	}
	for _, s := range shapes {
		oh, ow := ConvOutSize(s.h, s.kh, s.ph, 1, s.dh), ConvOutSize(s.w, s.kw, s.pw, 1, s.dw)
		ohw, rows := oh*ow, s.c*s.kh*s.kw
		src := make([]float32, s.c*s.h*s.w)
		for i := range src {
			src[i] = rng.Float32()*2 - 1
		}
		orig := append([]float32(nil), src...)
		for _, extra := range []int{Im2colPaddedSlack, Im2colPaddedSlack + 9} {
			ld := ohw + extra
			want := make([]float32, rows*ld)
			Im2colLD(src, s.c, s.h, s.w, s.kh, s.kw, s.ph, s.pw, 1, 1, s.dh, s.dw, want, ld)
			got := make([]float32, rows*ld+5)
			sentinel := float32(math.NaN())
			for i := range got {
				got[i] = sentinel
			}
			scratch := make([]float32, Im2colPaddedScratch(s.c, s.h, s.w, s.ph, s.pw))
			for i := range scratch {
				scratch[i] = 99 // stale values must not leak into the result
			}
			Im2colPadded(src, s.c, s.h, s.w, s.kh, s.kw, s.ph, s.pw, s.dh, s.dw, got, ld, scratch)
			for r := 0; r < rows; r++ {
				for j := 0; j < ohw; j++ {
					if g, w := got[r*ld+j], want[r*ld+j]; g != w {
						t.Fatalf("%+v ld %d: row %d [%d] = %g, want %g", s, ld, r, j, g, w)
					}
				}
				for j := ohw + Im2colPaddedSlack; j < ld; j++ {
					if g := got[r*ld+j]; !math.IsNaN(float64(g)) {
						t.Fatalf("%+v ld %d: row %d [%d] past the slack written (%g)", s, ld, r, j, g)
					}
				}
			}
			for i := rows * ld; i < len(got); i++ {
				if !math.IsNaN(float64(got[i])) {
					t.Fatalf("%+v ld %d: wrote past the last row at %d", s, ld, i)
				}
			}
			for i := range src {
				if src[i] != orig[i] {
					t.Fatalf("%+v: image changed at %d", s, i)
				}
			}
		}
	}
}

// TestIm2colPaddedShortBuffers checks the panics that name each buffer.
func TestIm2colPaddedShortBuffers(t *testing.T) {
	src := make([]float32, 16*14*14)
	ohw := 14 * 14
	scratch := make([]float32, Im2colPaddedScratch(16, 14, 14, 2, 2))
	dst := make([]float32, 400*208)
	for _, tc := range []struct {
		want string
		f    func()
	}{
		{"ld", func() { Im2colPadded(src, 16, 14, 14, 5, 5, 2, 2, 1, 1, dst, ohw, scratch) }},
		{"columns buffer", func() { Im2colPadded(src, 16, 14, 14, 5, 5, 2, 2, 1, 1, dst[:399*208], 208, scratch) }},
		{"scratch", func() { Im2colPadded(src, 16, 14, 14, 5, 5, 2, 2, 1, 1, dst, 208, scratch[:100]) }},
		{"image", func() { Im2colPadded(src[:10], 16, 14, 14, 5, 5, 2, 2, 1, 1, dst, 208, scratch) }},
	} {
		func() {
			defer func() {
				if r, _ := recover().(string); !strings.Contains(r, tc.want) {
					t.Errorf("panic %q, want one naming %s", r, tc.want)
				}
			}()
			tc.f()
		}()
	}
}

// BenchmarkIm2colPaddedPaths compares Im2colPadded on the avx2 and avx512
// paths (benchPaths) at the
// MNIST CNN's two convolutions (one image, ld = outH·outW + slack
// rounded to 8, as tensor's fused convolution lays them out).
func BenchmarkIm2colPaddedPaths(b *testing.B) {
	for _, g := range []im2colCase{benchConv1, benchConv2} {
		ohw := g.h * g.w
		ld := (ohw + Im2colPaddedSlack + 7) / 8 * 8
		src := make([]float32, g.c*g.h*g.w)
		for i := range src {
			src[i] = float32(i%17) - 8
		}
		scratch := make([]float32, Im2colPaddedScratch(g.c, g.h, g.w, g.padH, g.padW))
		dst := make([]float32, g.c*g.kh*g.kw*ld)
		b.Run(g.String(), func(b *testing.B) {
			benchPaths(b, func() {
				Im2colPadded(src, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.dilH, g.dilW, dst, ld, scratch)
			})
		})
	}
}

func BenchmarkIm2colPadded(b *testing.B) {
	src := make([]float32, 16*14*14)
	scratch := make([]float32, Im2colPaddedScratch(16, 14, 14, 2, 2))
	dst := make([]float32, 400*208)
	b.Run("padded", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			Im2colPadded(src, 16, 14, 14, 5, 5, 2, 2, 1, 1, dst, 208, scratch)
		}
	})
	b.Run("general", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			Im2colLD(src, 16, 14, 14, 5, 5, 2, 2, 1, 1, 1, 1, dst, 208)
		}
	})
}
