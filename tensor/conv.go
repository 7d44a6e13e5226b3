package tensor

import (
	"fmt"
	"math/bits"
	"slices"
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
// The columns of all images of a batch are laid side by side in one matrix
// cols [C·kh·kw, N·OH·OW] (built in parallel over the images), so that each
// product above is one large GEMM for the whole batch, which the kernel
// package parallelises and runs near peak, instead of N small ones. Batches
// whose columns exceed convColBudget are processed in chunks of images.
// The recorded op keeps the forward pass's columns (every chunk's) for its
// backward pass;
// buffers come from a sync.Pool, so a step allocates little besides the
// outputs.

// Each output of a convolution is a dot product of length C·kh·kw (that
// many multiplications, one fewer additions) plus one addition for the
// bias; padding taps are counted as in the straightforward loop. ∂y/∂x
// and ∂y/∂W have C·kh·kw non-zeros per output (for x at most: padding
// removes some), ∂y/∂b one. The receptive field grows by the window.
func init() {
	declare(OpConv2d, OpDef{Symbol: "conv",
		Counts: func(_ *Op, out []int, ins [][]int) Counts {
			k := int64(numel(ins[1][1:]))
			n := int64(numel(out))
			c := Counts{Mul: n * k, Add: n * (k - 1)}
			if len(ins) > 2 && ins[2] != nil {
				c.Add += n
			}
			return c
		},
		Jacobian: func(_ *Op, out []int, ins [][]int, i int) Structure {
			no, ni := numel(out), numel(ins[i])
			k := int64(numel(ins[1][1:]))
			if i == 2 {
				return covering(NewStructure(StructSparse, no, ni, int64(no)))
			}
			s := covering(NewStructure(StructSparse, no, ni, int64(no)*k))
			s.Bound = i == 0 // zero padding removes some
			return s
		},
		Field: func(op *Op, _ []int, _ [][]int) FieldRule { return FieldRule{Kind: FieldWindow, Window: op.Window} }})
}

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
	batched       bool // never image at a time (a transposed convolution with a small input, see convTFusedMinInput)
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

// Scratch buffers (columns matrices and their companions) are recycled
// through free lists, one per dtype and power-of-two size class, so that a
// request never receives (and then drops) a buffer of another size. Unlike
// a sync.Pool, the lists survive garbage collections: a training step
// returns its buffers in the backward pass and takes them again in the
// next forward pass, and with a pool emptied at every GC cycle those large
// buffers were allocated and zeroed afresh almost every step. Each list
// keeps at most scratchKeep buffers.
const scratchKeep = 16

var scratch struct {
	sync.Mutex
	f32 [48][]*[]float32
	f64 [48][]*[]float64
}

// bufClass returns the size class (capacity 1<<class) for n elements.
func bufClass(n int) int { return bits.Len(uint(max(n, 1) - 1)) }

func freeList[T kfloat](class int) *[]*[]T {
	var z T
	if _, ok := any(z).(float32); ok {
		return any(&scratch.f32[class]).(*[]*[]T)
	}
	return any(&scratch.f64[class]).(*[]*[]T)
}

// getBuf returns a slice of length n (contents undefined) from the free
// list of its class, or a new one.
func getBuf[T kfloat](n int) *[]T {
	c := bufClass(n)
	scratch.Lock()
	l := freeList[T](c)
	if k := len(*l); k > 0 {
		v := (*l)[k-1]
		(*l)[k-1] = nil
		*l = (*l)[:k-1]
		scratch.Unlock()
		*v = (*v)[:n]
		return v
	}
	scratch.Unlock()
	s := make([]T, n, 1<<c)
	return &s
}

// putBuf returns a buffer from getBuf to its free list.
func putBuf[T kfloat](b *[]T) {
	scratch.Lock()
	defer scratch.Unlock()
	l := freeList[T](bufClass(cap(*b)))
	if len(*l) < scratchKeep {
		*l = append(*l, b)
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
	// Keep the columns for the backward pass when one will follow.
	keep := w.requiresGrad && GradEnabled()
	var cols32 []*[]float32
	var cols64 []*[]float64
	if x.dtype == Float64 {
		cols64 = convForward(g, x.f64, w.f64, biasOf[float64](b), y.f64, keep)
	} else {
		cols32 = convForward(g, x.f32, w.f32, biasOf[float32](b), y.f32, keep)
	}
	op := Op{Kind: OpConv2d, Window: Window{Kernel: [2]int{g.kh, g.kw}, Stride: stride, Pad: pad, Dilation: dil}}
	if x.dtype == Float64 {
		op.Fused = convUseFused[float64](g)
	} else {
		op.Fused = convUseFused[float32](g)
	}
	return record(op, y, ins, func(gr *Tensor) []*Tensor {
		checkConvGrad("Conv2d backward", g, gr)
		gs := make([]*Tensor, len(ins))
		var dx, dw *Tensor
		if x.requiresGrad {
			dx = alloc(x.dtype, x.shape)
			gs[0] = dx
		}
		if w.requiresGrad {
			dw = gradAlloc(w)
			gs[1] = dw
		}
		if x.dtype == Float64 {
			convBackward(g, gr.f64, x.f64, w.f64, dataOrNil[float64](dx), dataOrNil[float64](dw), cols64)
		} else {
			convBackward(g, gr.f32, x.f32, w.f32, dataOrNil[float32](dx), dataOrNil[float32](dw), cols32)
		}
		cols32, cols64 = nil, nil
		if b != nil && b.requiresGrad {
			gs[2] = Conv2dBackwardBias(gr)
		}
		return gs
	})
}

// dataOrNil returns t's data, or nil for a nil tensor.
func dataOrNil[T kfloat](t *Tensor) []T {
	if t == nil {
		return nil
	}
	return sliceOf[T](t)
}

func biasOf[T kfloat](b *Tensor) []T {
	if b == nil {
		return nil
	}
	return sliceOf[T](b)
}

// convColBudget bounds the bytes of one chunk's columns matrix: a batch
// whose columns would be larger is processed a few images at a time. 4 MB
// keeps a chunk's columns in the last-level cache between im2col and the
// GEMMs that read them, yet leaves the GEMMs wide (conv2 of the MNIST CNN:
// 13 images, N = 2548); a much larger budget spills the columns out of
// cache, a much smaller one makes the products too narrow. The sweep it
// was chosen by is in BENCHMARKS.md.
const convColBudget = 4 << 20

// convImagesPerChunk returns how many images share one columns matrix.
func convImagesPerChunk[T kfloat](g convGeom) int {
	var z T
	per := convColBudget / max(g.ckk*g.ohw*int(unsafeSizeof(z)), 1)
	return min(max(per, 1), max(g.n, 1))
}

func unsafeSizeof[T kfloat](z T) int {
	if _, ok := any(z).(float32); ok {
		return 4
	}
	return 8
}

// im2colChunk writes the columns of images i0..i1-1 side by side into
// cols [CKK, (i1-i0)·OHW], in parallel over the images.
func im2colChunk[T kfloat](g convGeom, x []T, i0, i1 int, cols []T) {
	m := (i1 - i0) * g.ohw
	kernel.ParallelFor(i1-i0, (1<<16)/max(g.ckk*g.ohw, 1)+1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			kernel.Im2colLD(x[(i0+i)*g.chw:(i0+i+1)*g.chw], g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw, g.sh, g.sw, g.dh, g.dw, cols[i*g.ohw:], m)
		}
	})
}

