package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/duboko/duboko/tensor"
)

// Bilinear is the two-input layer y_o = x1ᵀ·W_o·x2 + b_o with weight
// [out, in1, in2] and bias [out], as torch.nn.Bilinear, for inputs x1
// [N, in1] and x2 [N, in2]. It is the MultiModule example of the package:
// ForwardN(x1, x2) returns [y], BackwardInputsN returns [∂L/∂x1, ∂L/∂x2].
type Bilinear struct {
	In1, In2, Out int
	Weight        *tensor.Tensor
	Bias          *tensor.Tensor // nil without bias

	x1, x2 *tensor.Tensor // inputs of the last ForwardN
	a      *tensor.Tensor // x1·W as [N, out, in2], kept for ∂L/∂x2
}

// BilinearOption configures NewBilinear.
type BilinearOption func(*bilinearConfig)

type bilinearConfig struct{ noBias bool }

// BilinearNoBias builds the layer without a bias.
func BilinearNoBias() BilinearOption { return func(c *bilinearConfig) { c.noBias = true } }

// NewBilinear returns a Bilinear layer initialised as PyTorch does: weight
// and bias uniform in ±1/√in1.
func NewBilinear(rng *rand.Rand, in1, in2, out int, opts ...BilinearOption) *Bilinear {
	var c bilinearConfig
	for _, o := range opts {
		o(&c)
	}
	b := &Bilinear{In1: in1, In2: in2, Out: out, Weight: tensor.ZerosOf(tensor.Float32, out, in1, in2).SetRequiresGrad(true)}
	bound := 1 / math.Sqrt(float64(in1))
	Uniform(-bound, bound)(rng, b.Weight)
	if !c.noBias {
		b.Bias = tensor.ZerosOf(tensor.Float32, out).SetRequiresGrad(true)
		Uniform(-bound, bound)(rng, b.Bias)
	}
	return b
}

// wFlat returns the weight as [in1, out·in2] (recorded, so autodiff
// reaches the weight).
func (b *Bilinear) wFlat(w *tensor.Tensor) *tensor.Tensor {
	return tensor.Reshape(tensor.Permute(w, 1, 0, 2), b.In1, b.Out*b.In2)
}

// ForwardN returns [y] for inputs x1 [N, in1] and x2 [N, in2].
func (b *Bilinear) ForwardN(inputs ...*tensor.Tensor) []*tensor.Tensor {
	if len(inputs) != 2 || inputs[0] == nil || inputs[1] == nil {
		panic(&LayerError{Layer: "Bilinear", Msg: fmt.Sprintf("takes 2 inputs (x1, x2), got %d", len(inputs))})
	}
	x1, x2 := inputs[0], inputs[1]
	checkInputDType("Bilinear", x1, b.Weight)
	checkInputDType("Bilinear", x2, b.Weight)
	s1, s2 := x1.Shape(), x2.Shape()
	if len(s1) != 2 || len(s2) != 2 || s1[1] != b.In1 || s2[1] != b.In2 || s1[0] != s2[0] {
		panic(&tensor.ShapeError{Op: "Bilinear", Shapes: [][]int{s1, s2, b.Weight.Shape()}, Msg: "want x1 [N, in1] and x2 [N, in2]"})
	}
	n := s1[0]
	a := tensor.Reshape(tensor.MatMul(x1, b.wFlat(b.Weight)), n, b.Out, b.In2)
	y := tensor.Sum(tensor.Mul(a, tensor.Unsqueeze(x2, 1)), 2)
	if b.Bias != nil {
		y = tensor.Add(y, b.Bias)
	}
	b.x1, b.x2, b.a = x1, x2, a
	return []*tensor.Tensor{y}
}

// grad checks and returns ∂L/∂y as [N, out, 1], nil for a zero gradient.
func (b *Bilinear) grad(grads []*tensor.Tensor) *tensor.Tensor {
	mustInput("Bilinear", b.x1)
	if len(grads) != 1 {
		panic(&LayerError{Layer: "Bilinear", Msg: fmt.Sprintf("has 1 output, got %d gradients", len(grads))})
	}
	if grads[0] == nil {
		return nil
	}
	checkGradShape("Bilinear", grads[0], []int{b.x1.Dim(0), b.Out})
	return tensor.Unsqueeze(grads[0].Detach(), 2)
}

// BackwardInputsN returns [∂L/∂x1, ∂L/∂x2]: with M_noj = g_no·x2_nj,
// ∂L/∂x1 = M·W' (W' = W as [in1, out·in2]) and ∂L/∂x2_j = Σ_o g_o·(x1·W)_oj.
func (b *Bilinear) BackwardInputsN(grads []*tensor.Tensor) []*tensor.Tensor {
	g := b.grad(grads)
	if g == nil {
		return []*tensor.Tensor{tensor.ZerosLike(b.x1), tensor.ZerosLike(b.x2)}
	}
	var dx1, dx2 *tensor.Tensor
	tensor.NoGrad(func() {
		n := b.x1.Dim(0)
		m := tensor.Reshape(tensor.Mul(g, tensor.Unsqueeze(b.x2.Detach(), 1)), n, b.Out*b.In2)
		dx1 = tensor.MatMul(m, tensor.T(b.wFlat(b.Weight.Detach())))
		dx2 = tensor.Sum(tensor.Mul(b.a.Detach(), g), 1)
	})
	return []*tensor.Tensor{dx1, dx2}
}

// BackwardParamsN returns ∂L/∂W_oij = Σ_n g_no·x1_ni·x2_nj and
// ∂L/∂b = Σ_n g_n.
func (b *Bilinear) BackwardParamsN(grads []*tensor.Tensor) []ParamGrad {
	g := b.grad(grads)
	var out []ParamGrad
	tensor.NoGrad(func() {
		if g == nil {
			out = append(out, ParamGrad{"weight", b.Weight, tensor.ZerosLike(b.Weight)})
			if b.Bias != nil {
				out = append(out, ParamGrad{"bias", b.Bias, tensor.ZerosLike(b.Bias)})
			}
			return
		}
		n := b.x1.Dim(0)
		m := tensor.Reshape(tensor.Mul(g, tensor.Unsqueeze(b.x2.Detach(), 1)), n, b.Out*b.In2)
		dw := tensor.Reshape(tensor.MatMul(tensor.T(b.x1.Detach()), m), b.In1, b.Out, b.In2)
		out = append(out, ParamGrad{"weight", b.Weight, tensor.Permute(dw, 1, 0, 2)})
		if b.Bias != nil {
			out = append(out, ParamGrad{"bias", b.Bias, tensor.Sum(tensor.Squeeze(g, 2), 0)})
		}
	})
	return out
}

// Params returns weight and bias.
func (b *Bilinear) Params() []Param {
	ps := []Param{{"weight", b.Weight}}
	if b.Bias != nil {
		ps = append(ps, Param{"bias", b.Bias})
	}
	return ps
}

// SetTraining does nothing: Bilinear behaves the same in both modes.
func (b *Bilinear) SetTraining(bool) {}

var _ MultiModule = (*Bilinear)(nil)
