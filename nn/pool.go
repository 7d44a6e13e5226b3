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

// PoolOption configures NewMaxPool2d and NewAvgPool2d.
type PoolOption func(*poolConfig)

type poolConfig struct {
	stride, padding int
	strideSet       bool
}

// PoolStride sets the stride of both axes (default: the kernel size, as
// in PyTorch).
func PoolStride(s int) PoolOption {
	return func(c *poolConfig) { c.stride, c.strideSet = s, true }
}

// PoolPadding sets the padding of both axes (default 0).
func PoolPadding(p int) PoolOption { return func(c *poolConfig) { c.padding = p } }

// poolGeometry returns kernel, stride and padding per axis.
func poolGeometry(kernel int, opts []PoolOption) (k, s, p [2]int) {
	c := poolConfig{stride: kernel}
	for _, o := range opts {
		o(&c)
	}
	return [2]int{kernel, kernel}, [2]int{c.stride, c.stride}, [2]int{c.padding, c.padding}
}

// NewMaxPool2d returns max pooling with a square window of size kernel;
// options set the stride (default kernel) and padding (default 0). The
// fields may also be set directly for non-square settings.
func NewMaxPool2d(kernel int, opts ...PoolOption) *MaxPool2d {
	k, s, p := poolGeometry(kernel, opts)
	return &MaxPool2d{Kernel: k, Stride: s, Padding: p}
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

// NewAvgPool2d returns average pooling with a square window of size
// kernel; options set the stride (default kernel) and padding (default 0).
func NewAvgPool2d(kernel int, opts ...PoolOption) *AvgPool2d {
	k, s, p := poolGeometry(kernel, opts)
	return &AvgPool2d{Kernel: k, Stride: s, Padding: p}
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
