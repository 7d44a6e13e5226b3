package kernel

// Tests added for the mutation run of im2col.go, im2col_padded.go and
// im2col_amd64.go (eighth session, see TESTING.md): each pins a behaviour
// that a surviving mutant changed.

import (
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