// convForward computes y = conv(x, w) + bias for the whole batch: per
// chunk of images, one im2col into a shared columns matrix, one GEMM
// W·cols, and a scatter of its [F, images·OHW] result into NCHW with the
// bias added. If keep is true, the chunks' columns matrices are returned
// for the backward pass (nil otherwise). Batches that suit it run image at
// a time instead (see conv_fused.go), keeping nothing.
func convForward[T kfloat](g convGeom, x, w, bias, y []T, keep bool) []*[]T {
	if convUseFused[T](g) {
		convForwardFused(g, x, w, bias, y)
		return nil
	}
	per := convImagesPerChunk[T](g)
	var kept []*[]T
	for i0 := 0; i0 < g.n; i0 += per {
		i1 := min(i0+per, g.n)
		m := (i1 - i0) * g.ohw
		cbuf := getBuf[T](g.ckk * m)
		cols := *cbuf
		im2colChunk(g, x, i0, i1, cols)
		tbuf := getBuf[T](g.f * m)
		tmp := *tbuf
		gemmT(false, false, g.f, m, g.ckk, w, g.ckk, cols, m, 0, tmp, m)
		kernel.ParallelFor(i1-i0, (1<<14)/max(g.fohw, 1)+1, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				yi := y[(i0+i)*g.fohw : (i0+i+1)*g.fohw]
				for f := 0; f < g.f; f++ {
					row := yi[f*g.ohw : (f+1)*g.ohw]
					copy(row, tmp[f*m+i*g.ohw:f*m+(i+1)*g.ohw])
					if bias != nil {
						kernel.AddScalar(bias[f], row)
					}
				}
			}
		})
		putBuf(tbuf)
		if keep {
			kept = append(kept, cbuf)
		} else {
			putBuf(cbuf)
		}
	}
	return kept
}

