package nn

import (
	"math"
	"math/rand/v2"

	"github.com/duboko/duboko/tensor"
)

// ConvTranspose2d is a 2-D transposed convolution layer over NCHW inputs
// (the upsampling layer of a DCGAN generator), as torch.nn.ConvTranspose2d
// with groups=1: weight [in, out, kh, kw] (PyTorch's layout, input
// channels first), bias [out]. The output of an [N, in, H, W] input is
// [N, out, OH, OW] with OH = (H−1)·stride − 2·padding + dilation·(kh−1) +
// output_padding + 1, likewise OW. Forward records tensor.ConvTranspose2d
// for autodiff; the explicit backward methods apply the hand-derived
// formulas (with G_n = ∂L/∂y_n and the columns Im2col(G_n) of the
// transposed convolution's window): ∂L/∂x_n = W·Im2col(G_n), ∂L/∂W =
// Σ_n x_n·Im2col(G_n)ᵀ, ∂L/∂b = Σ G — a convolution's forward pass and
// weight gradient, since a transposed convolution is a convolution's
// backward-data pass.
type ConvTranspose2d struct {
	In, Out       int
	Kernel        [2]int // (kh, kw)
	Stride        [2]int
	Padding       [2]int // zero padding removed from each side of the output
	OutputPadding [2]int // extra rows at the bottom, columns at the right; below the stride or the dilation
	Dilation      [2]int
	Weight        *tensor.Tensor // [In, Out, kh, kw]
	Bias          *tensor.Tensor // [Out]; nil without bias

	x *tensor.Tensor // last input
}

// ConvTransposeOption configures NewConvTranspose2d.
type ConvTransposeOption func(*ConvTranspose2d)

// ConvTransposeStride sets the stride along both axes (default 1).
func ConvTransposeStride(s int) ConvTransposeOption {
	return func(c *ConvTranspose2d) { c.Stride = [2]int{s, s} }
}

// ConvTransposePadding sets the padding along both axes (default 0).
func ConvTransposePadding(p int) ConvTransposeOption {
	return func(c *ConvTranspose2d) { c.Padding = [2]int{p, p} }
}

// ConvTransposeOutputPadding sets the output padding along both axes
// (default 0); it must be smaller than the stride or the dilation.
func ConvTransposeOutputPadding(p int) ConvTransposeOption {
	return func(c *ConvTranspose2d) { c.OutputPadding = [2]int{p, p} }
}

// ConvTransposeDilation sets the dilation along both axes (default 1).
func ConvTransposeDilation(d int) ConvTransposeOption {
	return func(c *ConvTranspose2d) { c.Dilation = [2]int{d, d} }
}

// ConvTransposeNoBias removes the bias.
func ConvTransposeNoBias() ConvTransposeOption { return func(c *ConvTranspose2d) { c.Bias = nil } }

// NewConvTranspose2d returns a ConvTranspose2d layer with in input and out
// output channels and a square kernel, initialised as PyTorch does
// (kaiming_uniform with a=√5 on the [in, out, k, k] weight, whose fan_in
// PyTorch reads from its second axis): weight and bias uniform in
// ±1/√(out·k·k). Options set stride, padding, output padding, dilation or
// remove the bias; the fields may also be set directly for non-square
// settings.
func NewConvTranspose2d(rng *rand.Rand, in, out, kernel int, opts ...ConvTransposeOption) *ConvTranspose2d {
	c := &ConvTranspose2d{In: in, Out: out, Kernel: [2]int{kernel, kernel}, Stride: [2]int{1, 1}, Dilation: [2]int{1, 1},
		Weight: tensor.ZerosOf(tensor.Float32, in, out, kernel, kernel).SetRequiresGrad(true),
		Bias:   tensor.ZerosOf(tensor.Float32, out).SetRequiresGrad(true)}
	for _, o := range opts {
		o(c)
	}
	bound := 1 / math.Sqrt(float64(out*kernel*kernel))
	Uniform(-bound, bound)(rng, c.Weight)
	if c.Bias != nil {
		Uniform(-bound, bound)(rng, c.Bias)
	}
	return c
}

