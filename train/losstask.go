package train

import (
	"context"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// LossTask is a Task made of a step function: for each batch, Loss runs
// the model and returns the scalar loss to minimise, plus any extra
// metrics of the batch (as sums, see Metric). LossTask does the rest of a
// step: it refuses a non-finite loss before touching the weights, zeroes
// the gradients, back-propagates, clips the gradients' norm when ClipNorm
// is positive, and steps the optimizer. A VAE (loss: the negative ELBO,
// metrics: its reconstruction and KL parts) or a text classifier with the
// course's clipping to 0.25 is a LossTask; a GAN, with two optimizers
// stepped in turn, implements Task itself.
//
// Its metrics are "loss" (the batch mean times the batch size, so that
// epoch means are per sample) followed by Loss's extra metrics.
type LossTask struct {
	Net      nn.Module
	Opt      optim.Optimizer
	Loss     func(b *data.Batch) (*tensor.Tensor, Metrics)
	ClipNorm float64 // clip the gradients' global norm to this (0: no clipping)
	// EvalBatch is the batch size of the default Evaluate (100 when 0).
	EvalBatch int
	// Eval, when set, replaces the default Evaluate, which averages Loss
	// and its metrics over ds in evaluation mode without gradients.
	Eval func(ctx context.Context, ds data.Dataset) (Metrics, error)
}

// Model returns the task's network.
func (t *LossTask) Model() nn.Module { return t.Net }

// Optimizers returns the one optimizer.
func (t *LossTask) Optimizers() []optim.Optimizer { return []optim.Optimizer{t.Opt} }

// Step computes the loss of b and, when it is finite, updates the weights.
func (t *LossTask) Step(b *data.Batch) (Metrics, error) {
	loss, extra := t.Loss(b)
	l := loss.Item()
	if err := CheckFinite("loss", l); err != nil {
		return nil, err
	}
	t.Opt.ZeroGrad()
	loss.Backward()
	if t.ClipNorm > 0 {
		optim.ClipGradNorm(t.Net.Params(), t.ClipNorm)
	}
	t.Opt.Step()
	n := float64(b.Size())
	return append(Metrics{{Name: "loss", Label: "loss", Sum: l * n, N: n}}, extra...), nil
}

// Evaluate runs Eval when set; otherwise it averages the loss and the
// metrics of Loss over ds, in evaluation mode and without gradients. It
// stops early, with ctx's error, when ctx is cancelled.
func (t *LossTask) Evaluate(ctx context.Context, ds data.Dataset) (Metrics, error) {
	if t.Eval != nil {
		return t.Eval(ctx, ds)
	}
	batch := t.EvalBatch
	if batch == 0 {
		batch = 100
	}
	t.Net.SetTraining(false)
	defer t.Net.SetTraining(true)
	var sum Metrics
	var err error
	tensor.NoGrad(func() {
		for b := range data.NewLoader(ds, batch).Epoch() {
			if err = ctx.Err(); err != nil {
				return
			}
			loss, extra := t.Loss(b)
			n := float64(b.Size())
			sum = sum.Add(append(Metrics{{Name: "loss", Label: "loss", Sum: loss.Item() * n, N: n}}, extra...))
		}
	})
	return sum, err
}
