package nn

import (
	"fmt"

	"github.com/duboko/duboko/tensor"
)

// BatchNorm is batch normalisation over channel axis 1, as
// torch.nn.BatchNorm1d (inputs [N,C] or [N,C,L]) and torch.nn.BatchNorm2d
// (inputs [N,C,H,W]): see tensor.BatchNorm for the formulas. Parameters
// "weight" (γ, init 1) and "bias" (β, init 0); buffers "running_mean"
// (init 0) and "running_var" (init 1), updated in training mode with
// Momentum and the unbiased batch variance, and "num_batches_tracked", the
// Int64 scalar count of training batches, as in PyTorch's state dicts (it
// only matters in PyTorch for momentum=None, cumulative averaging, which
// this layer does not offer).
type BatchNorm struct {
	NumFeatures       int
	Eps, Momentum     float64
	Weight, Bias      *tensor.Tensor // [C]
	RunningMean       *tensor.Tensor // [C]
	RunningVar        *tensor.Tensor // [C]
	NumBatchesTracked *tensor.Tensor // Int64, shape []

	name     string
	rank     []int // accepted input ranks
	eval     bool
	x        *tensor.Tensor
	mean     *tensor.Tensor
	invStd   *tensor.Tensor
	training bool // mode of the last Forward
}

func newBatchNorm(name string, rank []int, c int) *BatchNorm {
	return &BatchNorm{NumFeatures: c, Eps: 1e-5, Momentum: 0.1, name: name, rank: rank,
		Weight:            tensor.FullOf(tensor.Float32, 1, c).SetRequiresGrad(true),
		Bias:              tensor.ZerosOf(tensor.Float32, c).SetRequiresGrad(true),
		RunningMean:       tensor.ZerosOf(tensor.Float32, c),
		RunningVar:        tensor.FullOf(tensor.Float32, 1, c),
		NumBatchesTracked: tensor.ZerosOf(tensor.Int64)}
}

// NewBatchNorm1d returns batch normalisation for [N,C] or [N,C,L] inputs
// with PyTorch's defaults (eps 1e-5, momentum 0.1), in training mode.
func NewBatchNorm1d(c int) *BatchNorm { return newBatchNorm("BatchNorm1d", []int{2, 3}, c) }

// NewBatchNorm2d returns batch normalisation for [N,C,H,W] inputs with
// PyTorch's defaults (eps 1e-5, momentum 0.1), in training mode.
func NewBatchNorm2d(c int) *BatchNorm { return newBatchNorm("BatchNorm2d", []int{4}, c) }

// SetTraining switches between batch statistics (training) and running
// statistics (evaluation).
func (b *BatchNorm) SetTraining(training bool) { b.eval = !training }

// Forward normalises x; in training mode it also updates the running
// statistics.
func (b *BatchNorm) Forward(x *tensor.Tensor) *tensor.Tensor {
	checkInputDType(b.name, x, b.RunningMean)
	ok := false
	for _, r := range b.rank {
		ok = ok || x.NDim() == r
	}
	if !ok || x.Dim(1) != b.NumFeatures {
		panic(&tensor.ShapeError{Op: b.name, Shapes: [][]int{x.Shape(), {b.NumFeatures}},
			Msg: fmt.Sprintf("want input of rank %v with %d channels on axis 1", b.rank, b.NumFeatures)})
	}
	b.training = !b.eval
	y, mean, inv := tensor.BatchNormStats(x, b.Weight, b.Bias, b.RunningMean, b.RunningVar, b.training, b.Momentum, b.Eps)
	if b.training {
		b.NumBatchesTracked.Int64s()[0]++
	}
	b.x, b.mean, b.invStd = x, mean, inv
	return y
}

func (b *BatchNorm) grads(grad *tensor.Tensor) (dx, dg, db *tensor.Tensor) {
	mustInput(b.name, b.x)
	checkGradShape(b.name, grad, b.x.Shape())
	return tensor.BatchNormBackward(grad.Detach(), b.x.Detach(), b.Weight.Detach(), b.mean, b.invStd, b.training)
}

// BackwardInputs returns ∂L/∂x; in training mode
// γ/(M·σ)·(M·G − ΣG − x̂·Σ G⊙x̂), in evaluation mode γ·G/σ.
func (b *BatchNorm) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	dx, _, _ := b.grads(grad)
	return dx
}

// BackwardParams returns ∂L/∂γ = Σ G⊙x̂ and ∂L/∂β = Σ G per channel.
func (b *BatchNorm) BackwardParams(grad *tensor.Tensor) []ParamGrad {
	_, dg, db := b.grads(grad)
	return []ParamGrad{{"weight", b.Weight, dg}, {"bias", b.Bias, db}}
}

// Params returns weight (γ) and bias (β).
func (b *BatchNorm) Params() []Param { return []Param{{"weight", b.Weight}, {"bias", b.Bias}} }

// Buffers returns running_mean, running_var and num_batches_tracked.
func (b *BatchNorm) Buffers() []Param {
	return []Param{{"running_mean", b.RunningMean}, {"running_var", b.RunningVar}, {"num_batches_tracked", b.NumBatchesTracked}}
}