// convBackward computes, for upstream gradient gy [N,F,OH,OW], dx (if not
// nil; accumulated, so zero it first) and dw (if not nil; overwritten),
// chunk by chunk: gyT = gy as [F, images·OHW], dW += gyT·colsᵀ,
// dcols = Wᵀ·gyT, dx_i = Col2im(dcols_i). kept, if not nil, holds the
// forward pass's columns of every chunk; they are consumed (returned to the
// pool) here.
func convBackward[T kfloat](g convGeom, gy, x, w, dx, dw []T, kept []*[]T) {
	if convUseFused[T](g) && kept == nil {
		convBackwardFused(g, gy, x, w, dx, dw)
		return
	}
	per := convImagesPerChunk[T](g)
	// With many columns rows, dWᵀ = cols·gyTᵀ [CKK, F] runs faster than
	// dW = gyT·colsᵀ (whose few rows take the GEMM's dot-product path); it
	// is accumulated over the chunks and transposed into dw at the end.
	var dwT []T
	if dw != nil && g.ckk >= 64 {
		tb := getBuf[T](g.ckk * g.f)
		defer putBuf(tb)
		dwT = *tb
	}
	for i0 := 0; i0 < g.n; i0 += per {
		i1 := min(i0+per, g.n)
		var cols *[]T
		if c := i0 / per; c < len(kept) {
			cols = kept[c]
		}
		m := (i1 - i0) * g.ohw
		gbuf := getBuf[T](g.f * m)
		gyT := *gbuf
		kernel.ParallelFor(i1-i0, (1<<14)/max(g.fohw, 1)+1, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				gi := gy[(i0+i)*g.fohw : (i0+i+1)*g.fohw]
				for f := 0; f < g.f; f++ {
					copy(gyT[f*m+i*g.ohw:f*m+(i+1)*g.ohw], gi[f*g.ohw:(f+1)*g.ohw])
				}
			}
		})
		// The columns buffer, once used for dW, is reused for dcols.
		var dbuf *[]T
		if dw != nil {
			cb := cols
			if cb == nil {
				cb = getBuf[T](g.ckk * m)
				im2colChunk(g, x, i0, i1, *cb)
			}
			var beta T
			if i0 > 0 {
				beta = 1
			}
			if dwT != nil {
				gemmT(false, true, g.ckk, g.f, m, *cb, m, gyT, m, beta, dwT, g.f)
			} else {
				gemmT(false, true, g.f, g.ckk, m, gyT, m, *cb, m, beta, dw, g.ckk)
			}
			dbuf = cb
		} else if cols != nil {
			dbuf = cols
		}
		if dx != nil {
			if dbuf == nil {
				dbuf = getBuf[T](g.ckk * m)
			}
			dcols := (*dbuf)[:g.ckk*m]
			gemmT(true, false, g.ckk, m, g.f, w, g.ckk, gyT, m, 0, dcols, m)
			kernel.ParallelFor(i1-i0, (1<<16)/max(g.ckk*g.ohw, 1)+1, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					kernel.Col2imLD(dcols[i*g.ohw:], m, g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw, g.sh, g.sw, g.dh, g.dw, dx[(i0+i)*g.chw:(i0+i+1)*g.chw])
				}
			})
		}
		if dbuf != nil {
			putBuf(dbuf)
		}
		putBuf(gbuf)
	}
	for r := 0; r < g.ckk && dwT != nil; r++ {
		for f := 0; f < g.f; f++ {
			dw[f*g.ckk+r] = dwT[r*g.f+f]
		}
	}
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
		convBackward(g, grad.f64, nil, w.f64, dx.f64, nil, nil)
	} else {
		convBackward(g, grad.f32, nil, w.f32, dx.f32, nil, nil)
	}
	return dx
}

func checkConvGrad(op string, g convGeom, grad *Tensor) {
	want := []int{g.n, g.f, g.oh, g.ow}
	if !slices.Equal(grad.shape, want) {
		panic(shapeErr(op, "gradient must have the output's shape", want, grad.shape))
	}
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
		convBackward(g, grad.f64, x.f64, nil, nil, dw.f64, nil)
	} else {
		convBackward(g, grad.f32, x.f32, nil, nil, dw.f32, nil)
	}
	return dw
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
