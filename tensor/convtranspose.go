package tensor

import (
	"fmt"
	"slices"

	"github.com/duboko/duboko/internal/kernel"
)

// Transposed 2-D convolution (PyTorch's conv_transpose2d, groups=1): the
// adjoint of Conv2d with respect to its input. With the weight W
// [Cin, Cout, kh, kw] viewed as [Cin, Cout·kh·kw], each input image x_n
// [Cin, H·W] is scattered into its output through the columns matrix
//
//	y_n = Col2im(Wᵀ·x_n) + b          (the backward-data pass of a conv)
//
// and, for the upstream gradient G_n = ∂L/∂y_n,
//
//	∂L/∂x_n = W·Im2col(G_n)           (the forward pass of that conv)
//	∂L/∂W   = Σ_n x_n·Im2col(G_n)ᵀ    (its weight gradient, roles swapped)
//	∂L/∂b   = Σ_{n,h,w} G_n
//
// where Im2col and Col2im use the transposed convolution's kernel, stride,
// padding and dilation. So the code is the convolution's own (conv.go,
// conv_fused.go): the same batch-wide GEMMs over chunks of images, or the
// image-at-a-time path, with the convolution geometry whose input is this
// op's output and whose output is this op's input. Output padding adds
// rows at the bottom and columns at the right of the output; where it is
// at least the stride (allowed when it is below the dilation) the
// convolution geometry cannot reproduce the input size, and the op runs on
// an unpadded plane, (H−1)·stride+dil·(kh−1)+1 high, that is cropped by the
// padding afterwards (and the gradient embedded into such a plane). Small
// inputs (below convTFusedMinInput pixels) always take the batch-wide
// products, and a 1×1 input without padding or dilation is a single
// product for the whole batch (see convTGeom.pointwise).

// Each output element is the bias (if any) plus one product per (input
// channel, input position, tap) that lands on it; the counts are those
// products (taps cut off by the padding are not computed). ∂y/∂x and ∂y/∂W
// have one structural non-zero per landing product (a pair of an input or
// weight element and an output element determines the rest), ∂y/∂b one
// per output. With stride 1 the output's receptive field is the dilated
// kernel window, as for a convolution; with a larger stride the op
// upsamples (output neighbours are 1/stride input pixels apart), which a
// window rule cannot express, so the field is declared unknown.
func init() {
	declare(OpConvTranspose2d, OpDef{Symbol: "convT",
		Counts: func(op *Op, out []int, ins [][]int) Counts {
			t := convTTapCounts(op, out, ins)
			c := Counts{Mul: t.products, Add: t.products}
			if len(ins) < 3 || ins[2] == nil {
				c.Add -= t.reached // the first product of each output starts its sum
			}
			return c
		},
		Jacobian: func(op *Op, out []int, ins [][]int, i int) Structure {
			no, ni := numel(out), numel(ins[i])
			if i == 2 {
				return covering(NewStructure(StructSparse, no, ni, int64(no)))
			}
			t := convTTapCounts(op, out, ins)
			s := NewStructure(StructSparse, no, ni, t.products)
			if (i == 0 && t.everyInput) || (i == 1 && t.everyTap) {
				s = covering(s)
			}
			return s
		},
		Field: func(op *Op, _ []int, _ [][]int) FieldRule {
			if op.Window.Stride == [2]int{1, 1} {
				return FieldRule{Kind: FieldWindow, Window: op.Window}
			}
			return FieldRule{}
		}})
}

// convTTaps describes which (input position, tap) pairs of a transposed
// convolution land inside its output.
type convTTaps struct {
	products   int64 // landing products over the whole batch
	reached    int64 // output elements reached by at least one product
	everyInput bool  // every input position lands somewhere
	everyTap   bool  // every tap lands somewhere
}

// convTTapCounts counts the landing products for the op's shapes: x
// [N,Cin,H,W] = ins[0], weight [Cin,Cout,kh,kw] = ins[1], output out.
func convTTapCounts(op *Op, out []int, ins [][]int) convTTaps {
	xs, ws := ins[0], ins[1]
	t := convTTaps{everyInput: true, everyTap: true}
	if len(xs) != 4 || len(ws) != 4 || len(out) != 4 {
		return t
	}
	pairs, reached := int64(1), int64(1)
	for a := range 2 {
		w := op.Window
		p, r, allIn, allK := convTAxisTaps(xs[2+a], ws[2+a], w.Stride[a], w.Pad[a], max(w.Dilation[a], 1), out[2+a])
		pairs *= int64(p)
		reached *= int64(r)
		t.everyInput = t.everyInput && allIn
		t.everyTap = t.everyTap && allK
	}
	t.products = int64(xs[0]) * int64(xs[1]) * int64(ws[1]) * pairs
	t.reached = int64(xs[0]) * int64(ws[1]) * reached
	return t
}

