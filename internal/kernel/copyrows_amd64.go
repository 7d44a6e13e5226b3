//go:build !purego

package kernel

//go:noescape
func copyRowsAVX2(dst *float32, dstStride int, src *float32, srcStride, chunks, rows int)

//go:noescape
func im2colPaddedAVX2(dst *float32, ld int, plane *float32, wp, ow, oh, kh, kw, dilH, dilW, chunks int)

//go:noescape
func copyRowsAVX512(dst *float32, dstStride int, src *float32, srcStride, n, rows int)

//go:noescape
func im2colPaddedAVX512(dst *float32, ld int, plane *float32, wp, ow, oh, kh, kw, dilH, dilW int)

// useAVX512Copy selects the AVX-512 copies (im2col_padded_avx512_amd64.s),
// which copy exactly the runs; set by setArchPath.
var useAVX512Copy bool

// im2colPaddedPlane writes the kh·kw rows of the columns matrix that come
// from one zero-padded plane (see Im2colPadded, which checks the bounds).
func im2colPaddedPlane(dst []float32, ld int, plane []float32, wp, ow, oh, kh, kw, dilH, dilW int) {
	if !useAVX2 {
		im2colPaddedPlaneGo(dst, ld, plane, wp, ow, oh, kh, kw, dilH, dilW)
		return
	}
	if useAVX512Copy {
		im2colPaddedAVX512(&dst[0], ld, &plane[0], wp, ow, oh, kh, kw, dilH, dilW)
		return
	}
	im2colPaddedAVX2(&dst[0], ld, &plane[0], wp, ow, oh, kh, kw, dilH, dilW, (ow+7)/8)
}

// copyRows8 copies rows runs of n values, src[r*srcStride:][:n] to
// dst[r*dstStride:][:n], in whole chunks of 8 values: it reads and writes
// up to 7 values past each run, rows in increasing order.
func copyRows8(dst []float32, dstStride int, src []float32, srcStride, n, rows int) {
	copyRowsCheck(dst, dstStride, src, srcStride, n, rows)
	if rows <= 0 || n <= 0 {
		return
	}
	if !useAVX2 {
		copyRowsGo(dst, dstStride, src, srcStride, n, rows)
		return
	}
	if useAVX512Copy {
		copyRowsAVX512(&dst[0], dstStride, &src[0], srcStride, n, rows)
		return
	}
	copyRowsAVX2(&dst[0], dstStride, &src[0], srcStride, (n+7)/8, rows)
}
