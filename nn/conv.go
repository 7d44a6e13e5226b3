package nn

import (
	"math"
	"math/rand/v2"

	"github.com/duboko/duboko/tensor"
)

// Conv2d is a 2-D convolution layer over NCHW inputs, as torch.nn.Conv2d
// with groups=1: weight [out, in, kh, kw], bias [out]. Forward records
// tensor.Conv2d for autodiff; the explicit backward methods apply the
// hand-derived im2col formulas (∂L/∂W = Σ_n G_n·col_nᵀ, ∂L/∂x_n =
// Col2im(Wᵀ·G_n), ∂L/∂b = Σ G).
type Conv2d struct {
	In, Out  int
	Kernel   [2]int // (kh, kw)
	Stride   [2]int
	Padding  [2]int // zero padding per side
	Dilation [2]int
	Weight   *tensor.Tensor
	Bias     *tensor.Tensor // nil without bias

	x *tensor.Tensor // last input
}

// ConvOption configures NewConv2d.
type ConvOption func(*Conv2d)

// ConvStride sets the stride along both axes (default 1).
func ConvStride(s int) ConvOption { return func(c *Conv2d) { c.Stride = [2]int{s, s} } }

// ConvPadding sets the zero padding on each side along both axes (default 0).
func ConvPadding(p int) ConvOption { return func(c *Conv2d) { c.Padding = [2]int{p, p} } }

// ConvDilation sets the dilation along both axes (default 1).
func ConvDilation(d int) ConvOption { return func(c *Conv2d) { c.Dilation = [2]int{d, d} } }

// ConvNoBias removes the bias.
func ConvNoBias() ConvOption { return func(c *Conv2d) { c.Bias = nil } }

// NewConv2d returns a Conv2d layer with in input and out output channels
// and a square kernel, initialised as PyTorch does (kaiming_uniform with
// a=√5): weight and bias uniform in ±1/√fan_in, fan_in = in·k·k. Options
// set stride, padding, dilation or remove the bias; the fields may also be
// set directly for non-square settings.
func NewConv2d(rng *rand.Rand, in, out, kernel int, opts ...ConvOption) *Conv2d {
	c := &Conv2d{In: in, Out: out, Kernel: [2]int{kernel, kernel}, Stride: [2]int{1, 1}, Dilation: [2]int{1, 1},
		Weight: tensor.ZerosOf(tensor.Float32, out, in, kernel, kernel).SetRequiresGrad(true),
		Bias:   tensor.ZerosOf(tensor.Float32, out).SetRequiresGrad(true)}
	for _, o := range opts {
		o(c)
	}
	bound := 1 / math.Sqrt(float64(in*kernel*kernel))
	Uniform(-bound, bound)(rng, c.Weight)
	if c.Bias != nil {
		Uniform(-bound, bound)(rng, c.Bias)
	}
	return c
}

// Forward returns the convolution of x [N, in, H, W], shape [N, out, OH, OW].
func (c *Conv2d) Forward(x *tensor.Tensor) *tensor.Tensor {
	checkInputDType("Conv2d", x, c.Weight)
	c.x = x
	return tensor.Conv2d(x, c.Weight, c.Bias, c.Stride, c.Padding, c.Dilation)
}

// outShape returns the shape of the last output.
func (c *Conv2d) outShape() []int {
	s := c.x.Shape()
	oh := (s[2]+2*c.Padding[0]-c.Dilation[0]*(c.Kernel[0]-1)-1)/c.Stride[0] + 1
	ow := (s[3]+2*c.Padding[1]-c.Dilation[1]*(c.Kernel[1]-1)-1)/c.Stride[1] + 1
	return []int{s[0], c.Out, oh, ow}
}

// BackwardInputs returns ∂L/∂x: for each image, Col2im(Wᵀ·G_n).
func (c *Conv2d) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	mustInput("Conv2d", c.x)
	checkGradShape("Conv2d", grad, c.outShape())
	return tensor.Conv2dBackwardInput(grad.Detach(), c.Weight.Detach(), c.x.Shape(), c.Stride, c.Padding, c.Dilation)
}

// BackwardParams returns ∂L/∂W = Σ_n G_n·Im2col(x_n)ᵀ and ∂L/∂b = Σ_{n,h,w} G.
func (c *Conv2d) BackwardParams(grad *tensor.Tensor) []ParamGrad {
	mustInput("Conv2d", c.x)
	checkGradShape("Conv2d", grad, c.outShape())
	g := grad.Detach()
	out := []ParamGrad{{"weight", c.Weight, tensor.Conv2dBackwardWeight(g, c.x.Detach(), c.Weight.Shape(), c.Stride, c.Padding, c.Dilation)}}
	if c.Bias != nil {
		out = append(out, ParamGrad{"bias", c.Bias, tensor.Conv2dBackwardBias(g)})
	}
	return out
}

// Params returns weight and bias.
func (c *Conv2d) Params() []Param {
	ps := []Param{{"weight", c.Weight}}
	if c.Bias != nil {
		ps = append(ps, Param{"bias", c.Bias})
	}
	return ps
}

// SetTraining does nothing: Conv2d behaves the same in both modes.
func (c *Conv2d) SetTraining(bool) {}
