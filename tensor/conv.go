package tensor

import (
	"fmt"
	"sync"

	"github.com/duboko/duboko/internal/kernel"
)

// 2-D convolution (really cross-correlation, as in PyTorch) over NCHW
// batches, lowered to matrix products with im2col:
//
//	col_n = Im2col(x_n)            [C·kh·kw, OH·OW]
//	y_n   = W·col_n + b            W viewed as [F, C·kh·kw]
//
// and, for the upstream gradient G_n = ∂L/∂y_n,
//
//	∂L/∂W = Σ_n G_n·col_nᵀ
//	∂L/∂x_n = Col2im(Wᵀ·G_n)
//	∂L/∂b = Σ_{n,h,w} G_n
//
// Images are processed independently, split over the workers with
// kernel.ParallelFor; each worker reuses one column buffer (from a
// sync.Pool) for all its images, so a step allocates little besides the
// outputs. The backward pass recomputes the columns instead of keeping them
// from the forward pass: im2col is a cheap copy and the buffer stays in
// cache for the GEMM that follows.

// convGeom holds the sizes of one convolution.
type convGeom struct {
	n, c, h, w    int // input
	f, kh, kw     int // filters
	oh, ow        int // output
	sh, sw        int // stride
	ph, pw        int // padding
	dh, dw        int // dilation
	ckk, ohw, chw int
	fohw          int
}

func newConvGeom(op string, xs, ws []int, stride, pad, dil [2]int) convGeom {
	if len(xs) != 4 || len(ws) != 4 || xs[1] != ws[1] {
		panic(shapeErr(op, "want x [N,C,H,W] and weight [F,C,kh,kw]", xs, ws))
	}
	if stride[0] <= 0 || stride[1] <= 0 || dil[0] <= 0 || dil[1] <= 0 || pad[0] < 0 || pad[1] < 0 {
		panic(shapeErr(op, fmt.Sprintf("stride %v and dilation %v must be positive, padding %v non-negative", stride, dil, pad), xs, ws))
	}
	g := convGeom{n: xs[0], c: xs[1], h: xs[2], w: xs[3], f: ws[0], kh: ws[2], kw: ws[3],
		sh: stride[0], sw: stride[1], ph: pad[0], pw: pad[1], dh: dil[0], dw: dil[1]}
	g.oh = kernel.ConvOutSize(g.h, g.kh, g.ph, g.sh, g.dh)
	g.ow = kernel.ConvOutSize(g.w, g.kw, g.pw, g.sw, g.dw)
	if g.oh <= 0 || g.ow <= 0 {
		panic(shapeErr(op, fmt.Sprintf("kernel (dilation %v) larger than padded input (padding %v)", dil, pad), xs, ws))
	}
	g.ckk, g.ohw, g.chw = g.c*g.kh*g.kw, g.oh*g.ow, g.c*g.h*g.w
	g.fohw = g.f * g.ohw
	return g
}

// kfloat is the element constraint of the kernel package.
type kfloat interface{ float32 | float64 }

// colPool32 and colPool64 recycle column buffers between calls.
var colPool32, colPool64 sync.Pool

// getBuf returns a slice of length n from the pool for T (contents undefined).
func getBuf[T kfloat](n int) *[]T {
	var z T
	p := &colPool64
	if _, ok := any(z).(float32); ok {
		p = &colPool32
	}
	if v, _ := p.Get().(*[]T); v != nil && cap(*v) >= n {
		*v = (*v)[:n]
		return v
	}
	s := make([]T, n)
	return &s
}

// putBuf returns a buffer from getBuf to its pool.
func putBuf[T kfloat](b *[]T) {
	var z T
	if _, ok := any(z).(float32); ok {
		colPool32.Put(b)
	} else {
		colPool64.Put(b)
	}
}