// convTAxisTaps returns, along one axis of input size in, kernel k,
// stride s, padding p, dilation d and output size out: the number of
// (input, tap) pairs whose output position i·s+j·d−p lies in [0, out), the
// number of output positions they reach, and whether every input position
// and every tap has such a pair.
func convTAxisTaps(in, k, s, p, d, out int) (pairs, reached int, everyInput, everyTap bool) {
	hit := make([]bool, max(out, 0))
	tapHit := make([]bool, max(k, 0))
	everyInput = true
	for i := 0; i < in; i++ {
		lands := false
		for j := 0; j < k; j++ {
			if o := i*s + j*d - p; o >= 0 && o < out {
				pairs++
				hit[o], tapHit[j], lands = true, true, true
			}
		}
		everyInput = everyInput && lands
	}
	for _, h := range hit {
		if h {
			reached++
		}
	}
	return pairs, reached, everyInput, !slices.Contains(tapHit, false)
}

// convTFusedMinInput is the smallest input plane (H·W) with which a
// transposed convolution may run image at a time. That path multiplies
// each image by the weights on its own, packing the weights for the GEMM
// once per image, which only pays when the products are wide: a
// convolution's output plane is usually large, but a transposed
// convolution's input, which plays that part here, is small in a
// generator (1×1, 7×7). Measured at batch 64 on 2 cores: the 7×7 input of
// [64,128,7,7]→[64,64,14,14] ran its forward pass in 36 ms batched and
// 65 ms image at a time, the 14×14 input of [64,64,14,14]→[64,1,28,28] in
// 1.5 ms batched and 0.7 ms image at a time.
const convTFusedMinInput = 128

// convTGeom holds the sizes of one transposed convolution: conv is the
// convolution whose backward-data pass it is (conv.c, conv.h, conv.w: the
// output channels and the plane the columns are added into; conv.f: the
// input channels; conv.oh, conv.ow: the input's height and width).
type convTGeom struct {
	conv       convGeom
	outH, outW int // the output's height and width
	offH, offW int // output pixel (i, j) is plane pixel (i+offH, j+offW)
	crop       bool
	// pointwise is set for a 1×1 input without padding or dilation (a
	// generator's first layer, projecting the noise vector): each image's
	// output is then x_nᵀ·W itself, in NCHW order, and the whole op is one
	// product [N, Cin]·[Cin, Cout·kh·kw] with no col2im.
	pointwise bool
}

func newConvTGeom(op string, xs, ws []int, stride, pad, outPad, dil [2]int) convTGeom {
	if len(xs) != 4 || len(ws) != 4 || xs[1] != ws[0] {
		panic(shapeErr(op, "want x [N,Cin,H,W] and weight [Cin,Cout,kh,kw]", xs, ws))
	}
	if xs[2] <= 0 || xs[3] <= 0 || ws[2] <= 0 || ws[3] <= 0 {
		panic(shapeErr(op, "input and kernel height and width must be positive", xs, ws))
	}
	if stride[0] <= 0 || stride[1] <= 0 || dil[0] <= 0 || dil[1] <= 0 || pad[0] < 0 || pad[1] < 0 || outPad[0] < 0 || outPad[1] < 0 {
		panic(shapeErr(op, fmt.Sprintf("stride %v and dilation %v must be positive, padding %v and output padding %v non-negative", stride, dil, pad, outPad), xs, ws))
	}
	for a := range 2 {
		if outPad[a] >= stride[a] && outPad[a] >= dil[a] {
			panic(shapeErr(op, fmt.Sprintf("output padding %v must be smaller than the stride %v or the dilation %v", outPad, stride, dil), xs, ws))
		}
		if outPad[a] > 255 {
			panic(shapeErr(op, fmt.Sprintf("output padding %v above 255 is not supported", outPad), xs, ws))
		}
	}
	k := [2]int{ws[2], ws[3]}
	var out, plane, ppad, off [2]int
	crop := false
	for a := range 2 {
		in := xs[2+a]
		out[a] = (in-1)*stride[a] - 2*pad[a] + dil[a]*(k[a]-1) + outPad[a] + 1
		if out[a] <= 0 {
			panic(shapeErr(op, fmt.Sprintf("empty output: (in−1)·stride %v − 2·padding %v + dilation %v·(kernel−1) + output padding %v + 1 ≤ 0", stride, pad, dil, outPad), xs, ws))
		}
		plane[a], ppad[a] = out[a], pad[a]
		if kernel.ConvOutSize(out[a], k[a], pad[a], stride[a], dil[a]) != in {
			plane[a], ppad[a], off[a], crop = (in-1)*stride[a]+dil[a]*(k[a]-1)+1, 0, pad[a], true
		}
	}
	g := convGeom{n: xs[0], c: ws[1], h: plane[0], w: plane[1], f: ws[0], kh: k[0], kw: k[1], oh: xs[2], ow: xs[3],
		sh: stride[0], sw: stride[1], ph: ppad[0], pw: ppad[1], dh: dil[0], dw: dil[1]}
	g.ckk, g.ohw, g.chw = g.c*g.kh*g.kw, g.oh*g.ow, g.c*g.h*g.w
	g.fohw = g.f * g.ohw
	g.batched = g.ohw < convTFusedMinInput
	pw := xs[2] == 1 && xs[3] == 1 && pad == [2]int{} && dil == [2]int{1, 1} && outPad == [2]int{}
	return convTGeom{conv: g, outH: out[0], outW: out[1], offH: off[0], offW: off[1], crop: crop, pointwise: pw}
}

