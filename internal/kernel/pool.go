package kernel

import "math"

// Windowed 2-D pooling over NCHW batches, with PyTorch's semantics:
//
//   - Output sizes use floor mode (ceil_mode=false): PoolOutSize.
//   - Padding may be at most half the kernel size along each axis (PyTorch
//     rejects more), so every window overlaps the input.
//   - Max pooling treats padding as -inf: only input pixels compete. The
//     argmax is the flat index ih*w+iw within the input plane. Ties go to the
//     FIRST maximum in row-major window order (a later equal value does not
//     replace it); a NaN wins over any number and a later NaN replaces an
//     earlier one, exactly as in PyTorch's CPU kernel.
//   - Average pooling uses count_include_pad=true (PyTorch's default): every
//     window sum is divided by kh*kw, padded taps counting as zeros.
//
// The forward functions overwrite dst; the backward functions accumulate
// into gradIn, which the caller zeroes first. Work is split over the n*c
// planes with ParallelFor and runs inline when the batch is small.

// poolMinWork is roughly how many window taps a worker should get before
// splitting a pooling job across goroutines pays off.
const poolMinWork = 1 << 15

// PoolOutSize returns the output length of a pooling window along one axis
// in floor mode, (in+2*pad-k)/stride+1, or 0 when the window does not fit.
func PoolOutSize(in, k, pad, stride int) int {
	num := in + 2*pad - k
	if num < 0 || stride <= 0 {
		return 0
	}
	return num/stride + 1
}

// poolCheck panics on window parameters PyTorch rejects.
func poolCheck(op string, kh, kw, strideH, strideW, padH, padW int) {
	if kh <= 0 || kw <= 0 || strideH <= 0 || strideW <= 0 {
		panic("kernel." + op + ": kernel size and stride must be positive")
	}
	if padH < 0 || padW < 0 || 2*padH > kh || 2*padW > kw {
		panic("kernel." + op + ": padding must be between 0 and half the kernel size")
	}
}

// poolChunk returns ParallelFor's minimum chunk (in planes) for planes of
// the given work (window taps per plane).
func poolChunk(work int) int {
	return poolMinWork/max(work, 1) + 1
}

// MaxPool2d computes max pooling of src, shape [n, c, h, w], into dst,
// shape [n, c, outH, outW] with outH = PoolOutSize(h, kh, padH, strideH) and
// outW = PoolOutSize(w, kw, padW, strideW). When argmax is not nil (it has
// len(dst) entries) it receives, for each output, the flat index within its
// input plane of the winning pixel: the first maximum in row-major window
// order (see the file comment for ties and NaN).
func MaxPool2d[T float32 | float64](src []T, n, c, h, w, kh, kw, strideH, strideW, padH, padW int, dst []T, argmax []int32) {
	poolCheck("MaxPool2d", kh, kw, strideH, strideW, padH, padW)
	outH, outW := PoolOutSize(h, kh, padH, strideH), PoolOutSize(w, kw, padW, strideW)
	planes, hw, ohw := n*c, h*w, outH*outW
	if planes <= 0 || ohw <= 0 {
		return
	}
	src = src[:planes*hw]
	dst = dst[:planes*ohw]
	if argmax != nil {
		argmax = argmax[:planes*ohw]
	}
	if kh == 2 && kw == 2 && strideH == 2 && strideW == 2 && padH == 0 && padW == 0 {
		maxPool2x2Planes(src, planes, hw, w, outH, outW, dst, argmax)
		return
	}
	ParallelFor(planes, poolChunk(ohw*kh*kw), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			in, out := src[p*hw:p*hw+hw], dst[p*ohw:p*ohw+ohw]
			var am []int32
			if argmax != nil {
				am = argmax[p*ohw : p*ohw+ohw]
			}
			maxPoolPlane(in, h, w, kh, kw, strideH, strideW, padH, padW, outH, outW, out, am)
		}
	})
}

// maxPoolPlane is the general max pooling of one plane.
func maxPoolPlane[T float32 | float64](in []T, h, w, kh, kw, strideH, strideW, padH, padW, outH, outW int, out []T, am []int32) {
	negInf := T(math.Inf(-1))
	for oh := 0; oh < outH; oh++ {
		h0 := oh*strideH - padH
		h1 := min(h0+kh, h)
		h0 = max(h0, 0)
		for ow := 0; ow < outW; ow++ {
			w0 := ow*strideW - padW
			w1 := min(w0+kw, w)
			w0 = max(w0, 0)
			m, idx := negInf, h0*w+w0
			for ih := h0; ih < h1; ih++ {
				row := in[ih*w+w0 : ih*w+w1]
				for j, v := range row {
					if v > m || v != v {
						m, idx = v, ih*w+w0+j
					}
				}
			}
			out[oh*outW+ow] = m
			if am != nil {
				am[oh*outW+ow] = int32(idx)
			}
		}
	}
}

