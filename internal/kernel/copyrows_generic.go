//go:build !amd64 || purego

package kernel

// copyRows8 copies rows runs of n values, src[r*srcStride:][:n] to
// dst[r*dstStride:][:n], in whole chunks of 8 values: it reads and writes
// up to 7 values past each run, rows in increasing order.
func copyRows8(dst []float32, dstStride int, src []float32, srcStride, n, rows int) {
	copyRowsCheck(dst, dstStride, src, srcStride, n, rows)
	copyRowsGo(dst, dstStride, src, srcStride, n, rows)
}

// im2colPaddedPlane writes the kh·kw rows of the columns matrix that come
// from one zero-padded plane (see Im2colPadded, which checks the bounds).
func im2colPaddedPlane(dst []float32, ld int, plane []float32, wp, ow, oh, kh, kw, dilH, dilW int) {
	im2colPaddedPlaneGo(dst, ld, plane, wp, ow, oh, kh, kw, dilH, dilW)
}
