//go:build !purego

package kernel

// Tests of the index checks that im2colRow32 and col2imRow32 make before
// they hand raw pointers to the assembly (added for the eighth session's
// mutation run, see TESTING.md).

import (
	"math/rand/v2"
	"testing"
)

// rowKernelArgs is one call of a row kernel: the ranges of output rows
// [ohLo, ohHi) and columns [owLo, owHi) and the offsets and strides that
// map output (oh, ow) to the pixel (oh*strideH+offH)*w + ow*strideW+offW.
type rowKernelArgs struct {
	w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int
}

// pixel is the plane index output (oh, ow) reads.
func (a rowKernelArgs) pixel(oh, ow int) int {
	return (oh*a.strideH+a.offH)*a.w + ow*a.strideW + a.offW
}

// rowKernelCases returns calls whose first pixel read is plane[0] (the
// output rows and columns before ohLo and owLo fall in the padding), with
// every factor of the index checks above 1, so that any change to a
// check's arithmetic moves the index it checks. Every read stays inside
// its input row, as in Im2colLD's calls.
func rowKernelCases(strideW int) []rowKernelArgs {
	var cs []rowKernelArgs
	for _, w := range []int{9, 23, 40} {
		for _, outW := range []int{5, 7, 17} {
			for _, strideH := range []int{2, 3} {
				for _, ohLo := range []int{1, 2} {
					a := rowKernelArgs{w: w, outW: outW, ohLo: ohLo, ohHi: ohLo + 3, owLo: 2, strideW: strideW, strideH: strideH}
					a.offH = -ohLo * strideH
					a.offW = -a.owLo * strideW
					// owHi as im2colValid gives it: the AVX-512 stride-2
					// kernel copies every column whose pixel lies in the
					// input row, so a smaller owHi would not be honoured
					a.owHi = min(outW, (w-1-a.offW)/strideW+1)
					cs = append(cs, a)
				}
			}
		}
	}
	return cs
}

// TestRowKernelChecks checks the bounds im2colRow32 and col2imRow32 check
// before calling the assembly, on each path with row kernels: with a
// plane that ends at the last pixel read and a row that ends at the last
// value written, each call runs and gives the reference's result; with
// the plane or the row one value shorter, or the first pixel read moved to
// plane[-1] or a row above the plane, each call panics before the assembly
// runs. The plane sits in
// a larger buffer, so that a check that failed to catch a bad call would
// let the assembly touch only the test's memory.
func TestRowKernelChecks(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		if !useAVX2 {
			t.Skip("no row kernels on this path")
		}
		strides := []int{1}
		if useAVX512Im2col {
			strides = append(strides, 2)
		}
		for _, sw := range strides {
			for _, a := range rowKernelCases(sw) {
				testRowKernelChecks(t, a)
			}
		}
	})
}

func testRowKernelChecks(t *testing.T, a rowKernelArgs) {
	rng := rand.New(rand.NewPCG(uint64(a.w), uint64(a.outW)))
	const guard = 4096
	last := a.pixel(a.ohHi-1, a.owHi-1)
	buf := make([]float32, guard+last+1+guard)
	randF32(rng, buf)
	plane := buf[guard : guard+last+1]
	call := func(kernel string, plane, row []float32, a rowKernelArgs) (panicked bool) {
		return im2colDidPanic(func() {
			if kernel == "im2colRow32" {
				im2colRow32(plane, row, a.w, a.outW, a.ohLo, a.ohHi, a.owLo, a.owHi, a.offW, a.offH, a.strideW, a.strideH)
			} else {
				col2imRow32(row, plane, a.w, a.outW, a.ohLo, a.ohHi, a.owLo, a.owHi, a.offW, a.offH, a.strideW, a.strideH)
			}
		})
	}

	// im2colRow32 writes rows [0, ohHi) of outW values.
	rowLen := a.ohHi * a.outW
	row := make([]float32, rowLen)
	randF32(rng, row)
	if call("im2colRow32", plane, row, a) {
		t.Fatalf("im2colRow32 %v: panicked on a plane and a row of exactly the length it uses", a)
	}
	for oh := 0; oh < a.ohHi; oh++ {
		for ow := 0; ow < a.outW; ow++ {
			var want float32
			if oh >= a.ohLo && ow >= a.owLo && ow < a.owHi {
				want = plane[a.pixel(oh, ow)]
			}
			if got := row[oh*a.outW+ow]; got != want {
				t.Fatalf("im2colRow32 %v: row[%d] = %v, want %v", a, oh*a.outW+ow, got, want)
			}
		}
	}
	if !call("im2colRow32", plane[:last], row, a) {
		t.Fatalf("im2colRow32 %v: no panic with the plane one value short", a)
	}
	if !call("im2colRow32", plane, row[:rowLen-1], a) {
		t.Fatalf("im2colRow32 %v: no panic with the row one value short", a)
	}
	before := a
	before.offW-- // the first pixel read is plane[-1]
	if !call("im2colRow32", buf[guard:], row, before) {
		t.Fatalf("im2colRow32 %v: no panic with the first pixel read before the plane", before)
	}
	above := a
	above.offH-- // the first pixel read is plane[-w], a row above the plane
	if !call("im2colRow32", buf[guard:], row, above) {
		t.Fatalf("im2colRow32 %v: no panic with the first pixel read a row above the plane", above)
	}

	// col2imRow32 reads row up to (ohHi-1)*outW + owHi-1.
	colLen := (a.ohHi-1)*a.outW + a.owHi
	col := make([]float32, colLen)
	randF32(rng, col)
	want := append([]float32(nil), plane...)
	for oh := a.ohLo; oh < a.ohHi; oh++ {
		for ow := a.owLo; ow < a.owHi; ow++ {
			want[a.pixel(oh, ow)] += col[oh*a.outW+ow]
		}
	}
	if call("col2imRow32", plane, col, a) {
		t.Fatalf("col2imRow32 %v: panicked on a plane and a row of exactly the length it uses", a)
	}
	if i := sameBits(plane, want); i >= 0 {
		t.Fatalf("col2imRow32 %v: plane[%d] = %v, want %v", a, i, plane[i], want[i])
	}
	if !call("col2imRow32", plane[:last], col, a) {
		t.Fatalf("col2imRow32 %v: no panic with the plane one value short", a)
	}
	if !call("col2imRow32", plane, col[:colLen-1], a) {
		t.Fatalf("col2imRow32 %v: no panic with the row one value short", a)
	}
	if !call("col2imRow32", buf[guard:], col, before) {
		t.Fatalf("col2imRow32 %v: no panic with the first pixel before the plane", before)
	}
	if !call("col2imRow32", buf[guard:], col, above) {
		t.Fatalf("col2imRow32 %v: no panic with the first pixel a row above the plane", above)
	}
}

