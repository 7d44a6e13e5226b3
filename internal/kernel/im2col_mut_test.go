package kernel

// Tests added for the mutation run of im2col.go, im2col_padded.go and
// im2col_amd64.go (eighth session, see TESTING.md): each pins a behaviour
// that a surviving mutant changed.

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// im2colDidPanic reports whether f panics.
func im2colDidPanic(f func()) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	f()
	return false
}

// TestConvOutSizeBadStride checks that a stride of 0 or less gives no
// output positions instead of dividing by zero.
func TestConvOutSizeBadStride(t *testing.T) {
	for _, s := range []int{0, -1, -3} {
		var got int
		if im2colDidPanic(func() { got = ConvOutSize(5, 3, 0, s, 1) }) {
			t.Fatalf("ConvOutSize(5, 3, 0, %d, 1) panicked", s)
		}
		if got != 0 {
			t.Fatalf("ConvOutSize(5, 3, 0, %d, 1) = %d, want 0", s, got)
		}
	}
}

// TestIm2colNothingToDo checks that Im2colLD and Col2imLD return at once,
// touching neither slice, when there is no output position (outH or outW
// is 0) or no channel: they are then called with nil slices and an ld
// larger than outH*outW, which any slicing would fault on.
func TestIm2colNothingToDo(t *testing.T) {
	for _, g := range []im2colCase{
		{1, 2, 5, 3, 1, 0, 0, 1, 1, 1, 1}, // outH = 0
		{1, 5, 2, 1, 3, 0, 0, 1, 1, 1, 1}, // outW = 0
		{0, 5, 5, 3, 3, 0, 0, 1, 1, 1, 1}, // no channel, 3×3 outputs
		{0, 5, 5, 3, 3, 0, 0, 1, 2, 1, 1}, // no channel, strideW 2
	} {
		for _, fast := range []bool{false, true} {
			withIm2colFast(fast && im2colFastOK, func() {
				ld := 12
				if im2colDidPanic(func() {
					Im2colLD[float32](nil, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, nil, ld)
				}) {
					t.Errorf("Im2colLD[float32] %v fast=%v: panicked with nothing to write", g, fast)
				}
				if im2colDidPanic(func() {
					Im2colLD[float64](nil, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, nil, ld)
				}) {
					t.Errorf("Im2colLD[float64] %v: panicked with nothing to write", g)
				}
				if im2colDidPanic(func() {
					Col2imLD[float32](nil, ld, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, nil)
				}) {
					t.Errorf("Col2imLD[float32] %v fast=%v: panicked with nothing to add", g, fast)
				}
				if im2colDidPanic(func() {
					Col2imLD[float64](nil, ld, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, nil)
				}) {
					t.Errorf("Col2imLD[float64] %v: panicked with nothing to add", g)
				}
			})
		}
	}
}

// TestIm2colLDGaps checks Im2colLD and Col2imLD with a leading dimension
// larger than outH*outW on every geometry of im2colCases (the one-output
// position ones included, whose path indexes dst and col by row), for both
// element types and, for float32, the row kernels and the Go loops: each
// row equals Im2col's, the gaps between rows and the values after the last
// one are left alone, and Col2imLD adds what Col2im adds.
func TestIm2colLDGaps(t *testing.T) {
	for _, fast := range []bool{false, true} {
		withIm2colFast(fast && im2colFastOK, func() {
			testIm2colLDGaps[float32](t)
		})
	}
	testIm2colLDGaps[float64](t)
}

