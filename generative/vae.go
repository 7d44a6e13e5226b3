package generative

import (
	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// NewVAETask returns the task that trains v by minimising the negative
// ELBO (models.VAE.Loss) with opt. Its metrics, per image in nats, are
// "loss" (−ELBO), "recon" (the Bernoulli reconstruction term) and "kl";
// evaluation averages them over the set with one sample of z per image,
// drawn from seed and the images' indices, so it is repeatable.
func NewVAETask(v *models.VAE, opt optim.Optimizer, seed uint64) *train.LossTask {
	return &train.LossTask{Net: v, Opt: opt, Loss: func(b *data.Batch) (*tensor.Tensor, train.Metrics) {
		n := b.Size()
		x := tensor.FromFloat32(b.X, n, len(b.X)/n)
		eps := tensor.RandN(batchRand(seed, b.Indices), n, v.Latent)
		e := v.Loss(x, eps)
		fn := float64(n)
		return e.Loss, train.Metrics{
			{Name: "recon", Label: "recon", Sum: e.Recon.Item() * fn, N: fn},
			{Name: "kl", Label: "kl", Sum: e.KL.Item() * fn, N: fn},
		}
	}}
}

// NewVAEOptimizer returns the lab's optimizer: Adam with learning rate lr
// (3.24e-4 in the lab) over v's parameters.
func NewVAEOptimizer(v *models.VAE, lr float64) optim.Optimizer {
	return optim.NewAdam(v.Params(), optim.AdamConfig{LR: lr})
}
