package generative

import (
	"math/rand/v2"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// Standing-statistics settings of [StandingStats] as the DCGAN's samplers
// use them: StandingBatches batches of StandingBatch noise vectors, drawn
// from StandingSeed.
const (
	StandingBatches = 10
	StandingBatch   = 500
	StandingSeed    = 12345
)

// StandingStats sets the running mean and variance of every BatchNorm in
// g (a Sequential, possibly nested) to the average of its batch statistics
// over batches forward passes of g in training mode on standard normal
// noise [batch, latent] drawn from rng, without recording gradients
// (BigGAN's "standing statistics", Brock et al., 2019). An average of a
// generator's weights (see [EMA]) needs it: the running statistics that
// training kept describe the trained generator's activations, not the
// average's. Each BatchNorm's Momentum is restored afterwards; its
// num_batches_tracked counts the passes, and g is left in evaluation mode.
func StandingStats(g nn.Module, latent int, rng *rand.Rand, batches, batch int) {
	bns := batchNorms(g, nil)
	moms := make([]float64, len(bns))
	for i, b := range bns {
		moms[i] = b.Momentum
	}
	g.SetTraining(true)
	tensor.NoGrad(func() {
		for k := 1; k <= batches; k++ {
			for _, b := range bns {
				b.Momentum = 1 / float64(k) // running = mean of the k batches' statistics
			}
			g.Forward(tensor.RandN(rng, batch, latent))
		}
	})
	for i, b := range bns {
		b.Momentum = moms[i]
	}
	g.SetTraining(false)
}

// batchNorms appends the BatchNorm layers of m (a Sequential, possibly
// nested, or a BatchNorm) to out.
func batchNorms(m nn.Layer, out []*nn.BatchNorm) []*nn.BatchNorm {
	switch m := m.(type) {
	case *nn.BatchNorm:
		out = append(out, m)
	case *nn.Sequential:
		for _, l := range m.Layers {
			out = batchNorms(l, out)
		}
	}
	return out
}
