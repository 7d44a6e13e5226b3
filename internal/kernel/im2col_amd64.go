//go:build !purego

package kernel

// Dispatch of the float32 im2col/col2im row kernels to the assembly in
// im2col_amd64.s (AVX2, strideW 1) and im2col_avx512_amd64.s (AVX-512:
// im2col strideW 1 and 2, col2im strideW 2). Im2colLD and Col2imLD use
// them when im2colFast is set, which it is on the avx2 and avx512 paths
// (setArchPath, cpu_amd64.go), and im2colRowStride accepts the stride.
// Index ranges are checked here, so the assembly never reads or writes
// outside the slices.

// im2colFastOK reports whether the CPU runs the AVX2 row kernels.
var im2colFastOK = hasAVX2FMA

// im2colFast selects the row-kernel path of Im2colLD and Col2imLD for
// float32; the tests switch it off to compare with the Go loops.
var im2colFast bool

// useAVX512Im2col selects the AVX-512 row kernels; set by setArchPath.
var useAVX512Im2col bool

//go:noescape
func im2colRowAVX2(in, out *float32, w, outW, ohw, ohLo, ohHi, owLo, owHi, offW, offH, strideH int)

//go:noescape
func col2imRowAVX2(col, img *float32, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideH int)

//go:noescape
func im2colRowAVX512(in, out *float32, w, outW, ohw, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int)

//go:noescape
func col2imRowAVX512(col, img *float32, w, outW, ohw, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int)

// im2colRowStride reports whether the row kernels in use handle strideW:
// 1 on both paths, 2 on the AVX-512 path.
func im2colRowStride(strideW int) bool {
	return strideW == 1 || strideW == 2 && useAVX512Im2col
}

// im2colRow32 writes one row of the columns matrix (one (ci, ki, kj)),
// row[oh*outW+ow] = plane[(oh*strideH+offH)*w+ow*strideW+offW] for oh in
// [ohLo, ohHi) and ow in [owLo, owHi), and 0 elsewhere in row; len(row) is
// outH*outW. The caller passes an empty [ohLo, ohHi) when owLo >= owHi.
func im2colRow32(plane, row []float32, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int) {
	if len(row) == 0 {
		return
	}
	if ohLo < ohHi {
		// first and last pixels read
		_ = plane[(ohLo*strideH+offH)*w+owLo*strideW+offW]
		_ = plane[((ohHi-1)*strideH+offH)*w+(owHi-1)*strideW+offW]
		_ = row[ohHi*outW-1]
	}
	if useAVX512Im2col && (strideW == 2 || outW >= 16) {
		// 16-lane chunks: for narrower rows of stride 1 the AVX2 kernel
		// (two rows per step) measured faster
		im2colRowAVX512(&plane[0], &row[0], w, outW, len(row), ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH)
		return
	}
	im2colRowAVX2(&plane[0], &row[0], w, outW, len(row), ohLo, ohHi, owLo, owHi, offW, offH, strideH)
}

// col2imRow32 adds one row of the columns matrix back into the image plane,
// plane[(oh*strideH+offH)*w+ow*strideW+offW] += row[oh*outW+ow] for oh in
// [ohLo, ohHi) and ow in [owLo, owHi), owLo < owHi.
func col2imRow32(row, plane []float32, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int) {
	if ohLo >= ohHi || owLo >= owHi {
		return
	}
	_ = plane[(ohLo*strideH+offH)*w+owLo*strideW+offW]
	_ = plane[((ohHi-1)*strideH+offH)*w+(owHi-1)*strideW+offW]
	_ = row[(ohHi-1)*outW+owHi-1]
	if strideW == 2 && useAVX512Im2col && strideH*w >= 16 {
		// the AVX-512 kernel needs output rows 16 pixels apart (see
		// im2col_avx512_amd64.s); for strideW 1 the AVX2 kernel measured
		// as fast or faster
		col2imRowAVX512(&row[0], &plane[0], w, outW, len(row), ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH)
		return
	}
	if strideW != 1 {
		col2imRowGo(row, plane, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH)
		return
	}
	col2imRowAVX2(&row[0], &plane[0], w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideH)
}