func testIm2colLDGaps[T float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	const gap, sentinel = 3, 1234.5
	for _, g := range im2colCases {
		outH := ConvOutSize(g.h, g.kh, g.padH, g.strideH, g.dilH)
		outW := ConvOutSize(g.w, g.kw, g.padW, g.strideW, g.dilW)
		ohw, rows := outH*outW, g.c*g.kh*g.kw
		ld := ohw + gap
		src := ewRandSlice[T](rng, g.c*g.h*g.w)
		want := make([]T, rows*ohw)
		Im2col(src, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, want)
		got := make([]T, rows*ld)
		for i := range got {
			got[i] = sentinel
		}
		// exactly (rows-1)*ld+ohw values: the last row has no gap after it
		Im2colLD(src, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, got[:(rows-1)*ld+ohw], ld)
		for r := 0; r < rows; r++ {
			for j := 0; j < ohw; j++ {
				if got[r*ld+j] != want[r*ohw+j] {
					t.Fatalf("Im2colLD %v ld=%d: row %d [%d] = %v, want %v", g, ld, r, j, got[r*ld+j], want[r*ohw+j])
				}
			}
			for j := ohw; j < ld; j++ {
				if got[r*ld+j] != sentinel {
					t.Fatalf("Im2colLD %v ld=%d: gap after row %d written at %d", g, ld, r, j)
				}
			}
		}

		col := ewRandSlice[T](rng, rows*ld)
		packed := make([]T, rows*ohw)
		for r := 0; r < rows; r++ {
			copy(packed[r*ohw:r*ohw+ohw], col[r*ld:r*ld+ohw])
		}
		img := ewRandSlice[T](rng, len(src))
		wantImg := append([]T(nil), img...)
		Col2im(packed, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, wantImg)
		Col2imLD(col[:(rows-1)*ld+ohw], ld, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, img)
		for i := range img {
			if img[i] != wantImg[i] {
				t.Fatalf("Col2imLD %v ld=%d: [%d] = %v, want %v", g, ld, i, img[i], wantImg[i])
			}
		}
	}
}

// TestIm2colPaddedExactBuffers checks Im2colPadded's bounds at the limit,
// on every path: each buffer at exactly its documented minimum (image
// c·h·w values, ld = outH·outW + Im2colPaddedSlack, columns (rows−1)·ld +
// outH·outW + Im2colPaddedSlack, scratch Im2colPaddedScratch) gives
// Im2colLD's values, and each one value shorter panics with the message
// that gives both lengths.
func TestIm2colPaddedExactBuffers(t *testing.T) { forEachPath(t, testIm2colPaddedExactBuffers) }

func testIm2colPaddedExactBuffers(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for _, s := range []struct{ c, h, w, kh, kw, ph, pw, dh, dw int }{
		{3, 9, 10, 3, 3, 0, 0, 1, 1}, // runs of 8, the shortest it takes
		{2, 6, 8, 3, 3, 1, 1, 1, 1},  // an image 8 wide, the narrowest it takes
		{2, 10, 17, 3, 2, 1, 2, 2, 1},
		{1, 1, 12, 1, 3, 0, 1, 1, 1},
		{2, 5, 11, 2, 3, 3, 1, 1, 2},
	} {
		oh, ow := ConvOutSize(s.h, s.kh, s.ph, 1, s.dh), ConvOutSize(s.w, s.kw, s.pw, 1, s.dw)
		ohw, rows, chw := oh*ow, s.c*s.kh*s.kw, s.c*s.h*s.w
		ld := ohw + Im2colPaddedSlack
		nDst := (rows-1)*ld + ohw + Im2colPaddedSlack
		nScratch := Im2colPaddedScratch(s.c, s.h, s.w, s.ph, s.pw)
		src := make([]float32, chw)
		randF32(rng, src)
		want := make([]float32, rows*ld)
		Im2colLD(src, s.c, s.h, s.w, s.kh, s.kw, s.ph, s.pw, 1, 1, s.dh, s.dw, want, ld)
		// each buffer cut to its length, with no capacity past it
		exact := func(n int) []float32 { b := make([]float32, n); return b[:n:n] }
		dst, scratch := exact(nDst), exact(nScratch)
		for i := range scratch {
			scratch[i] = 99
		}
		Im2colPadded(src[:chw:chw], s.c, s.h, s.w, s.kh, s.kw, s.ph, s.pw, s.dh, s.dw, dst, ld, scratch)
		for r := 0; r < rows; r++ {
			for j := 0; j < ohw; j++ {
				if got, w := dst[r*ld+j], want[r*ld+j]; got != w {
					t.Fatalf("%+v: row %d [%d] = %v, want %v", s, r, j, got, w)
				}
			}
		}
		for _, tc := range []struct {
			want string
			f    func()
		}{
			{fmt.Sprintf("kernel: Im2colPadded: image has %d values, want %d", chw-1, chw), func() {
				Im2colPadded(src[:chw-1], s.c, s.h, s.w, s.kh, s.kw, s.ph, s.pw, s.dh, s.dw, dst, ld, scratch)
			}},
			{fmt.Sprintf("kernel: Im2colPadded: ld %d < %d output positions + %d", ld-1, ohw, Im2colPaddedSlack), func() {
				Im2colPadded(src, s.c, s.h, s.w, s.kh, s.kw, s.ph, s.pw, s.dh, s.dw, dst, ld-1, scratch)
			}},
			{fmt.Sprintf("kernel: Im2colPadded: columns buffer has %d values, want %d", nDst-1, nDst), func() {
				Im2colPadded(src, s.c, s.h, s.w, s.kh, s.kw, s.ph, s.pw, s.dh, s.dw, dst[:nDst-1], ld, scratch)
			}},
			{fmt.Sprintf("kernel: Im2colPadded: scratch has %d values, want %d", nScratch-1, nScratch), func() {
				Im2colPadded(src, s.c, s.h, s.w, s.kh, s.kw, s.ph, s.pw, s.dh, s.dw, dst, ld, scratch[:nScratch-1])
			}},
		} {
			func() {
				defer func() {
					if r, _ := recover().(string); r != tc.want {
						t.Errorf("%+v: panic %q, want %q", s, r, tc.want)
					}
				}()
				tc.f()
			}()
		}
	}
}

