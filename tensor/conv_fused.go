package tensor

import "github.com/duboko/duboko/internal/kernel"

// Image-at-a-time convolution. When a batch has a few images per worker
// and one image's columns matrix fits comfortably in a core's L2 cache,
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
// image-at-a-time path (half of the 1 MiB L2 of the machines measured).
const convFusedMaxCols = 512 << 10

// convFusedOff disables the image-at-a-time path (for tests).
var convFusedOff bool

// convUseFused reports whether convolution g runs image at a time.
func convUseFused[T kfloat](g convGeom) bool {
	var z T
	return !convFusedOff && g.n >= 2*kernel.Workers() &&
		g.ckk*g.ohw*unsafeSizeof(z) <= convFusedMaxCols
}

// convFusedLD returns the row stride of an image's columns matrix: the
// number of output positions ohw, rounded up to whole column panels of the
// GEMM's micro-kernel (16 float32 or 8 float64 values) when that adds at
// most an eighth. A product whose last panel is partial runs it through
// masked stores and a separately packed panel, which costs more than
// computing the padding columns (MNIST's 14×14 maps: 196 → 208 columns,
// 5–10% faster per product); the padding columns are never read back.
func convFusedLD[T kfloat](ohw int) int {
	var z T
	panel := 16
	if unsafeSizeof(z) == 8 {
		panel = 8
	}
	ld := (ohw + panel - 1) / panel * panel
	if (ld-ohw)*8 > ohw {
		return ohw
	}
	return ld
}

// convSplit returns the number of tasks, and the images per task, that
// the batch is cut into: several tasks per worker, claimed dynamically, so
// that a worker slowed down by other load does not hold up the step.
func convSplit(n int) (tasks, per int) {
	per = max((n+8*kernel.Workers()-1)/(8*kernel.Workers()), 1)
	return (n + per - 1) / per, per
}

// convForwardFused computes y = conv(x, w) + bias image by image. With
// padded columns (see convFusedLD) the product goes to a [F, ld] buffer
// whose first ohw columns are copied out.
func convForwardFused[T kfloat](g convGeom, x, w, bias, y []T) {
	tasks, per := convSplit(g.n)
	ld := convFusedLD[T](g.ohw)
	kernel.ParallelTasks(tasks, func(t int) {
		cb := getBuf[T](g.ckk * ld)
		cols := *cb
		var out []T
		var ob *[]T
		if ld != g.ohw {
			ob = getBuf[T](g.f * ld)
			out = *ob
		}
		for i := t * per; i < min((t+1)*per, g.n); i++ {
			kernel.Im2colLD(x[i*g.chw:(i+1)*g.chw], g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw, g.sh, g.sw, g.dh, g.dw, cols, ld)
			yi := y[i*g.fohw : (i+1)*g.fohw]
			if ob == nil {
				kernel.GemmSerial(false, false, g.f, g.ohw, g.ckk, 1, w, g.ckk, cols, g.ohw, 0, yi, g.ohw)
			} else {
				kernel.GemmSerial(false, false, g.f, ld, g.ckk, 1, w, g.ckk, cols, ld, 0, out, ld)
				for f := 0; f < g.f; f++ {
					copy(yi[f*g.ohw:(f+1)*g.ohw], out[f*ld:f*ld+g.ohw])
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
	ld := convFusedLD[T](g.ohw)
	kernel.ParallelTasks(tasks, func(t int) {
		cb := getBuf[T](g.ckk * ld)
		cols := *cb
		var gpad []T // the upstream gradient with rows of ld values
		var gb *[]T
		if dx != nil && ld != g.ohw {
			gb = getBuf[T](g.f * ld)
			gpad = *gb
		}
		lo, hi := t*per, min((t+1)*per, g.n)
		for i := lo; i < hi; i++ {
			gi := gy[i*g.fohw : (i+1)*g.fohw]
			if dw != nil {
				kernel.Im2colLD(x[i*g.chw:(i+1)*g.chw], g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw, g.sh, g.sw, g.dh, g.dw, cols, ld)
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
						copy(gpad[f*ld:f*ld+g.ohw], gi[f*g.ohw:(f+1)*g.ohw])
					}
					kernel.GemmSerial(true, false, g.ckk, ld, g.f, 1, w, g.ckk, gpad, ld, 0, cols, ld)
				}
				kernel.Col2imLD(cols, ld, g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw, g.sh, g.sw, g.dh, g.dw, dx[i*g.chw:(i+1)*g.chw])
			}
		}
		if gb != nil {
			putBuf(gb)
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
