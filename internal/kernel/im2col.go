package kernel

// im2col and col2im lower a 2-D convolution over one NCHW image to a matrix
// product. With the image's columns matrix col = Im2col(x) of shape
// [c*kh*kw, outH*outW] and the weights W of shape [out, c, kh, kw] viewed as
// [out, c*kh*kw], the convolution is y = W·col (shape [out, outH*outW]).
// The backward pass is dcol = Wᵀ·dy followed by Col2im(dcol), which adds
// each column entry back to the input pixel it was read from.
//
// Both routines run on the calling goroutine: the convolution layers
// parallelise over the images of a batch instead.

// ConvOutSize returns the output length of a convolution along one axis,
// (in+2*pad-dil*(k-1)-1)/stride+1 as in PyTorch, or 0 when the dilated
// kernel does not fit in the padded input.
func ConvOutSize(in, k, pad, stride, dil int) int {
	num := in + 2*pad - dil*(k-1) - 1
	if num < 0 || stride <= 0 {
		return 0
	}
	return num/stride + 1
}

// Im2col writes the columns matrix of one image src of shape [c, h, w] to
// dst, of shape [c*kh*kw, outH*outW] row-major, where outH and outW are
// given by ConvOutSize. Row (ci*kh+ki)*kw+kj holds, for every output
// position (oh, ow), the input pixel src[ci, oh*strideH-padH+ki*dilH,
// ow*strideW-padW+kj*dilW], or 0 where that falls in the padding. Every
// element of dst is written.
func Im2col[T float32 | float64](src []T, c, h, w, kh, kw, padH, padW, strideH, strideW, dilH, dilW int, dst []T) {
	ohw := ConvOutSize(h, kh, padH, strideH, dilH) * ConvOutSize(w, kw, padW, strideW, dilW)
	Im2colLD(src, c, h, w, kh, kw, padH, padW, strideH, strideW, dilH, dilW, dst, ohw)
}

// Im2colLD is Im2col writing row r of the columns matrix at dst[r*ld:],
// ld ≥ outH*outW. With ld = n*outH*outW and dst offset by i*outH*outW it
// builds the columns of image i of a batch side by side, so that one GEMM
// covers the whole batch.
func Im2colLD[T float32 | float64](src []T, c, h, w, kh, kw, padH, padW, strideH, strideW, dilH, dilW int, dst []T, ld int) {
	outH := ConvOutSize(h, kh, padH, strideH, dilH)
	outW := ConvOutSize(w, kw, padW, strideW, dilW)
	if outH <= 0 || outW <= 0 || c <= 0 {
		return
	}
	hw, ohw := h*w, outH*outW
	if ld < ohw {
		panic("kernel.Im2colLD: leading dimension smaller than outH*outW")
	}
	src = src[:c*hw]
	dst = dst[:(c*kh*kw-1)*ld+ohw]
	if ohw == 1 {
		// One output position (a kernel as large as the padded image, as
		// in a DCGAN discriminator's last layer): each row of the columns
		// matrix is one pixel or zero, and a call per row would cost more
		// than the copy.
		r := 0
		for ci := 0; ci < c; ci++ {
			plane := src[ci*hw : ci*hw+hw]
			for ki := 0; ki < kh; ki++ {
				ih := ki*dilH - padH
				for kj := 0; kj < kw; kj++ {
					iw := kj*dilW - padW
					var v T
					if ih >= 0 && ih < h && iw >= 0 && iw < w {
						v = plane[ih*w+iw]
					}
					dst[r*ld] = v
					r++
				}
			}
		}
		return
	}
	if im2colFast && im2colRowStride(strideW) {
		if s, ok := any(src).([]float32); ok {
			im2colLD32(s, any(dst).([]float32), c, h, w, kh, kw, padH, padW, strideH, strideW, dilH, dilW, outH, outW, ld)
			return
		}
	}
	for ci := 0; ci < c; ci++ {
		plane := src[ci*hw : ci*hw+hw]
		for ki := 0; ki < kh; ki++ {
			offH := ki*dilH - padH
			ohLo, ohHi := im2colValid(h, offH, strideH, outH)
			for kj := 0; kj < kw; kj++ {
				r := (ci*kh+ki)*kw + kj
				row := dst[r*ld : r*ld+ohw]
				offW := kj*dilW - padW
				owLo, owHi := im2colValid(w, offW, strideW, outW)
				clear(row[:ohLo*outW])
				clear(row[ohHi*outW:])
				for oh := ohLo; oh < ohHi; oh++ {
					out := row[oh*outW : oh*outW+outW]
					ih := oh*strideH + offH
					in := plane[ih*w : ih*w+w]
					for i := range out[:owLo] {
						out[i] = 0
					}
					for i := range out[owHi:] {
						out[owHi+i] = 0
					}
					if owLo >= owHi {
						continue
					}
					if strideW == 1 {
						// short rows: an inlined loop beats a memmove call
						seg, src := out[owLo:owHi], in[owLo+offW:owHi+offW]
						if len(seg) <= 32 {
							src = src[:len(seg)]
							for i := range seg {
								seg[i] = src[i]
							}
						} else {
							copy(seg, src)
						}
						continue
					}
					seg := out[owLo:owHi]
					iw := owLo*strideW + offW
					for i := range seg {
						seg[i] = in[iw]
						iw += strideW
					}
				}
			}
		}
	}
}

