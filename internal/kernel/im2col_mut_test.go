package kernel

// Tests added for the mutation run of im2col.go, im2col_padded.go and
// im2col_amd64.go (eighth session, see TESTING.md): each pins a behaviour
// that a surviving mutant changed.

import (
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