// maxPool2x2Planes is max pooling with a 2×2 window, stride 2 and no
// padding (the common CNN case) of the planes in src, each hw = h*w long,
// into dst (outH*outW per plane) and, when not nil, argmax. float32 goes to
// maxPool2x2F32 (AVX2 assembly on amd64, pure Go elsewhere); float64 to the
// branch-free pure-Go maxPool2x2Go.
func maxPool2x2Planes[T float32 | float64](src []T, planes, hw, w, outH, outW int, dst []T, argmax []int32) {
	ohw := outH * outW
	plane := maxPool2x2Go[T]
	if f, ok := any(maxPool2x2F32).(func([]T, int, int, int, []T, []int32)); ok {
		plane = f
	}
	ParallelFor(planes, poolChunk(ohw*4), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			var am []int32
			if argmax != nil {
				am = argmax[p*ohw : p*ohw+ohw]
			}
			plane(src[p*hw:p*hw+hw], w, outH, outW, dst[p*ohw:p*ohw+ohw], am)
		}
	})
}

// b2i is 1 for true and 0 for false; the compiler turns it into SETcc, so
// comparisons combined with it need no branches.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// maxPool2x2Go is max pooling of one plane with a 2×2 window, stride 2 and
// no padding, without data-dependent branches (after a convolution the
// signs are random and a compare-and-branch mispredicts often). It picks
// the winner of each row's pair and then of the two rows as integer
// offsets, selected with masks, and loads the value by the
// final offset. The tree (a, b), (c, d), then the two winners, with a later
// candidate winning when it is greater or NaN, gives the same result as the
// sequential scan in row-major window order: first maximum on ties, last
// NaN when there are NaNs.
func maxPool2x2Go[T float32 | float64](in []T, w, outH, outW int, out []T, am []int32) {
	for oh := 0; oh < outH; oh++ {
		base := 2 * oh * w
		rr := in[base : base+w+2*outW]
		r0, r1 := rr[:2*outW], rr[w:w+2*outW]
		o := out[oh*outW : oh*outW+outW]
		if am == nil {
			for ow := range o {
				j := 2 * ow
				a, b := r0[j], r0[j+1]
				c, d := r1[j], r1[j+1]
				k0 := j + (b2i(b > a) | b2i(b != b))
				k1 := j + (b2i(d > c) | b2i(d != d))
				v0, v1 := r0[k0], r1[k1]
				k := k0 ^ ((k0 ^ (w + k1)) & -(b2i(v1 > v0) | b2i(v1 != v1)))
				o[ow] = rr[k]
			}
			continue
		}
		ao := am[oh*outW : oh*outW+outW]
		for ow := range o {
			j := 2 * ow
			a, b := r0[j], r0[j+1]
			c, d := r1[j], r1[j+1]
			k0 := j + (b2i(b > a) | b2i(b != b))
			k1 := j + (b2i(d > c) | b2i(d != d))
			v0, v1 := r0[k0], r1[k1]
			k := k0 ^ ((k0 ^ (w + k1)) & -(b2i(v1 > v0) | b2i(v1 != v1)))
			o[ow] = rr[k]
			ao[ow] = int32(base + k)
		}
	}
}

// MaxPool2dBackward routes gradOut, shape [n, c, outH, outW], to the argmax
// pixels recorded by MaxPool2d, adding into gradIn of shape [n, c, h, w].
func MaxPool2dBackward[T float32 | float64](gradOut []T, argmax []int32, n, c, h, w, outH, outW int, gradIn []T) {
	planes, hw, ohw := n*c, h*w, outH*outW
	if planes <= 0 || ohw <= 0 {
		return
	}
	gradOut = gradOut[:planes*ohw]
	argmax = argmax[:planes*ohw]
	gradIn = gradIn[:planes*hw]
	ParallelFor(planes, poolChunk(ohw), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			g, gi := gradOut[p*ohw:p*ohw+ohw], gradIn[p*hw:p*hw+hw]
			am := argmax[p*ohw : p*ohw+ohw]
			for i, idx := range am {
				gi[idx] += g[i]
			}
		}
	})
}