// Conv2d returns the 2-D convolution (cross-correlation) of x [N,C,H,W]
// with weight w [F,C,kh,kw] plus bias b [F] (b may be nil), with the given
// stride, zero padding and dilation per axis (height, width), as
// torch.nn.functional.conv2d with groups=1. The output is [N,F,OH,OW] with
// OH = (H+2·pad−dil·(kh−1)−1)/stride+1 (floor), likewise OW.
func Conv2d(x, w, b *Tensor, stride, pad, dil [2]int) *Tensor {
	ins := []*Tensor{x, w}
	if b != nil {
		sameDType("Conv2d", x, w, b)
		ins = append(ins, b)
	} else {
		sameDType("Conv2d", x, w)
	}
	g := newConvGeom("Conv2d", x.shape, w.shape, stride, pad, dil)
	if b != nil && (len(b.shape) != 1 || b.shape[0] != g.f) {
		panic(shapeErr("Conv2d", "bias must be [F]", w.shape, b.shape))
	}
	y := alloc(x.dtype, []int{g.n, g.f, g.oh, g.ow})
	if x.dtype == Float64 {
		convForward(g, x.f64, w.f64, biasOf[float64](b), y.f64)
	} else {
		convForward(g, x.f32, w.f32, biasOf[float32](b), y.f32)
	}
	return record("Conv2d", y, ins, func(gr *Tensor) []*Tensor {
		gs := make([]*Tensor, len(ins))
		if x.requiresGrad {
			gs[0] = Conv2dBackwardInput(gr, w, x.shape, stride, pad, dil)
		}
		if w.requiresGrad {
			gs[1] = Conv2dBackwardWeight(gr, x, w.shape, stride, pad, dil)
		}
		if b != nil && b.requiresGrad {
			gs[2] = Conv2dBackwardBias(gr)
		}
		return gs
	})
}

func biasOf[T kfloat](b *Tensor) []T {
	if b == nil {
		return nil
	}
	return sliceOf[T](b)
}

// convChunk is the smallest number of images per worker: below about one
// 64³ GEMM of work per worker the goroutines are not worth starting.
func convChunk(g convGeom) int {
	work := g.fohw * g.ckk
	return (1<<18)/max(work, 1) + 1
}

// convForward computes y = conv(x, w) + bias for the whole batch.
func convForward[T kfloat](g convGeom, x, w, bias, y []T) {
	kernel.ParallelFor(g.n, convChunk(g), func(lo, hi int) {
		buf := getBuf[T](g.ckk * g.ohw)
		col := *buf
		for i := lo; i < hi; i++ {
			kernel.Im2col(x[i*g.chw:(i+1)*g.chw], g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw, g.sh, g.sw, g.dh, g.dw, col)
			yi := y[i*g.fohw : (i+1)*g.fohw]
			var beta T
			if bias != nil {
				for f, v := range bias {
					row := yi[f*g.ohw : (f+1)*g.ohw]
					for j := range row {
						row[j] = v
					}
				}
				beta = 1
			}
			gemmT(false, false, g.f, g.ohw, g.ckk, w, g.ckk, col, g.ohw, beta, yi, g.ohw)
		}
		putBuf(buf)
	})
}

