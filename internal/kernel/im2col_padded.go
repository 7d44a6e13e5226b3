package kernel

import "fmt"

// Stride-1 im2col through a zero-padded copy of the image. Each row of the
// columns matrix of a stride-1 convolution is the input plane shifted by
// (ki·dilH − padH, kj·dilW − padW): with the plane copied once into a
// buffer with padH zero rows and padW zero columns around it, every output
// row (outW values) is one contiguous run of the padded plane, so a row of
// the columns matrix is outH plain copies, without the border tests and
// masked loads of the general kernels. The copies move whole 8-value
// chunks and may write up to 7 values past each run; runs are written in
// increasing order, so each overhang is overwritten by the next run, and
// the last one falls into the slack the caller leaves after each row
// (ld ≥ outH·outW + 7).

// Im2colPaddedSlack is how many values past outH·outW each row of the
// columns matrix must leave for Im2colPadded to overwrite.
const Im2colPaddedSlack = 7

// Im2colPaddedScratch returns the length of the scratch buffer Im2colPadded
// needs for an image of c planes of h×w with the given padding.
func Im2colPaddedScratch(c, h, w, padH, padW int) int {
	return c*(h+2*padH)*(w+2*padW) + 8
}

// Im2colPadded is Im2colLD for float32 and stride 1: it writes row r of the
// columns matrix of image src [c, h, w] at dst[r*ld:], with the same values
// in its first outH·outW entries. It may also overwrite the next
// Im2colPaddedSlack entries of each row, so it needs ld ≥ outH·outW +
// Im2colPaddedSlack and len(dst) ≥ (c·kh·kw−1)·ld + outH·outW + 7, and a
// scratch buffer of Im2colPaddedScratch(c, h, w, padH, padW) values (its
// contents are overwritten). It panics on shorter buffers.
func Im2colPadded(src []float32, c, h, w, kh, kw, padH, padW, dilH, dilW int, dst []float32, ld int, scratch []float32) {
	oh, ow := ConvOutSize(h, kh, padH, 1, dilH), ConvOutSize(w, kw, padW, 1, dilW)
	ohw := oh * ow
	rows := c * kh * kw
	if rows == 0 || ohw == 0 {
		return
	}
	hp, wp := h+2*padH, w+2*padW
	plane := hp * wp
	switch {
	case w < 8 || ow < 8:
		// Runs shorter than a chunk: the general kernels do better, and
		// the chunked copies would overrun a small image.
		Im2colLD(src, c, h, w, kh, kw, padH, padW, 1, 1, dilH, dilW, dst, ld)
		return
	case len(src) < c*h*w:
		panic(fmt.Sprintf("kernel: Im2colPadded: image has %d values, want %d", len(src), c*h*w))
	case ld < ohw+Im2colPaddedSlack:
		panic(fmt.Sprintf("kernel: Im2colPadded: ld %d < %d output positions + %d", ld, ohw, Im2colPaddedSlack))
	case len(dst) < (rows-1)*ld+ohw+Im2colPaddedSlack:
		panic(fmt.Sprintf("kernel: Im2colPadded: columns buffer has %d values, want %d", len(dst), (rows-1)*ld+ohw+Im2colPaddedSlack))
	case len(scratch) < Im2colPaddedScratch(c, h, w, padH, padW):
		panic(fmt.Sprintf("kernel: Im2colPadded: scratch has %d values, want %d", len(scratch), Im2colPaddedScratch(c, h, w, padH, padW)))
	}
	for ci := 0; ci < c; ci++ {
		p := scratch[ci*plane : (ci+1)*plane]
		in := src[ci*h*w : (ci+1)*h*w]
		// Rows 0..h-2 in chunks (their overhang lands in the right border
		// and the next row's left border, zeroed below); the last row with
		// an exact copy, so nothing is read past the image.
		if h > 1 {
			copyRows8(p[padH*wp+padW:], wp, in, w, w, h-1)
		}
		copy(p[(padH+h-1)*wp+padW:(padH+h-1)*wp+padW+w], in[(h-1)*w:h*w])
		clear(p[:padH*wp])
		clear(p[(padH+h)*wp:])
		for r := padH; r < padH+h; r++ { // plain loops: a clear call per border costs more than its few values
			row := p[r*wp : (r+1)*wp]
			for j := 0; j < padW; j++ {
				row[j] = 0
			}
			for j := padW + w; j < wp; j++ {
				row[j] = 0
			}
		}
	}
	for ci := 0; ci < c; ci++ {
		im2colPaddedPlane(dst[ci*kh*kw*ld:], ld, scratch[ci*plane:], wp, ow, oh, kh, kw, dilH, dilW)
	}
}

// im2colPaddedPlaneGo is the pure-Go im2colPaddedPlane.
func im2colPaddedPlaneGo(dst []float32, ld int, plane []float32, wp, ow, oh, kh, kw, dilH, dilW int) {
	for ki := 0; ki < kh; ki++ {
		for kj := 0; kj < kw; kj++ {
			copyRowsGo(dst[(ki*kw+kj)*ld:], ow, plane[ki*dilH*wp+kj*dilW:], wp, ow, oh)
		}
	}
}

// copyRowsGo is the pure-Go copyRows8.
func copyRowsGo(dst []float32, dstStride int, src []float32, srcStride, n, rows int) {
	chunks := (n + 7) / 8
	for r := 0; r < rows; r++ {
		d, s := dst[r*dstStride:], src[r*srcStride:]
		for q := 0; q < chunks; q++ {
			*(*[8]float32)(d[q*8 : q*8+8]) = *(*[8]float32)(s[q*8 : q*8+8])
		}
	}
}

// copyRowsCheck panics unless copyRows8's reads and writes, rounded up to
// whole chunks, stay inside src and dst.
func copyRowsCheck(dst []float32, dstStride int, src []float32, srcStride, n, rows int) {
	span := (n + 7) / 8 * 8
	if rows > 0 && n > 0 && ((rows-1)*dstStride+span > len(dst) || (rows-1)*srcStride+span > len(src)) {
		panic(fmt.Sprintf("kernel: copyRows8: %d rows of %d values (strides %d, %d) overrun %d / %d values", rows, n, dstStride, srcStride, len(dst), len(src)))
	}
}
