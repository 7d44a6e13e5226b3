package tensor

import "github.com/duboko/duboko/internal/kernel"

// Image-at-a-time convolution. When a batch has a few images per worker,
// each image has enough output positions (convFusedMinOut) and one image's
// columns matrix fits comfortably in a core's L2 cache,
// the workers take short runs of consecutive images and, for every image,
// build its columns in a private buffer and run the image's products on
// them at once, single-threaded:
//
//	forward:  col = Im2col(x_n); y_n = W·col (written in place in NCHW) + b
//	backward: col = Im2col(x_n); ∂W_worker += G_n·colᵀ (as colᵀ's transpose
//	          product when C·kh·kw is large); dcol = Wᵀ·G_n (into the same
//	          buffer); ∂x_n = Col2im(dcol)
//
// The columns never leave L2, so im2col, col2im and the skinny products
// with few output channels are no longer bound by memory bandwidth; the
// forward pass keeps nothing (the backward pass rebuilds each image's
// columns, which costs less than writing and re-reading them through
// memory); the output and its gradient are used in NCHW order directly,
// without the scatter and transposition the batch-wide products need.
// The batch is cut into a few tasks of consecutive images per worker,
// which the workers claim as they become free. Each task's partial weight
// gradient has its own buffer and the partials are summed in task order,
// so the result does not depend on scheduling.

// convFusedMaxCols bounds the bytes of one image's columns matrix for the
// image-at-a-time path: half of a 1 MiB L2 cache, so that the columns and
// the product's packed panels stay in a core's L2 together.
const convFusedMaxCols = 512 << 10

// convFusedMinOut is the smallest output plane (OH·OW) with which a
// convolution runs image at a time. That path packs the weights for the
// GEMM once per image, a cost of about gemmPackWeight (8) output positions'
// worth of the product, so with few positions per image the packing
// dominates: measured at batch 64 on 2 cores (one training step's work
// each), the 32×32 DCGAN discriminator's [64,64,8,8]→[64,128,4,4] took
// 13.6 ms image at a time and 9.2 ms batched, its last 4×4→1×1 layer
// 2.0 ms and 0.6 ms; from 7×7 (49 positions) up, both paths were within
// noise or image at a time was faster (BENCHMARKS.md). Variable for the
// tests, which run the path on small planes.
var convFusedMinOut = 32

// convFusedOff disables the image-at-a-time path (for tests).
var convFusedOff bool

// convUseFused reports whether convolution g runs image at a time.
func convUseFused[T kfloat](g convGeom) bool {
	var z T
	return !convFusedOff && !g.batched && g.n >= 2*kernel.Workers() && g.ohw >= convFusedMinOut &&
		g.ckk*g.ohw*unsafeSizeof(z) <= convFusedMaxCols
}

// convFusedN returns the number of columns of an image's products: the
// number of output positions ohw, rounded up to whole column panels of the
// GEMM's micro-kernel (16 float32 or 8 float64 values) when that adds at
// most an eighth. A product whose last panel is partial runs it through
// masked stores and a separately packed panel, which costs more than
// computing the padding columns (MNIST's 14×14 maps: 196 → 208 columns;
// timings in BENCHMARKS.md); the padding columns are never read back.
func convFusedN[T kfloat](ohw int) int {
	var z T
	panel := 16
	if unsafeSizeof(z) == 8 {
		panel = 8
	}
	n := (ohw + panel - 1) / panel * panel
	if (n-ohw)*8 > ohw {
		return ohw
	}
	return n
}

// convFusedLD returns the row stride of an image's columns matrix for
// products of n columns, and whether the columns are built by
// kernel.Im2colPadded (float32, stride 1, rows of at least 8 values: every
// output row is then one contiguous run of the padded plane, copied in
// vector chunks instead of tap by tap), which needs a few values of slack
// after each row.
func convFusedLD[T kfloat](g convGeom, n int) (ld int, padded bool) {
	var z T
	if unsafeSizeof(z) != 4 || g.sh != 1 || g.sw != 1 || g.w < 8 || g.ow < 8 {
		return n, false
	}
	return max(n, (g.ohw+kernel.Im2colPaddedSlack+7)/8*8), true
}

// convIm2col writes image i's columns matrix into cols (row stride ld),
// through scratch when padded (see convFusedLD).
func convIm2col[T kfloat](g convGeom, x []T, i int, cols []T, ld int, padded bool, scratch []T) {
	xi := x[i*g.chw : (i+1)*g.chw]
	if padded {
		kernel.Im2colPadded(any(xi).([]float32), g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw, g.dh, g.dw, any(cols).([]float32), ld, any(scratch).([]float32))
		return
	}
	kernel.Im2colLD(xi, g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw, g.sh, g.sw, g.dh, g.dw, cols, ld)
}

// convScratch returns a scratch buffer for convIm2col (nil when not padded).
func convScratch[T kfloat](g convGeom, padded bool) *[]T {
	if !padded {
		return nil
	}
	return getBuf[T](kernel.Im2colPaddedScratch(g.c, g.h, g.w, g.ph, g.pw))
}

// convSplit returns the number of tasks, and the images per task, that
// the batch is cut into: several tasks per worker, claimed dynamically, so
// that a worker slowed down by other load does not hold up the step.
func convSplit(n int) (tasks, per int) {
	per = max((n+8*kernel.Workers()-1)/(8*kernel.Workers()), 1)
	return (n + per - 1) / per, per
}