// TestRowKernelsEmptyRanges checks that the row kernels touch nothing
// outside the row for an empty range of output rows or columns: im2colRow32
// (whose callers pass ohLo = ohHi = 0 when no column is valid) only zeroes
// its row, col2imRow32 returns at once; neither checks or reads pixels
// that the empty range does not reach.
func TestRowKernelsEmptyRanges(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		if !useAVX2 {
			t.Skip("no row kernels on this path")
		}
		plane := []float32{5}
		for _, a := range []rowKernelArgs{
			{w: 10, outW: 4, ohLo: 0, ohHi: 0, owLo: 3, owHi: 3, offW: 2, offH: 3, strideW: 1, strideH: 2},
			{w: 10, outW: 4, ohLo: 0, ohHi: 0, owLo: 1, owHi: 3, offW: 2, offH: 3, strideW: 1, strideH: 2},
		} {
			row := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
			if im2colDidPanic(func() {
				im2colRow32(plane, row, a.w, a.outW, a.ohLo, a.ohHi, a.owLo, a.owHi, a.offW, a.offH, a.strideW, a.strideH)
			}) {
				t.Fatalf("im2colRow32 %v: panicked on an empty range", a)
			}
			for i, v := range row {
				if v != 0 {
					t.Fatalf("im2colRow32 %v: row[%d] = %v, want 0", a, i, v)
				}
			}
		}
		for _, a := range []rowKernelArgs{
			{w: 10, outW: 4, ohLo: 2, ohHi: 2, owLo: 1, owHi: 3, offW: 2, offH: 3, strideW: 1, strideH: 2},
			{w: 10, outW: 4, ohLo: 1, ohHi: 3, owLo: 2, owHi: 2, offW: 2, offH: 3, strideW: 1, strideH: 2},
			{w: 10, outW: 4, ohLo: 2, ohHi: 2, owLo: 1, owHi: 3, offW: 2, offH: 3, strideW: 2, strideH: 2},
		} {
			if im2colDidPanic(func() {
				col2imRow32(nil, plane, a.w, a.outW, a.ohLo, a.ohHi, a.owLo, a.owHi, a.offW, a.offH, a.strideW, a.strideH)
			}) {
				t.Fatalf("col2imRow32 %v: panicked on an empty range", a)
			}
			if plane[0] != 5 {
				t.Fatalf("col2imRow32 %v: wrote the plane", a)
			}
		}
	})
}

// TestCopyRows8EmptyRuns checks that copyRows8 of runs of no values checks
// and touches nothing, whatever the strides, on every path of the default
// build (the purego build's copy slices each row's start even then).
func TestCopyRows8EmptyRuns(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		if im2colDidPanic(func() { copyRows8(nil, 4, nil, 4, 0, 3) }) {
			t.Fatal("copyRows8 of 3 runs of no values panicked")
		}
	})
}
