package nn

import (
	"github.com/duboko/duboko/tensor"
)

// MaxPool2d is max pooling over NCHW inputs, as torch.nn.MaxPool2d (floor
// mode, padding counts as −∞). Each output's gradient goes to the first
// maximal input of its window in row-major order (ties are not split).
type MaxPool2d struct {
	noParams
	Kernel, Stride, Padding [2]int

	xShape []int
	argmax []int32
}

// NewMaxPool2d returns max pooling with a square window; stride 0 means
// stride = kernel, PyTorch's default.
func NewMaxPool2d(kernel, stride, padding int) *MaxPool2d {
	if stride == 0 {
		stride = kernel
	}
	return &MaxPool2d{Kernel: [2]int{kernel, kernel}, Stride: [2]int{stride, stride}, Padding: [2]int{padding, padding}}
}

// Forward returns the window maxima and remembers where they were.
func (m *MaxPool2d) Forward(x *tensor.Tensor) *tensor.Tensor {
	y, idx := tensor.MaxPool2dIndices(x, m.Kernel, m.Stride, m.Padding)
	m.xShape, m.argmax = x.Shape(), idx
	return y
}

// BackwardInputs routes each output gradient to its window's maximum.
func (m *MaxPool2d) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	if m.xShape == nil {
		mustInput("MaxPool2d", nil)
	}
	return tensor.MaxPool2dBackward(grad.Detach(), m.argmax, m.xShape)
}

// AvgPool2d is average pooling over NCHW inputs, as torch.nn.AvgPool2d
// with its defaults (floor mode, count_include_pad=true).
type AvgPool2d struct {
	noParams
	Kernel, Stride, Padding [2]int

	xShape []int
}

// NewAvgPool2d returns average pooling with a square window; stride 0
// means stride = kernel.
func NewAvgPool2d(kernel, stride, padding int) *AvgPool2d {
	if stride == 0 {
		stride = kernel
	}
	return &AvgPool2d{Kernel: [2]int{kernel, kernel}, Stride: [2]int{stride, stride}, Padding: [2]int{padding, padding}}
}

// Forward returns the window means.
func (a *AvgPool2d) Forward(x *tensor.Tensor) *tensor.Tensor {
	a.xShape = x.Shape()
	return tensor.AvgPool2d(x, a.Kernel, a.Stride, a.Padding)
}

// BackwardInputs spreads each output gradient evenly, divided by kh·kw,
// over its window.
func (a *AvgPool2d) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	if a.xShape == nil {
		mustInput("AvgPool2d", nil)
	}
	return tensor.AvgPool2dBackward(grad.Detach(), a.xShape, a.Kernel, a.Stride, a.Padding)
}

// GlobalMaxPool2d reduces each channel plane of [N,C,H,W] to its maximum,
// giving [N,C].
type GlobalMaxPool2d struct {
	noParams
	xShape []int
	argmax []int32
}

// NewGlobalMaxPool2d returns a global max pooling layer.
func NewGlobalMaxPool2d() *GlobalMaxPool2d { return &GlobalMaxPool2d{} }

// Forward returns the plane maxima [N,C].
func (g *GlobalMaxPool2d) Forward(x *tensor.Tensor) *tensor.Tensor {
	y, idx := tensor.GlobalMaxPool2dIndices(x)
	g.xShape, g.argmax = x.Shape(), idx
	return y
}

// BackwardInputs puts each gradient at its plane's (first) maximum.
func (g *GlobalMaxPool2d) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	if g.xShape == nil {
		mustInput("GlobalMaxPool2d", nil)
	}
	return tensor.GlobalMaxPool2dBackward(grad.Detach(), g.argmax, g.xShape)
}

// GlobalAvgPool2d reduces each channel plane of [N,C,H,W] to its mean,
// giving [N,C].
type GlobalAvgPool2d struct {
	noParams
	xShape []int
}

// NewGlobalAvgPool2d returns a global average pooling layer.
func NewGlobalAvgPool2d() *GlobalAvgPool2d { return &GlobalAvgPool2d{} }

// Forward returns the plane means [N,C].
func (g *GlobalAvgPool2d) Forward(x *tensor.Tensor) *tensor.Tensor {
	g.xShape = x.Shape()
	return tensor.GlobalAvgPool2d(x)
}

// BackwardInputs spreads each gradient, divided by H·W, over its plane.
func (g *GlobalAvgPool2d) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	if g.xShape == nil {
		mustInput("GlobalAvgPool2d", nil)
	}
	return tensor.GlobalAvgPool2dBackward(grad.Detach(), g.xShape)
}