// Col2im adds the columns matrix col, of shape [c*kh*kw, outH*outW] as
// produced by Im2col, back into the image dst of shape [c, h, w]: every
// column entry is added to the input pixel Im2col read it from, and entries
// that fell in the padding are dropped. It accumulates, so the caller
// zeroes dst first when it wants the plain adjoint; Col2im is the adjoint
// (transpose) of Im2col.
func Col2im[T float32 | float64](col []T, c, h, w, kh, kw, padH, padW, strideH, strideW, dilH, dilW int, dst []T) {
	ohw := ConvOutSize(h, kh, padH, strideH, dilH) * ConvOutSize(w, kw, padW, strideW, dilW)
	Col2imLD(col, ohw, c, h, w, kh, kw, padH, padW, strideH, strideW, dilH, dilW, dst)
}

// Col2imLD is Col2im reading row r of the columns matrix at col[r*ld:]
// (see Im2colLD).
func Col2imLD[T float32 | float64](col []T, ld, c, h, w, kh, kw, padH, padW, strideH, strideW, dilH, dilW int, dst []T) {
	outH := ConvOutSize(h, kh, padH, strideH, dilH)
	outW := ConvOutSize(w, kw, padW, strideW, dilW)
	if outH <= 0 || outW <= 0 || c <= 0 {
		return
	}
	hw, ohw := h*w, outH*outW
	if ld < ohw {
		panic("kernel.Col2imLD: leading dimension smaller than outH*outW")
	}
	col = col[:(c*kh*kw-1)*ld+ohw]
	dst = dst[:c*hw]
	if ohw == 1 {
		// One output position: each row of the columns matrix adds one
		// value to one pixel, or falls in the padding (see Im2colLD).
		r := 0
		for ci := 0; ci < c; ci++ {
			plane := dst[ci*hw : ci*hw+hw]
			for ki := 0; ki < kh; ki++ {
				ih := ki*dilH - padH
				for kj := 0; kj < kw; kj++ {
					iw := kj*dilW - padW
					if ih >= 0 && ih < h && iw >= 0 && iw < w {
						plane[ih*w+iw] += col[r*ld]
					}
					r++
				}
			}
		}
		return
	}
	if im2colFast && im2colRowStride(strideW) {
		if d, ok := any(dst).([]float32); ok {
			col2imLD32(any(col).([]float32), ld, c, h, w, kh, kw, padH, padW, strideH, strideW, dilH, dilW, outH, outW, d)
			return
		}
	}
	for ci := 0; ci < c; ci++ {
		plane := dst[ci*hw : ci*hw+hw]
		for ki := 0; ki < kh; ki++ {
			offH := ki*dilH - padH
			ohLo, ohHi := im2colValid(h, offH, strideH, outH)
			for kj := 0; kj < kw; kj++ {
				r := (ci*kh+ki)*kw + kj
				row := col[r*ld : r*ld+ohw]
				offW := kj*dilW - padW
				owLo, owHi := im2colValid(w, offW, strideW, outW)
				if owLo >= owHi {
					continue
				}
				for oh := ohLo; oh < ohHi; oh++ {
					seg := row[oh*outW+owLo : oh*outW+owHi]
					ih := oh*strideH + offH
					in := plane[ih*w : ih*w+w]
					if strideW == 1 {
						acc := in[owLo+offW : owHi+offW]
						if len(seg) <= 32 { // short rows: inline rather than call the vector kernel
							acc = acc[:len(seg)]
							for i, v := range seg {
								acc[i] += v
							}
						} else {
							Add(acc, seg, acc)
						}
						continue
					}
					iw := owLo*strideW + offW
					for _, v := range seg {
						in[iw] += v
						iw += strideW
					}
				}
			}
		}
	}
}

