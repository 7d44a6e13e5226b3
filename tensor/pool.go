package tensor

import (
	"fmt"
	"slices"

	"github.com/duboko/duboko/internal/kernel"
)

// Pooling over NCHW batches with PyTorch's semantics (floor mode, padding
// at most half the kernel, max pooling ignores padding, average pooling
// counts padded taps: count_include_pad=true). The raw loops live in
// internal/kernel.
//
// Gradient routing of max pooling: each output's whole gradient goes to
// the single input pixel that won its window, the FIRST maximum in
// row-major window order when several pixels tie (PyTorch's CPU rule).
// Ties are therefore not split evenly, unlike the course's lab 2 numpy
// layer; with overlapping windows one pixel may collect several gradients.

// Pooling: max pooling takes kh·kw−1 comparisons per output, average
// pooling kh·kw−1 additions and one division (padded taps included, as
// count_include_pad); the global poolings reduce a whole plane. Max
// pooling's Jacobian has one non-zero per output, average pooling's kh·kw
// (at most, with padding). Windowed pooling grows the receptive field by
// its window, global pooling sees everything.
func init() {
	area := func(op *Op) int64 { return int64(op.Window.Kernel[0]) * int64(op.Window.Kernel[1]) }
	windowField := func(op *Op, _ []int, _ [][]int) FieldRule {
		return FieldRule{Kind: FieldWindow, Window: op.Window}
	}
	declare(OpMaxPool2d, OpDef{Symbol: "maxpool", Jacobian: selectionJ, Field: windowField,
		Counts: func(op *Op, out []int, _ [][]int) Counts {
			return Counts{Other: int64(numel(out)) * (area(op) - 1)}
		}})
	declare(OpAvgPool2d, OpDef{Symbol: "avgpool", Field: windowField,
		Counts: func(op *Op, out []int, _ [][]int) Counts {
			n := int64(numel(out))
			return Counts{Mul: n, Add: n * (area(op) - 1)}
		},
		Jacobian: func(op *Op, out []int, ins [][]int, _ int) Structure {
			no := numel(out)
			s := NewStructure(StructSparse, no, numel(ins[0]), int64(no)*area(op))
			s.Bound = op.Window.Pad != [2]int{}
			return s
		}})
	declare(OpGlobalAvgPool2d, OpDef{Symbol: "gap", Field: fieldAll,
		Counts: func(_ *Op, out []int, ins [][]int) Counts {
			n := int64(numel(out))
			return Counts{Mul: n, Add: int64(numel(ins[0])) - n}
		},
		Jacobian: func(_ *Op, out []int, ins [][]int, _ int) Structure {
			return covering(NewStructure(StructSparse, numel(out), numel(ins[0]), int64(numel(ins[0]))))
		}})
	declare(OpGlobalMaxPool2d, OpDef{Symbol: "gmp", Jacobian: selectionJ, Field: fieldAll,
		Counts: func(_ *Op, out []int, ins [][]int) Counts {
			return Counts{Other: int64(numel(ins[0]) - numel(out))}
		}})
}

// poolGeom holds the sizes of one windowed pooling.
type poolGeom struct {
	n, c, h, w     int
	kh, kw, sh, sw int
	ph, pw, oh, ow int
}

func newPoolGeom(op string, xs []int, k, stride, pad [2]int) poolGeom {
	if len(xs) != 4 {
		panic(shapeErr(op, "want x [N,C,H,W]", xs))
	}
	if k[0] <= 0 || k[1] <= 0 || stride[0] <= 0 || stride[1] <= 0 {
		panic(shapeErr(op, fmt.Sprintf("kernel %v and stride %v must be positive", k, stride), xs))
	}
	if pad[0] < 0 || pad[1] < 0 || 2*pad[0] > k[0] || 2*pad[1] > k[1] {
		panic(shapeErr(op, fmt.Sprintf("padding %v must be between 0 and half the kernel %v", pad, k), xs))
	}
	g := poolGeom{n: xs[0], c: xs[1], h: xs[2], w: xs[3], kh: k[0], kw: k[1], sh: stride[0], sw: stride[1], ph: pad[0], pw: pad[1]}
	g.oh = kernel.PoolOutSize(g.h, g.kh, g.ph, g.sh)
	g.ow = kernel.PoolOutSize(g.w, g.kw, g.pw, g.sw)
	if g.oh <= 0 || g.ow <= 0 {
		panic(shapeErr(op, fmt.Sprintf("kernel %v larger than padded input (padding %v)", k, pad), xs))
	}
	return g
}