// outShape returns the output's shape [N, Cout, outH, outW].
func (t convTGeom) outShape() []int { return []int{t.conv.n, t.conv.c, t.outH, t.outW} }

// ConvTranspose2d returns the 2-D transposed convolution of x [N,Cin,H,W]
// with weight w [Cin,Cout,kh,kw] (PyTorch's layout) plus bias b [Cout] (b
// may be nil), with the given stride, zero padding, output padding and
// dilation per axis (height, width), as
// torch.nn.functional.conv_transpose2d with groups=1. The output is
// [N,Cout,OH,OW] with OH = (H−1)·stride − 2·pad + dil·(kh−1) + outputPad + 1,
// likewise OW; the output padding must be smaller than the stride or the
// dilation (it picks one of the output sizes that a strided Conv2d maps
// back to H). It is the adjoint of Conv2d with respect to its input: the
// convolution's backward-data pass, computed by the same GEMM and col2im
// code.
func ConvTranspose2d(x, w, b *Tensor, stride, pad, outputPad, dil [2]int) *Tensor {
	ins := []*Tensor{x, w}
	if b != nil {
		sameDType("ConvTranspose2d", x, w, b)
		ins = append(ins, b)
	} else {
		sameDType("ConvTranspose2d", x, w)
	}
	t := newConvTGeom("ConvTranspose2d", x.shape, w.shape, stride, pad, outputPad, dil)
	if b != nil && (len(b.shape) != 1 || b.shape[0] != t.conv.c) {
		panic(shapeErr("ConvTranspose2d", "bias must be [Cout]", w.shape, b.shape))
	}
	y := alloc(x.dtype, t.outShape())
	op := Op{Kind: OpConvTranspose2d, Window: Window{Kernel: [2]int{t.conv.kh, t.conv.kw}, Stride: stride, Pad: pad, Dilation: dil},
		OutputPad: [2]uint8{uint8(outputPad[0]), uint8(outputPad[1])}}
	if x.dtype == Float64 {
		convTForward(t, x.f64, w.f64, biasOf[float64](b), y.f64)
		op.Fused = !t.pointwise && convUseFused[float64](t.conv)
	} else {
		convTForward(t, x.f32, w.f32, biasOf[float32](b), y.f32)
		op.Fused = !t.pointwise && convUseFused[float32](t.conv)
	}
	return record(op, y, ins, func(gr *Tensor) []*Tensor {
		checkConvTGrad("ConvTranspose2d backward", t, gr)
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
			convTBackward(t, gr.f64, x.f64, w.f64, dataOrNil[float64](dx), dataOrNil[float64](dw))
		} else {
			convTBackward(t, gr.f32, x.f32, w.f32, dataOrNil[float32](dx), dataOrNil[float32](dw))
		}
		if b != nil && b.requiresGrad {
			gs[2] = Conv2dBackwardBias(gr)
		}
		return gs
	})
}

// convTForward computes y = convT(x, w) + bias: the convolution's
// backward-data pass of x into y (or into the uncropped plane).
func convTForward[T kfloat](t convTGeom, x, w, bias, y []T) {
	g := t.conv
	switch {
	case t.pointwise:
		gemmT(false, false, g.n, g.ckk, g.f, x, g.f, w, g.ckk, 0, y, g.ckk)
	case !t.crop:
		convBackward(g, x, nil, w, y, nil, nil) // y is zero: alloc
	default:
		pb := getBuf[T](g.n * g.chw)
		plane := *pb
		clear(plane)
		convBackward(g, x, nil, w, plane, nil, nil)
		shiftPlanes(plane, g.h, g.w, y, t.outH, t.outW, g.n*g.c, t.offH, t.offW)
		putBuf(pb)
	}
	if bias != nil {
		kernel.AddBiasChannels(y, g.n, g.c, t.outH*t.outW, bias)
	}
}