// im2colLD32 is Im2colLD for float32 on the row kernel im2colRow32 (AVX2
// or AVX-512 assembly on amd64), which fills one whole row of the columns
// matrix, all output rows oh, per call; im2colRowStride(strideW) holds.
// src and dst are already cut to the lengths Im2colLD reads and writes.
func im2colLD32(src, dst []float32, c, h, w, kh, kw, padH, padW, strideH, strideW, dilH, dilW, outH, outW, ld int) {
	hw, ohw := h*w, outH*outW
	for ci := 0; ci < c; ci++ {
		plane := src[ci*hw : ci*hw+hw]
		for ki := 0; ki < kh; ki++ {
			offH := ki*dilH - padH
			ohLo, ohHi := im2colValid(h, offH, strideH, outH)
			for kj := 0; kj < kw; kj++ {
				r := (ci*kh+ki)*kw + kj
				offW := kj*dilW - padW
				owLo, owHi := im2colValid(w, offW, strideW, outW)
				lo, hi := ohLo, ohHi
				if owLo >= owHi {
					lo, hi = 0, 0 // nothing valid: the whole row is zero
				}
				im2colRow32(plane, dst[r*ld:r*ld+ohw], w, outW, lo, hi, owLo, owHi, offW, offH, strideW, strideH)
			}
		}
	}
}

// col2imLD32 is Col2imLD for float32 on the row kernel col2imRow32 (AVX2
// or AVX-512 assembly on amd64), which adds one whole row of the columns
// matrix back into the image per call; im2colRowStride(strideW) holds. col
// and dst are already cut to the lengths Col2imLD reads and writes.
func col2imLD32(col []float32, ld, c, h, w, kh, kw, padH, padW, strideH, strideW, dilH, dilW, outH, outW int, dst []float32) {
	hw, ohw := h*w, outH*outW
	for ci := 0; ci < c; ci++ {
		plane := dst[ci*hw : ci*hw+hw]
		for ki := 0; ki < kh; ki++ {
			offH := ki*dilH - padH
			ohLo, ohHi := im2colValid(h, offH, strideH, outH)
			if ohLo >= ohHi {
				continue
			}
			for kj := 0; kj < kw; kj++ {
				r := (ci*kh+ki)*kw + kj
				offW := kj*dilW - padW
				owLo, owHi := im2colValid(w, offW, strideW, outW)
				if owLo >= owHi {
					continue
				}
				col2imRow32(col[r*ld:r*ld+ohw], plane, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH)
			}
		}
	}
}

// im2colValid returns the range [lo, hi) of output positions o < out whose
// input coordinate o*stride+off lies inside [0, size). lo <= hi always.
func im2colValid(size, off, stride, out int) (lo, hi int) {
	if off < 0 {
		lo = (-off + stride - 1) / stride
	}
	if last := size - 1 - off; last >= 0 {
		hi = min(last/stride+1, out)
	}
	lo = min(lo, hi)
	return lo, hi
}

// im2colRowGo is the pure-Go row kernel: it writes one row of the columns
// matrix (one (ci, ki, kj)), row[oh*outW+ow] =
// plane[(oh*strideH+offH)*w+ow*strideW+offW] for oh in [ohLo, ohHi) and ow
// in [owLo, owHi), and 0 elsewhere in row (len(row) = outH*outW).
func im2colRowGo(plane, row []float32, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int) {
	clear(row[:ohLo*outW])
	clear(row[ohHi*outW:])
	for oh := ohLo; oh < ohHi; oh++ {
		out := row[oh*outW : oh*outW+outW]
		ih := oh*strideH + offH
		in := plane[ih*w : ih*w+w]
		clear(out[:owLo])
		clear(out[owHi:])
		for ow := owLo; ow < owHi; ow++ {
			out[ow] = in[ow*strideW+offW]
		}
	}
}

// col2imRowGo is the pure-Go row kernel of col2im: it adds one row of the
// columns matrix back into the image plane,
// plane[(oh*strideH+offH)*w+ow*strideW+offW] += row[oh*outW+ow] for oh in
// [ohLo, ohHi) and ow in [owLo, owHi).
func col2imRowGo(row, plane []float32, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int) {
	for oh := ohLo; oh < ohHi; oh++ {
		seg := row[oh*outW+owLo : oh*outW+owHi]
		in := plane[(oh*strideH+offH)*w:]
		for i, v := range seg {
			in[(owLo+i)*strideW+offW] += v
		}
	}
}
