package generative

import (
	"fmt"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// GeneratorLoss selects what the generator's step minimises.
type GeneratorLoss int

const (
	// NonSaturating maximises log D(G(z)): the generator minimises
	// −mean(log D(G(z))) = BCE(D(G(z)), 1). Its gradient is large where the
	// discriminator confidently rejects the samples (D(G(z)) ≈ 0), the
	// practical choice (Goodfellow et al., 2014, section 3).
	NonSaturating GeneratorLoss = iota
	// Minimax minimises mean(log(1 − D(G(z)))) = −BCE(D(G(z)), 0), the
	// generator's side of the original value function. Its gradient
	// vanishes where D(G(z)) ≈ 0.
	Minimax
)

// String returns "non-saturating" or "minimax".
func (l GeneratorLoss) String() string {
	switch l {
	case NonSaturating:
		return "non-saturating"
	case Minimax:
		return "minimax"
	}
	return fmt.Sprintf("GeneratorLoss(%d)", int(l))
}

// GANOption changes a setting of [GANStep].
type GANOption func(*ganConfig)

type ganConfig struct {
	k         int
	loss      GeneratorLoss
	realLabel float64
}

// WithDiscriminatorSteps makes GANStep take k ≥ 1 discriminator steps
// before its generator step (default 1).
func WithDiscriminatorSteps(k int) GANOption {
	if k < 1 {
		panic(fmt.Sprintf("generative.WithDiscriminatorSteps: k = %d, want ≥ 1", k))
	}
	return func(c *ganConfig) { c.k = k }
}

// WithGeneratorLoss selects the generator's loss (default NonSaturating).
func WithGeneratorLoss(l GeneratorLoss) GANOption {
	if l != NonSaturating && l != Minimax {
		panic(fmt.Sprintf("generative.WithGeneratorLoss: unknown loss %v", l))
	}
	return func(c *ganConfig) { c.loss = l }
}

// WithRealLabel sets the discriminator's target for real images (default
// 1): one-sided label smoothing (Salimans et al., 2016) trains D towards
// y < 1 on real images, BCE(D(x), y), and keeps 0 for generated ones. y
// must be in (0, 1].
func WithRealLabel(y float64) GANOption {
	if !(y > 0 && y <= 1) {
		panic(fmt.Sprintf("generative.WithRealLabel: %v, want 0 < y ≤ 1", y))
	}
	return func(c *ganConfig) { c.realLabel = y }
}

// GANStats are the figures of one [GANStep].
type GANStats struct {
	// LossD is the discriminator's loss of its last step, before that
	// step's update: BCE(D(x), 1) + BCE(D(G(z)), 0), each a batch mean.
	LossD float64
	// LossG is the generator's loss before its update (the selected
	// GeneratorLoss, evaluated with the updated discriminator).
	LossG float64
	// DReal and DFake are mean D(x) and mean D(G(z)) seen by the last
	// discriminator step, before its update (PyTorch's DCGAN tutorial's
	// D(x) and D(G(z)) "before").
	DReal, DFake float64
	// DFakeG is mean D(G(z)) seen by the generator step, with the
	// updated discriminator (the tutorial's D(G(z)) "after").
	DFakeG float64
}

// DiscriminatorStep takes one step of optD on the discriminator loss
// BCE(D(x), 1) + BCE(D(fake), 0), each term a mean over its batch; fake is
// used as given (pass a detached G(z), see [GANStep]). d must output
// probabilities (a sigmoid last); nn.BCE clamps its logs at −100 as PyTorch
// does, so saturated outputs give finite losses and gradients. It returns
// the loss and the means of D(x) and D(fake), all before the update. When
// the loss is NaN or ±Inf it returns train.CheckFinite's error and leaves
// the weights alone.
func DiscriminatorStep(d nn.Module, optD optim.Optimizer, x, fake *tensor.Tensor) (loss, dReal, dFake float64, err error) {
	return discriminatorStep(d, optD, x, fake, 1)
}

// discriminatorStep is DiscriminatorStep with the target real for real
// images: BCE(D(x), real) + BCE(D(fake), 0).
func discriminatorStep(d nn.Module, optD optim.Optimizer, x, fake *tensor.Tensor, real float64) (loss, dReal, dFake float64, err error) {
	pr := d.Forward(x)
	pf := d.Forward(fake)
	l := tensor.Add(nn.BCE(pr, tensor.FullOf(pr.DType(), real, pr.Shape()...)),
		nn.BCE(pf, tensor.FullOf(pf.DType(), 0, pf.Shape()...)))
	loss, dReal, dFake = l.Item(), tensor.Mean(pr).Item(), tensor.Mean(pf).Item()
	if err := train.CheckFinite("discriminator loss", loss); err != nil {
		return loss, dReal, dFake, err
	}
	optD.ZeroGrad()
	l.Backward()
	optD.Step()
	return loss, dReal, dFake, nil
}

// GeneratorStep takes one step of optG on the generator loss kind of
// D(G(z)): the gradient flows through d into g, but only optG steps; the
// gradients left in d's parameters are cleared. It returns the loss and
// the mean of D(G(z)), both before the update. When the loss is NaN or
// ±Inf it returns train.CheckFinite's error and leaves the weights alone.
func GeneratorStep(g, d nn.Module, optG optim.Optimizer, z *tensor.Tensor, kind GeneratorLoss) (loss, dFake float64, err error) {
	pf := d.Forward(g.Forward(z))
	var l *tensor.Tensor
	switch kind {
	case NonSaturating:
		l = nn.BCE(pf, tensor.FullOf(pf.DType(), 1, pf.Shape()...))
	case Minimax:
		l = tensor.Neg(nn.BCE(pf, tensor.FullOf(pf.DType(), 0, pf.Shape()...)))
	default:
		panic(fmt.Sprintf("generative.GeneratorStep: unknown loss %v", kind))
	}
	loss, dFake = l.Item(), tensor.Mean(pf).Item()
	if err := train.CheckFinite("generator loss", loss); err != nil {
		return loss, dFake, err
	}
	optG.ZeroGrad()
	l.Backward()
	optG.Step()
	zeroGrads(d)
	return loss, dFake, nil
}

// zeroGrads clears the gradients of m's parameters.
func zeroGrads(m nn.Module) {
	for _, p := range m.Params() {
		p.Tensor.ZeroGrad()
	}
}

// GANStep is one training step of a GAN with generator g, discriminator d
// (outputting probabilities) and their optimisers: first k discriminator
// steps (default 1; real images' target 1 or [WithRealLabel]'s) on the real batch x and the generated batch G(z),
// detached so that they do not change g; then one generator step on D(G(z))
// with the updated discriminator and the same noise z. All k discriminator
// steps see the same x and G(z) (g does not change between them); for fresh
// data per step call [DiscriminatorStep] and [GeneratorStep] directly.
//
// A NaN or ±Inf loss stops the step with train.CheckFinite's error before
// that player's update; a non-finite generator loss is found after the
// discriminator's update(s), which stay.
func GANStep(g, d nn.Module, optG, optD optim.Optimizer, x, z *tensor.Tensor, opts ...GANOption) (GANStats, error) {
	c := ganConfig{k: 1, loss: NonSaturating, realLabel: 1}
	for _, o := range opts {
		o(&c)
	}
	var s GANStats
	fake := g.Forward(z).Detach()
	for range c.k {
		var err error
		if s.LossD, s.DReal, s.DFake, err = discriminatorStep(d, optD, x, fake, c.realLabel); err != nil {
			return s, err
		}
	}
	var err error
	s.LossG, s.DFakeG, err = GeneratorStep(g, d, optG, z, c.loss)
	return s, err
}