// Forward returns the transposed convolution of x [N, in, H, W], shape
// [N, out, OH, OW].
func (c *ConvTranspose2d) Forward(x *tensor.Tensor) *tensor.Tensor {
	c.x = x
	return tensor.ConvTranspose2d(x, c.Weight, c.Bias, c.Stride, c.Padding, c.OutputPadding, c.Dilation)
}

// outSize returns the output size along axis a (0: height, 1: width) for
// an input size in.
func (c *ConvTranspose2d) outSize(a, in int) int {
	return (in-1)*c.Stride[a] - 2*c.Padding[a] + c.Dilation[a]*(c.Kernel[a]-1) + c.OutputPadding[a] + 1
}

// outShape returns the shape of the last output.
func (c *ConvTranspose2d) outShape() []int {
	s := c.x.Shape()
	return []int{s[0], c.Out, c.outSize(0, s[2]), c.outSize(1, s[3])}
}

// BackwardInputs returns ∂L/∂x: for each image, W·Im2col(G_n).
func (c *ConvTranspose2d) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	mustInput("ConvTranspose2d", c.x)
	checkGradShape("ConvTranspose2d", grad, c.outShape())
	return tensor.ConvTranspose2dBackwardInput(grad.Detach(), c.Weight.Detach(), c.x.Shape(), c.Stride, c.Padding, c.OutputPadding, c.Dilation)
}

// BackwardParams returns ∂L/∂W = Σ_n x_n·Im2col(G_n)ᵀ and ∂L/∂b = Σ_{n,h,w} G.
func (c *ConvTranspose2d) BackwardParams(grad *tensor.Tensor) []ParamGrad {
	mustInput("ConvTranspose2d", c.x)
	checkGradShape("ConvTranspose2d", grad, c.outShape())
	g := grad.Detach()
	dw := tensor.ConvTranspose2dBackwardWeight(g, c.x.Detach(), c.Weight.Shape(), c.Stride, c.Padding, c.OutputPadding, c.Dilation)
	out := []ParamGrad{{"weight", c.Weight, dw}}
	if c.Bias != nil {
		out = append(out, ParamGrad{"bias", c.Bias, tensor.Conv2dBackwardBias(g)})
	}
	return out
}

// Params returns weight and bias.
func (c *ConvTranspose2d) Params() []Param {
	ps := []Param{{"weight", c.Weight}}
	if c.Bias != nil {
		ps = append(ps, Param{"bias", c.Bias})
	}
	return ps
}

// SetTraining does nothing: ConvTranspose2d behaves the same in both modes.
func (c *ConvTranspose2d) SetTraining(bool) {}

// window returns the layer's kernel, stride, padding and dilation.
func (c *ConvTranspose2d) window() tensor.Window {
	return tensor.Window{Kernel: c.Kernel, Stride: c.Stride, Pad: c.Padding, Dilation: c.Dilation}
}

// op returns the record tensor.ConvTranspose2d makes for this layer.
func (c *ConvTranspose2d) op() tensor.Op {
	return tensor.Op{Kind: tensor.OpConvTranspose2d, Window: c.window(),
		OutputPad: [2]uint8{uint8(c.OutputPadding[0]), uint8(c.OutputPadding[1])}}
}

// Counts returns the multiplications and additions of the transposed
// convolution (the products that land inside the output; see
// tensor.ConvTranspose2d).
func (c *ConvTranspose2d) Counts(in []int) (tensor.Counts, []int) {
	if len(in) != 4 || in[1] != c.In {
		return unknownCounts, nil
	}
	out := []int{in[0], c.Out, c.outSize(0, in[2]), c.outSize(1, in[3])}
	if out[2] <= 0 || out[3] <= 0 {
		return unknownCounts, nil
	}
	var b []int
	if c.Bias != nil {
		b = []int{c.Out}
	}
	return opCounts(c.op(), out, in, []int{c.In, c.Out, c.Kernel[0], c.Kernel[1]}, b), out
}

// ReceptiveField returns the kernel window at stride 1, as a convolution;
// with a larger stride the layer upsamples, which a window rule cannot
// express, and the rule is unknown (tensor.FieldUnknown).
func (c *ConvTranspose2d) ReceptiveField() tensor.FieldRule {
	op := c.op()
	return op.FieldFor(nil, nil)
}