// gemmT dispatches C = op(A)·op(B) + beta·C to Sgemm or Dgemm.
func gemmT[T kfloat](transA, transB bool, m, n, k int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	switch a := any(a).(type) {
	case []float32:
		kernel.Sgemm(transA, transB, m, n, k, 1, a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	case []float64:
		kernel.Dgemm(transA, transB, m, n, k, 1, a, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	}
}

// Conv2dBackwardInput returns ∂L/∂x for Conv2d given grad = ∂L/∂y
// [N,F,OH,OW], the weight w [F,C,kh,kw] and the input's shape: for each
// image, Col2im(Wᵀ·grad_n). It records nothing; it is the hand-derived
// formula the recorded Conv2d and the nn.Conv2d layer use.
func Conv2dBackwardInput(grad, w *Tensor, xShape []int, stride, pad, dil [2]int) *Tensor {
	sameDType("Conv2dBackwardInput", grad, w)
	g := newConvGeom("Conv2dBackwardInput", xShape, w.shape, stride, pad, dil)
	checkConvGrad("Conv2dBackwardInput", g, grad)
	dx := alloc(w.dtype, xShape)
	if w.dtype == Float64 {
		convBackwardInput(g, grad.f64, w.f64, dx.f64)
	} else {
		convBackwardInput(g, grad.f32, w.f32, dx.f32)
	}
	return dx
}

func checkConvGrad(op string, g convGeom, grad *Tensor) {
	want := []int{g.n, g.f, g.oh, g.ow}
	if !sameShape(grad.shape, want) {
		panic(shapeErr(op, "gradient must have the output's shape", want, grad.shape))
	}
}

func convBackwardInput[T kfloat](g convGeom, gy, w, dx []T) {
	kernel.ParallelFor(g.n, convChunk(g), func(lo, hi int) {
		buf := getBuf[T](g.ckk * g.ohw)
		dcol := *buf
		for i := lo; i < hi; i++ {
			gemmT(true, false, g.ckk, g.ohw, g.f, w, g.ckk, gy[i*g.fohw:(i+1)*g.fohw], g.ohw, 0, dcol, g.ohw)
			kernel.Col2im(dcol, g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw, g.sh, g.sw, g.dh, g.dw, dx[i*g.chw:(i+1)*g.chw])
		}
		putBuf(buf)
	})
}

// Conv2dBackwardWeight returns ∂L/∂W = Σ_n grad_n·Im2col(x_n)ᵀ for Conv2d,
// given grad = ∂L/∂y [N,F,OH,OW], the input x and the weight's shape. It
// records nothing. Each worker sums its images into a private buffer and
// the partial sums are added in a fixed order, so the result does not
// depend on scheduling.
func Conv2dBackwardWeight(grad, x *Tensor, wShape []int, stride, pad, dil [2]int) *Tensor {
	sameDType("Conv2dBackwardWeight", grad, x)
	g := newConvGeom("Conv2dBackwardWeight", x.shape, wShape, stride, pad, dil)
	checkConvGrad("Conv2dBackwardWeight", g, grad)
	dw := alloc(x.dtype, wShape)
	if x.dtype == Float64 {
		convBackwardWeight(g, grad.f64, x.f64, dw.f64)
	} else {
		convBackwardWeight(g, grad.f32, x.f32, dw.f32)
	}
	return dw
}

func convBackwardWeight[T kfloat](g convGeom, gy, x, dw []T) {
	chunk := convChunk(g)
	workers := min(kernel.Workers(), g.n/chunk)
	if workers <= 1 {
		convWeightRange(g, gy, x, dw, 0, g.n)
		return
	}
	// Split the batch into as many equal chunks as ParallelFor would and
	// give each its own accumulator.
	per := (g.n + workers - 1) / workers
	parts := (g.n + per - 1) / per
	size := g.f * g.ckk
	pbuf := getBuf[T](size * (parts - 1))
	partial := *pbuf
	clear(partial)
	kernel.ParallelFor(parts, 1, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			acc := dw
			if p > 0 {
				acc = partial[(p-1)*size : p*size]
			}
			convWeightRange(g, gy, x, acc, p*per, min((p+1)*per, g.n))
		}
	})
	for p := 1; p < parts; p++ {
		kernel.Add(dw, partial[(p-1)*size:p*size], dw)
	}
	putBuf(pbuf)
}

// convWeightRange adds Σ_{lo<=i<hi} grad_i·col_iᵀ to acc.
func convWeightRange[T kfloat](g convGeom, gy, x, acc []T, lo, hi int) {
	buf := getBuf[T](g.ckk * g.ohw)
	col := *buf
	for i := lo; i < hi; i++ {
		kernel.Im2col(x[i*g.chw:(i+1)*g.chw], g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw, g.sh, g.sw, g.dh, g.dw, col)
		gemmT(false, true, g.f, g.ckk, g.ohw, gy[i*g.fohw:(i+1)*g.fohw], g.ohw, col, g.ohw, 1, acc, g.ckk)
	}
	putBuf(buf)
}

// Conv2dBackwardBias returns ∂L/∂b = Σ_{n,h,w} grad for grad [N,F,OH,OW].
// It records nothing.
func Conv2dBackwardBias(grad *Tensor) *Tensor {
	if len(grad.shape) != 4 {
		panic(shapeErr("Conv2dBackwardBias", "gradient must be [N,F,OH,OW]", grad.shape))
	}
	n, f, hw := grad.shape[0], grad.shape[1], grad.shape[2]*grad.shape[3]
	db := alloc(grad.dtype, []int{f})
	if grad.dtype == Float64 {
		kernel.SumChannels(grad.f64, n, f, hw, db.f64)
	} else {
		kernel.SumChannels(grad.f32, n, f, hw, db.f32)
	}
	return db
}