func (g poolGeom) outShape() []int { return []int{g.n, g.c, g.oh, g.ow} }

// MaxPool2d returns max pooling of x [N,C,H,W] with the given window,
// stride and padding (height, width), as torch.nn.functional.max_pool2d.
// The gradient of each output goes to the first maximal input of its
// window in row-major order.
func MaxPool2d(x *Tensor, kernelSize, stride, pad [2]int) *Tensor {
	y, _ := MaxPool2dIndices(x, kernelSize, stride, pad)
	return y
}

// MaxPool2dIndices is MaxPool2d that also returns, for each output, the
// flat index ih·W+iw of the winning pixel within its input plane (as
// PyTorch's return_indices=True), for MaxPool2dBackward.
func MaxPool2dIndices(x *Tensor, kernelSize, stride, pad [2]int) (*Tensor, []int32) {
	g := newPoolGeom("MaxPool2d", x.shape, kernelSize, stride, pad)
	y := alloc(x.dtype, g.outShape())
	am := make([]int32, y.Len())
	if x.dtype == Float64 {
		kernel.MaxPool2d(x.f64, g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, y.f64, am)
	} else {
		kernel.MaxPool2d(x.f32, g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, y.f32, am)
	}
	xs := x.shape
	y = record(Op{Kind: OpMaxPool2d, Window: Window{Kernel: kernelSize, Stride: stride, Pad: pad, Dilation: [2]int{1, 1}}}, y, []*Tensor{x}, func(gr *Tensor) []*Tensor {
		return []*Tensor{MaxPool2dBackward(gr, am, xs)}
	})
	return y, am
}

// MaxPool2dBackward returns ∂L/∂x of max pooling: grad [N,C,OH,OW] added
// at the argmax positions from MaxPool2dIndices into a zero tensor of the
// input's shape. It records nothing.
func MaxPool2dBackward(grad *Tensor, argmax []int32, xShape []int) *Tensor {
	if len(grad.shape) != 4 || len(xShape) != 4 || grad.shape[0] != xShape[0] || grad.shape[1] != xShape[1] || len(argmax) != grad.Len() {
		panic(shapeErr("MaxPool2dBackward", fmt.Sprintf("gradient, input and %d indices do not match", len(argmax)), grad.shape, xShape))
	}
	dx := alloc(grad.dtype, xShape)
	n, c, h, w, oh, ow := xShape[0], xShape[1], xShape[2], xShape[3], grad.shape[2], grad.shape[3]
	if grad.dtype == Float64 {
		kernel.MaxPool2dBackward(grad.f64, argmax, n, c, h, w, oh, ow, dx.f64)
	} else {
		kernel.MaxPool2dBackward(grad.f32, argmax, n, c, h, w, oh, ow, dx.f32)
	}
	return dx
}

// AvgPool2d returns average pooling of x [N,C,H,W] with the given window,
// stride and padding, as torch.nn.functional.avg_pool2d with its defaults
// (count_include_pad=true: every window sum is divided by kh·kw).
func AvgPool2d(x *Tensor, kernelSize, stride, pad [2]int) *Tensor {
	g := newPoolGeom("AvgPool2d", x.shape, kernelSize, stride, pad)
	y := alloc(x.dtype, g.outShape())
	if x.dtype == Float64 {
		kernel.AvgPool2d(x.f64, g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, y.f64)
	} else {
		kernel.AvgPool2d(x.f32, g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, y.f32)
	}
	xs := x.shape
	return record(Op{Kind: OpAvgPool2d, Window: Window{Kernel: kernelSize, Stride: stride, Pad: pad, Dilation: [2]int{1, 1}}}, y, []*Tensor{x}, func(gr *Tensor) []*Tensor {
		return []*Tensor{AvgPool2dBackward(gr, xs, kernelSize, stride, pad)}
	})
}

// AvgPool2dBackward returns ∂L/∂x of AvgPool2d: each output gradient
// divided by kh·kw and added to every input pixel of its window. It records
// nothing.
func AvgPool2dBackward(grad *Tensor, xShape []int, kernelSize, stride, pad [2]int) *Tensor {
	g := newPoolGeom("AvgPool2dBackward", xShape, kernelSize, stride, pad)
	if !slices.Equal(grad.shape, g.outShape()) {
		panic(shapeErr("AvgPool2dBackward", "gradient must have the output's shape", g.outShape(), grad.shape))
	}
	dx := alloc(grad.dtype, xShape)
	if grad.dtype == Float64 {
		kernel.AvgPool2dBackward(grad.f64, g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, dx.f64)
	} else {
		kernel.AvgPool2dBackward(grad.f32, g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, dx.f32)
	}
	return dx
}

