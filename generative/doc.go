// Package generative holds the training tasks of the course's generative
// models (lab 4) for the task-agnostic trainer in package train: the
// variational autoencoder ([NewVAETask], a train.LossTask minimising the
// negative ELBO with Adam) and the restricted Boltzmann machine
// ([RBMTask], trained by contrastive divergence without backpropagation,
// its Step doing the update itself), and the generative adversarial
// network: [GANStep] (k discriminator steps on real data and a detached
// G(z), then one generator step with the minimax or the non-saturating
// loss, both players' outputs probabilities under nn.BCE's clamped logs)
// and [GANTask], the train.Task around it; [NewDCGANTask] builds lab 4's
// DCGAN for MNIST on it (dcgan.go). Options of the GAN recipe: one-sided
// label smoothing ([WithRealLabel], GANTask.RealLabel) and an exponential
// moving average of the generator's weights ([EMA], [DCGANTask.KeepEMA]),
// sampled with standing BatchNorm statistics ([StandingStats]).
//
// All draw their noise from a generator seeded by the task's seed and the
// dataset indices of the batch, so a run is deterministic with a seed and a
// resumed run draws the same noise as an uninterrupted one (the persistent
// CD chains are part of the checkpoint, see [RBMState]).
//
// [LoadSampler] draws samples from any generative checkpoint 'duboko train'
// writes, choosing the model by the checkpoint's "model" metadata among the
// loaders registered with [RegisterSampler] (the VAE, the RBM and the DCGAN
// register themselves; a new generative model registers its own).
package generative

import (
	"math/rand/v2"

	"github.com/duboko/duboko/tensor"
)

// batchRand returns a generator seeded by seed and the batch's dataset
// indices (FNV-1a over them).
func batchRand(seed uint64, idx []int) *rand.Rand {
	h := uint64(14695981039346656037)
	for _, i := range idx {
		h ^= uint64(i)
		h *= 1099511628211
	}
	return tensor.NewRand(seed ^ h)
}