// convForwardFused computes y = conv(x, w) + bias image by image. With
// padded products (see convFusedN) the product goes to a [F, n] buffer
// whose first ohw columns are copied out.
func convForwardFused[T kfloat](g convGeom, x, w, bias, y []T) {
	tasks, per := convSplit(g.n)
	n := convFusedN[T](g.ohw)
	ld, padded := convFusedLD[T](g, n)
	kernel.ParallelTasks(tasks, func(t int) {
		cb := getBuf[T](g.ckk * ld)
		cols := *cb
		sb := convScratch[T](g, padded)
		var scratch []T
		if sb != nil {
			scratch = *sb
		}
		var out []T
		var ob *[]T
		if n != g.ohw {
			ob = getBuf[T](g.f * n)
			out = *ob
		}
		for i := t * per; i < min((t+1)*per, g.n); i++ {
			convIm2col(g, x, i, cols, ld, padded, scratch)
			yi := y[i*g.fohw : (i+1)*g.fohw]
			if ob == nil {
				kernel.GemmSerial(false, false, g.f, g.ohw, g.ckk, 1, w, g.ckk, cols, ld, 0, yi, g.ohw)
			} else {
				kernel.GemmSerial(false, false, g.f, n, g.ckk, 1, w, g.ckk, cols, ld, 0, out, n)
				for f := 0; f < g.f; f++ {
					copy(yi[f*g.ohw:(f+1)*g.ohw], out[f*n:f*n+g.ohw])
				}
			}
			if bias != nil {
				for f := 0; f < g.f; f++ {
					kernel.AddScalar(bias[f], yi[f*g.ohw:(f+1)*g.ohw])
				}
			}
		}
		if ob != nil {
			putBuf(ob)
		}
		if sb != nil {
			putBuf(sb)
		}
		putBuf(cb)
	})
}

// convBackwardFused computes, image by image, dx (if not nil; accumulated)
// and dw (if not nil; overwritten) for upstream gradient gy.
func convBackwardFused[T kfloat](g convGeom, gy, x, w, dx, dw []T) {
	tasks, per := convSplit(g.n)
	// With many columns rows, dWᵀ = col·Gᵀ [CKK, F] runs faster than
	// dW = G·colᵀ (whose few rows take the GEMM's dot-product path).
	transposed := g.ckk >= 64
	var parts []*[]T
	if dw != nil {
		parts = make([]*[]T, tasks)
		for t := range parts {
			parts[t] = getBuf[T](g.ckk * g.f)
		}
	}
	n := convFusedN[T](g.ohw)
	ld, padded := convFusedLD[T](g, n)
	kernel.ParallelTasks(tasks, func(t int) {
		cb := getBuf[T](g.ckk * ld)
		cols := *cb
		var scratch []T
		sb := convScratch[T](g, padded && dw != nil)
		if sb != nil {
			scratch = *sb
		}
		var gpad []T // the upstream gradient with rows of n values
		var gb *[]T
		if dx != nil && n != g.ohw {
			gb = getBuf[T](g.f * n)
			gpad = *gb
		}
		lo, hi := t*per, min((t+1)*per, g.n)
		for i := lo; i < hi; i++ {
			gi := gy[i*g.fohw : (i+1)*g.fohw]
			if dw != nil {
				convIm2col(g, x, i, cols, ld, padded, scratch)
				var beta T
				if i > lo {
					beta = 1
				}
				part := *parts[t]
				if transposed {
					kernel.GemmSerial(false, true, g.ckk, g.f, g.ohw, 1, cols, ld, gi, g.ohw, beta, part, g.f)
				} else {
					kernel.GemmSerial(false, true, g.f, g.ckk, g.ohw, 1, gi, g.ohw, cols, ld, beta, part, g.ckk)
				}
			}
			if dx != nil {
				if gb == nil {
					kernel.GemmSerial(true, false, g.ckk, g.ohw, g.f, 1, w, g.ckk, gi, g.ohw, 0, cols, ld)
				} else {
					for f := 0; f < g.f; f++ {
						copy(gpad[f*n:f*n+g.ohw], gi[f*g.ohw:(f+1)*g.ohw])
					}
					kernel.GemmSerial(true, false, g.ckk, n, g.f, 1, w, g.ckk, gpad, n, 0, cols, ld)
				}
				kernel.Col2imLD(cols, ld, g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw, g.sh, g.sw, g.dh, g.dw, dx[i*g.chw:(i+1)*g.chw])
			}
		}
		if gb != nil {
			putBuf(gb)
		}
		if sb != nil {
			putBuf(sb)
		}
		putBuf(cb)
	})
	if dw == nil {
		return
	}
	sum := *parts[0]
	for t := 1; t < tasks; t++ {
		p := *parts[t]
		for j := range sum {
			sum[j] += p[j]
		}
	}
	if transposed {
		for r := 0; r < g.ckk; r++ {
			for f := 0; f < g.f; f++ {
				dw[f*g.ckk+r] = sum[r*g.f+f]
			}
		}
	} else {
		copy(dw, sum)
	}
	for _, p := range parts {
		putBuf(p)
	}
}