func globalDims(op string, xs []int) (n, c, hw int) {
	if len(xs) != 4 || xs[2]*xs[3] == 0 {
		panic(shapeErr(op, "want non-empty x [N,C,H,W]", xs))
	}
	return xs[0], xs[1], xs[2] * xs[3]
}

// GlobalAvgPool2d returns the mean of each H×W plane of x [N,C,H,W], shape
// [N,C] (adaptive_avg_pool2d to 1×1, flattened).
func GlobalAvgPool2d(x *Tensor) *Tensor {
	n, c, hw := globalDims("GlobalAvgPool2d", x.shape)
	y := alloc(x.dtype, []int{n, c})
	if x.dtype == Float64 {
		kernel.GlobalAvgPool(x.f64, n, c, hw, y.f64)
	} else {
		kernel.GlobalAvgPool(x.f32, n, c, hw, y.f32)
	}
	xs := x.shape
	return record(Op{Kind: OpGlobalAvgPool2d}, y, []*Tensor{x}, func(gr *Tensor) []*Tensor {
		return []*Tensor{GlobalAvgPool2dBackward(gr, xs)}
	})
}

// GlobalAvgPool2dBackward returns ∂L/∂x of GlobalAvgPool2d: grad[n,c]/(H·W)
// in every pixel of plane (n,c). It records nothing.
func GlobalAvgPool2dBackward(grad *Tensor, xShape []int) *Tensor {
	n, c, hw := globalDims("GlobalAvgPool2dBackward", xShape)
	if !slices.Equal(grad.shape, []int{n, c}) {
		panic(shapeErr("GlobalAvgPool2dBackward", "gradient must be [N,C]", xShape, grad.shape))
	}
	dx := alloc(grad.dtype, xShape)
	if grad.dtype == Float64 {
		kernel.GlobalAvgPoolBackward(grad.f64, n, c, hw, dx.f64)
	} else {
		kernel.GlobalAvgPoolBackward(grad.f32, n, c, hw, dx.f32)
	}
	return dx
}

// GlobalMaxPool2d returns the maximum of each H×W plane of x [N,C,H,W],
// shape [N,C]; the gradient goes to the first maximal pixel of each plane.
func GlobalMaxPool2d(x *Tensor) *Tensor {
	y, _ := GlobalMaxPool2dIndices(x)
	return y
}

// GlobalMaxPool2dIndices is GlobalMaxPool2d that also returns the flat
// index within its plane of each maximum, for GlobalMaxPool2dBackward.
func GlobalMaxPool2dIndices(x *Tensor) (*Tensor, []int32) {
	n, c, hw := globalDims("GlobalMaxPool2d", x.shape)
	y := alloc(x.dtype, []int{n, c})
	am := make([]int32, n*c)
	if x.dtype == Float64 {
		kernel.GlobalMaxPool(x.f64, n, c, hw, y.f64, am)
	} else {
		kernel.GlobalMaxPool(x.f32, n, c, hw, y.f32, am)
	}
	xs := x.shape
	y = record(Op{Kind: OpGlobalMaxPool2d}, y, []*Tensor{x}, func(gr *Tensor) []*Tensor {
		return []*Tensor{GlobalMaxPool2dBackward(gr, am, xs)}
	})
	return y, am
}

// GlobalMaxPool2dBackward returns ∂L/∂x of GlobalMaxPool2d: grad[n,c] at
// the recorded maximum of plane (n,c), zero elsewhere. It records nothing.
func GlobalMaxPool2dBackward(grad *Tensor, argmax []int32, xShape []int) *Tensor {
	n, c, hw := globalDims("GlobalMaxPool2dBackward", xShape)
	if !slices.Equal(grad.shape, []int{n, c}) || len(argmax) != n*c {
		panic(shapeErr("GlobalMaxPool2dBackward", "gradient must be [N,C] with one index per plane", xShape, grad.shape))
	}
	dx := alloc(grad.dtype, xShape)
	if grad.dtype == Float64 {
		kernel.GlobalMaxPoolBackward(grad.f64, argmax, n, c, hw, dx.f64)
	} else {
		kernel.GlobalMaxPoolBackward(grad.f32, argmax, n, c, hw, dx.f32)
	}
	return dx
}