// TestIm2colPaddedScratchSize checks that Im2colPaddedScratch leaves room
// for the padded planes and the up to 7 values a chunked copy of the last
// run reads past them, and not much more.
func TestIm2colPaddedScratchSize(t *testing.T) {
	for _, s := range []struct{ c, h, w, ph, pw int }{
		{1, 8, 8, 0, 0}, {3, 9, 11, 1, 2}, {2, 14, 14, 3, 1}, {16, 14, 14, 2, 2},
	} {
		planes := s.c * (s.h + 2*s.ph) * (s.w + 2*s.pw)
		if got := Im2colPaddedScratch(s.c, s.h, s.w, s.ph, s.pw); got < planes+7 || got > planes+16 {
			t.Errorf("Im2colPaddedScratch%+v = %d, want %d planes' values + 7 to 16", s, got, planes)
		}
	}
}

// TestCopyRows8Bounds checks copyRows8's bounds check at the limit, on
// every path: the last run rounded up to whole chunks of 8 may end exactly
// at the end of dst and src, and one value less of either panics; a copy
// of no rows checks nothing, whatever the strides (runs of no values:
// TestCopyRows8EmptyRuns).
func TestCopyRows8Bounds(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		if im2colDidPanic(func() { copyRows8(nil, 0, nil, 0, 5, 0) }) {
			t.Fatal("copyRows8 of no rows (strides 0) panicked")
		}
		for _, c := range []struct{ dstStride, srcStride, n, rows int }{
			{12, 10, 9, 3}, {16, 20, 16, 2}, {8, 8, 1, 1}, {11, 9, 5, 4},
		} {
			span := (c.n + 7) / 8 * 8
			nd, ns := (c.rows-1)*c.dstStride+span, (c.rows-1)*c.srcStride+span
			src := make([]float32, ns)
			for i := range src {
				src[i] = float32(i + 1)
			}
			dst := make([]float32, nd)
			if im2colDidPanic(func() { copyRows8(dst[:nd:nd], c.dstStride, src[:ns:ns], c.srcStride, c.n, c.rows) }) {
				t.Fatalf("copyRows8 %+v: panicked with dst and src of exactly %d and %d values", c, nd, ns)
			}
			for r := 0; r < c.rows; r++ {
				for j := 0; j < c.n; j++ {
					if got, want := dst[r*c.dstStride+j], src[r*c.srcStride+j]; got != want {
						t.Fatalf("copyRows8 %+v: row %d [%d] = %v, want %v", c, r, j, got, want)
					}
				}
			}
			if !im2colDidPanic(func() { copyRows8(dst[:nd-1], c.dstStride, src, c.srcStride, c.n, c.rows) }) {
				t.Fatalf("copyRows8 %+v: no panic with dst one value short", c)
			}
			if !im2colDidPanic(func() { copyRows8(dst, c.dstStride, src[:ns-1], c.srcStride, c.n, c.rows) }) {
				t.Fatalf("copyRows8 %+v: no panic with src one value short", c)
			}
		}
	})
}
