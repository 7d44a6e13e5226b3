package generative

import (
	"context"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// GANTask is a train.Task that trains a GAN with [GANStep]: per batch, K
// discriminator steps (1 when K is 0) on the batch's images and G(z), then
// one generator step with the selected Loss. The noise z is standard
// normal, [batch, Latent], drawn from Seed and the batch's dataset indices
// (repeatable, also after a resume). Images are used as the batch holds
// them (flattened to the batch's Shape), so G's output must have that shape.
//
// Its metrics, per image: "loss_d", "loss_g", "d_real" (mean D(x)) and
// "d_fake" (mean D(G(z)) before the discriminator's step). Model holds both
// players, their parameters named "generator.…" and "discriminator.…", so
// one checkpoint holds both; Optimizers is [OptD, OptG].
//
// RealLabel, when not 0, is the discriminator's target for real images
// (one-sided label smoothing, see [WithRealLabel]); 0 means 1. EMA, when
// not nil, is an average of G's weights that Step updates after each
// generator step; the checkpoint holds its shadow's tensors as buffers
// named "generator_ema.…", and [GANTask.Sampler] returns it.
type GANTask struct {
	G, D       nn.Module
	OptG, OptD optim.Optimizer
	Latent     int
	Seed       uint64
	Loss       GeneratorLoss
	K          int
	RealLabel  float64
	EMA        *EMA
}

// Model returns a module holding both players (and the generator's
// average, when kept): its Forward is the generator's, its parameters
// those of both players.
func (t *GANTask) Model() nn.Module {
	p := &ganPair{g: t.G, d: t.D}
	if t.EMA != nil {
		p.ema = t.EMA.Shadow
	}
	return p
}

// Sampler returns the generator that draws the task's samples: the
// average of G's weights when the task keeps one (as it is, with its own
// averaged BatchNorm statistics; [DCGANTask.Sampler] computes standing
// ones, see [StandingStats]), else G itself.
func (t *GANTask) Sampler() nn.Module {
	if t.EMA != nil {
		return t.EMA.Shadow
	}
	return t.G
}

// Optimizers returns the discriminator's and the generator's optimizers.
func (t *GANTask) Optimizers() []optim.Optimizer { return []optim.Optimizer{t.OptD, t.OptG} }

// noise returns the batch's z in the dtype of x.
func (t *GANTask) noise(b *data.Batch, x *tensor.Tensor) *tensor.Tensor {
	z := tensor.RandN(batchRand(t.Seed, b.Indices), b.Size(), t.Latent)
	if z.DType() != x.DType() {
		z = tensor.To(z, x.DType())
	}
	return z
}

// Step runs GANStep on the batch. A NaN or ±Inf loss returns
// train.CheckFinite's error (see GANStep for what has moved by then).
func (t *GANTask) Step(b *data.Batch) (train.Metrics, error) {
	x := tensor.FromFloat32(b.X, b.Shape...)
	k := max(t.K, 1)
	opts := []GANOption{WithDiscriminatorSteps(k), WithGeneratorLoss(t.Loss)}
	if t.RealLabel != 0 {
		opts = append(opts, WithRealLabel(t.RealLabel))
	}
	s, err := GANStep(t.G, t.D, t.OptG, t.OptD, x, t.noise(b, x), opts...)
	if err != nil {
		return nil, err
	}
	if t.EMA != nil {
		t.EMA.Update()
	}
	n := float64(b.Size())
	return train.Metrics{
		{Name: "loss_d", Label: "loss_d", Sum: s.LossD * n, N: n},
		{Name: "loss_g", Label: "loss_g", Sum: s.LossG * n, N: n},
		{Name: "d_real", Label: "D(x)", Sum: s.DReal * n, N: n},
		{Name: "d_fake", Label: "D(G(z))", Sum: s.DFake * n, N: n},
	}, nil
}

// Evaluate averages, over ds in evaluation mode and without gradients,
// the discriminator's loss (with target 1 for real images, also when
// RealLabel smooths it in training) and mean D(x), D(G(z)) with noise
// drawn as in Step and G the trained generator (not its average). It stops early with ctx's error when ctx is cancelled.
func (t *GANTask) Evaluate(ctx context.Context, ds data.Dataset) (train.Metrics, error) {
	t.G.SetTraining(false)
	t.D.SetTraining(false)
	defer t.G.SetTraining(true)
	defer t.D.SetTraining(true)
	var sum train.Metrics
	var err error
	tensor.NoGrad(func() {
		for b := range data.NewLoader(ds, 100).Epoch() {
			if err = ctx.Err(); err != nil {
				return
			}
			x := tensor.FromFloat32(b.X, b.Shape...)
			pr := t.D.Forward(x)
			pf := t.D.Forward(t.G.Forward(t.noise(b, x)))
			loss := tensor.Add(nn.BCE(pr, tensor.FullOf(pr.DType(), 1, pr.Shape()...)),
				nn.BCE(pf, tensor.FullOf(pf.DType(), 0, pf.Shape()...))).Item()
			n := float64(b.Size())
			sum = sum.Add(train.Metrics{
				{Name: "loss_d", Label: "loss_d", Sum: loss * n, N: n},
				{Name: "d_real", Label: "D(x)", Sum: tensor.Mean(pr).Item() * n, N: n},
				{Name: "d_fake", Label: "D(G(z))", Sum: tensor.Mean(pf).Item() * n, N: n},
			})
		}
	})
	return sum, err
}

// ganPair is both players as one module for checkpoints: Forward and the
// explicit backward methods are the generator's. ema, when not nil, is the
// shadow of the generator's average, whose parameters and buffers are
// listed among the buffers as "generator_ema.…" (they are not trained).
type ganPair struct{ g, d, ema nn.Module }

func (p *ganPair) Forward(z *tensor.Tensor) *tensor.Tensor { return p.g.Forward(z) }

func (p *ganPair) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	return p.g.BackwardInputs(grad)
}

func (p *ganPair) BackwardParams(grad *tensor.Tensor) []nn.ParamGrad {
	return p.g.BackwardParams(grad)
}

func (p *ganPair) Params() []nn.Param {
	return append(nn.Prefixed("generator", p.g.Params()), nn.Prefixed("discriminator", p.d.Params())...)
}

// Buffers returns both players' buffers (BatchNorm statistics).
func (p *ganPair) Buffers() []nn.Param {
	var out []nn.Param
	if b, ok := p.g.(nn.Buffered); ok {
		out = append(out, nn.Prefixed("generator", b.Buffers())...)
	}
	if b, ok := p.d.(nn.Buffered); ok {
		out = append(out, nn.Prefixed("discriminator", b.Buffers())...)
	}
	if p.ema != nil {
		out = append(out, nn.Prefixed(EMAPrefix, nn.StateDict(p.ema))...)
	}
	return out
}

// EMAPrefix starts the checkpoint names of the tensors of a generator's
// weight average ("generator_ema.1.weight").
const EMAPrefix = "generator_ema"

func (p *ganPair) SetTraining(training bool) {
	p.g.SetTraining(training)
	p.d.SetTraining(training)
}