// AvgPool2d computes average pooling of src, shape [n, c, h, w], into dst,
// shape [n, c, outH, outW] (sizes as for MaxPool2d), with
// count_include_pad=true: each window sum is divided by kh*kw.
func AvgPool2d[T float32 | float64](src []T, n, c, h, w, kh, kw, strideH, strideW, padH, padW int, dst []T) {
	poolCheck("AvgPool2d", kh, kw, strideH, strideW, padH, padW)
	outH, outW := PoolOutSize(h, kh, padH, strideH), PoolOutSize(w, kw, padW, strideW)
	planes, hw, ohw := n*c, h*w, outH*outW
	if planes <= 0 || ohw <= 0 {
		return
	}
	src = src[:planes*hw]
	dst = dst[:planes*ohw]
	inv := 1 / T(kh*kw)
	fast := kh == 2 && kw == 2 && strideH == 2 && strideW == 2 && padH == 0 && padW == 0
	ParallelFor(planes, poolChunk(ohw*kh*kw), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			in, out := src[p*hw:p*hw+hw], dst[p*ohw:p*ohw+ohw]
			if fast {
				avgPool2x2(in, w, outH, outW, out)
				continue
			}
			for oh := 0; oh < outH; oh++ {
				h0 := oh*strideH - padH
				h1 := min(h0+kh, h)
				h0 = max(h0, 0)
				for ow := 0; ow < outW; ow++ {
					w0 := ow*strideW - padW
					w1 := min(w0+kw, w)
					w0 = max(w0, 0)
					var s T
					for ih := h0; ih < h1; ih++ {
						for _, v := range in[ih*w+w0 : ih*w+w1] {
							s += v
						}
					}
					out[oh*outW+ow] = s * inv
				}
			}
		}
	})
}

// AvgPool2dBackward spreads gradOut, shape [n, c, outH, outW], evenly over
// each window (gradOut/(kh*kw) per input tap, padding dropped), adding into
// gradIn of shape [n, c, h, w]. The window parameters are those given to
// AvgPool2d.
func AvgPool2dBackward[T float32 | float64](gradOut []T, n, c, h, w, kh, kw, strideH, strideW, padH, padW int, gradIn []T) {
	poolCheck("AvgPool2dBackward", kh, kw, strideH, strideW, padH, padW)
	outH, outW := PoolOutSize(h, kh, padH, strideH), PoolOutSize(w, kw, padW, strideW)
	planes, hw, ohw := n*c, h*w, outH*outW
	if planes <= 0 || ohw <= 0 {
		return
	}
	gradOut = gradOut[:planes*ohw]
	gradIn = gradIn[:planes*hw]
	inv := 1 / T(kh*kw)
	fast := kh == 2 && kw == 2 && strideH == 2 && strideW == 2 && padH == 0 && padW == 0
	ParallelFor(planes, poolChunk(ohw*kh*kw), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			g, gi := gradOut[p*ohw:p*ohw+ohw], gradIn[p*hw:p*hw+hw]
			if fast {
				avgPool2x2Backward(g, w, outH, outW, gi)
				continue
			}
			for oh := 0; oh < outH; oh++ {
				h0 := oh*strideH - padH
				h1 := min(h0+kh, h)
				h0 = max(h0, 0)
				for ow := 0; ow < outW; ow++ {
					w0 := ow*strideW - padW
					w1 := min(w0+kw, w)
					w0 = max(w0, 0)
					v := g[oh*outW+ow] * inv
					for ih := h0; ih < h1; ih++ {
						row := gi[ih*w+w0 : ih*w+w1]
						for j := range row {
							row[j] += v
						}
					}
				}
			}
		}
	})
}

// avgPool2x2 is average pooling of one plane with a 2×2 window, stride 2
// and no padding.
func avgPool2x2[T float32 | float64](in []T, w, outH, outW int, out []T) {
	for oh := 0; oh < outH; oh++ {
		base := 2 * oh * w
		r0 := in[base : base+2*outW]
		r1 := in[base+w : base+w+2*outW]
		o := out[oh*outW : oh*outW+outW]
		for ow := range o {
			a, b := r0[2*ow:2*ow+2:2*ow+2], r1[2*ow:2*ow+2:2*ow+2]
			o[ow] = ((a[0] + a[1]) + (b[0] + b[1])) * 0.25
		}
	}
}

// avgPool2x2Backward adds a quarter of each output gradient to its 2×2
// window of one plane (stride 2, no padding).
func avgPool2x2Backward[T float32 | float64](g []T, w, outH, outW int, gi []T) {
	for oh := 0; oh < outH; oh++ {
		base := 2 * oh * w
		r0 := gi[base : base+2*outW]
		r1 := gi[base+w : base+w+2*outW]
		gr := g[oh*outW : oh*outW+outW]
		for ow, v := range gr {
			v *= 0.25
			a, b := r0[2*ow:2*ow+2:2*ow+2], r1[2*ow:2*ow+2:2*ow+2]
			a[0] += v
			a[1] += v
			b[0] += v
			b[1] += v
		}
	}
}