// convTBackward computes, for upstream gradient gy [N,Cout,OH,OW], dx (if
// not nil; overwritten) as the convolution of gy with w, and dw (if not
// nil; overwritten) as that convolution's weight gradient with x as its
// upstream gradient. When both are wanted, the columns of gy built for dx
// are kept and reused for dw.
func convTBackward[T kfloat](t convTGeom, gy, x, w, dx, dw []T) {
	g := t.conv
	if t.pointwise { // y = x·W: dx = G·Wᵀ, dW = xᵀ·G
		if dx != nil {
			gemmT(false, true, g.n, g.f, g.ckk, gy, g.ckk, w, g.ckk, 0, dx, g.f)
		}
		if dw != nil {
			gemmT(true, false, g.f, g.ckk, g.n, x, g.f, gy, g.ckk, 0, dw, g.ckk)
		}
		return
	}
	plane := gy
	if t.crop {
		pb := getBuf[T](g.n * g.chw)
		defer putBuf(pb)
		plane = *pb
		shiftPlanes(gy, t.outH, t.outW, plane, g.h, g.w, g.n*g.c, -t.offH, -t.offW)
	}
	var kept []*[]T
	if dx != nil {
		kept = convForward(g, plane, w, nil, dx, dw != nil)
	}
	if dw != nil {
		convBackward(g, x, plane, nil, nil, dw, kept)
	}
}

// shiftPlanes copies planes [sh, sw] of src into planes [dh, dw] of dst:
// dst[r, q] = src[r+offH, q+offW] where that lies in src, else 0.
func shiftPlanes[T kfloat](src []T, sh, sw int, dst []T, dh, dw, planes, offH, offW int) {
	kernel.ParallelFor(planes, (1<<14)/max(dh*dw, 1)+1, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			s, d := src[p*sh*sw:(p+1)*sh*sw], dst[p*dh*dw:(p+1)*dh*dw]
			for r := 0; r < dh; r++ {
				row := d[r*dw : (r+1)*dw]
				sr := r + offH
				if sr < 0 || sr >= sh {
					clear(row)
					continue
				}
				q0, q1 := max(0, -offW), min(dw, sw-offW)
				if q0 >= q1 {
					clear(row)
					continue
				}
				clear(row[:q0])
				copy(row[q0:q1], s[sr*sw+q0+offW:sr*sw+q1+offW])
				clear(row[q1:])
			}
		}
	})
}

func checkConvTGrad(op string, t convTGeom, grad *Tensor) {
	if want := t.outShape(); !slices.Equal(grad.shape, want) {
		panic(shapeErr(op, "gradient must have the output's shape", want, grad.shape))
	}
}

// ConvTranspose2dBackwardInput returns ∂L/∂x for ConvTranspose2d given
// grad = ∂L/∂y [N,Cout,OH,OW], the weight w [Cin,Cout,kh,kw], the input's
// shape and the op's settings: the convolution W·Im2col(grad_n) of each
// image, i.e. Conv2d(grad, w) without bias. It records nothing; it is the
// hand-derived formula the recorded op and the nn.ConvTranspose2d layer
// use.
func ConvTranspose2dBackwardInput(grad, w *Tensor, xShape []int, stride, pad, outputPad, dil [2]int) *Tensor {
	sameDType("ConvTranspose2dBackwardInput", grad, w)
	t := newConvTGeom("ConvTranspose2dBackwardInput", xShape, w.shape, stride, pad, outputPad, dil)
	checkConvTGrad("ConvTranspose2dBackwardInput", t, grad)
	dx := alloc(w.dtype, xShape)
	if w.dtype == Float64 {
		convTBackward(t, grad.f64, nil, w.f64, dx.f64, nil)
	} else {
		convTBackward(t, grad.f32, nil, w.f32, dx.f32, nil)
	}
	return dx
}

// ConvTranspose2dBackwardWeight returns ∂L/∂W = Σ_n x_n·Im2col(grad_n)ᵀ
// [Cin,Cout,kh,kw] for ConvTranspose2d, given grad = ∂L/∂y, the input x
// and the weight's shape. It records nothing. The bias gradient is
// Conv2dBackwardBias(grad).
func ConvTranspose2dBackwardWeight(grad, x *Tensor, wShape []int, stride, pad, outputPad, dil [2]int) *Tensor {
	sameDType("ConvTranspose2dBackwardWeight", grad, x)
	t := newConvTGeom("ConvTranspose2dBackwardWeight", x.shape, wShape, stride, pad, outputPad, dil)
	checkConvTGrad("ConvTranspose2dBackwardWeight", t, grad)
	dw := alloc(x.dtype, wShape)
	if x.dtype == Float64 {
		convTBackward(t, grad.f64, x.f64, nil, nil, dw.f64)
	} else {
		convTBackward(t, grad.f32, x.f32, nil, nil, dw.f32)
	}
	return dw
}
