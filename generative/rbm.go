package generative

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// RBMTask trains a Bernoulli RBM by contrastive divergence: each Step runs
// CD-K on the batch (models.RBM.CD), stores the negated gradient estimates
// as the parameters' gradients and steps Opt (plain SGD ascends the
// log-likelihood estimate). With Persistent, the negative phase continues
// one chain of hidden states from batch to batch (PCD) instead of starting
// from the data; a batch of another size than the chain's (the short last
// batch of an epoch) starts from its own data and the chain continues from
// there, and the chain is not saved in checkpoints, so a resumed PCD run
// restarts it from the data.
//
// Its metric is "recon_error": per image, Σ_pixels (v − p(v|h))² for h
// sampled from p(h|v), as the lab reports it.
type RBMTask struct {
	RBM        *models.RBM
	Opt        optim.Optimizer
	K          int  // Gibbs steps of the negative phase (at least 1)
	Persistent bool // persistent CD
	Seed       uint64
	EvalBatch  int // batch size of Evaluate (100 when 0)

	chain *tensor.Tensor
}

// NewRBMOptimizer returns plain SGD with learning rate lr over r's
// parameters.
func NewRBMOptimizer(r *models.RBM, lr float64) optim.Optimizer {
	return optim.NewSGD(r.Params(), optim.SGDConfig{LR: lr})
}

// Model returns the RBM.
func (t *RBMTask) Model() nn.Module { return t.RBM }

// Optimizers returns the one optimizer.
func (t *RBMTask) Optimizers() []optim.Optimizer { return []optim.Optimizer{t.Opt} }

func uniforms(rng *rand.Rand) func(rows, cols int) *tensor.Tensor {
	return func(rows, cols int) *tensor.Tensor { return tensor.RandU(rng, 0, 1, rows, cols) }
}

// Step runs one CD-K update on b.
func (t *RBMTask) Step(b *data.Batch) (train.Metrics, error) {
	if t.K < 1 {
		return nil, fmt.Errorf("rbm: CD-%d: k must be at least 1", t.K)
	}
	n := b.Size()
	v0 := tensor.FromFloat32(b.X, n, len(b.X)/n)
	var chain *tensor.Tensor
	if t.Persistent && t.chain != nil && t.chain.Dim(0) == n {
		chain = t.chain
	}
	st := t.RBM.CD(v0, t.K, chain, uniforms(batchRand(t.Seed, b.Indices)))
	if err := train.CheckFinite("reconstruction error", st.ReconError); err != nil {
		return nil, err
	}
	if t.Persistent {
		t.chain = st.HK
	}
	t.Opt.ZeroGrad()
	tensor.NoGrad(func() {
		t.RBM.W.SetGrad(tensor.Neg(st.DW))
		t.RBM.B.SetGrad(tensor.Neg(st.DB))
		t.RBM.C.SetGrad(tensor.Neg(st.DC))
	})
	t.Opt.Step()
	fn := float64(n)
	return train.Metrics{{Name: "recon_error", Label: "recon", Sum: st.ReconError * fn, N: fn}}, nil
}

// Evaluate returns the mean reconstruction error over ds, with hidden
// samples drawn from Seed and the images' indices (repeatable).
func (t *RBMTask) Evaluate(ctx context.Context, ds data.Dataset) (train.Metrics, error) {
	batch := t.EvalBatch
	if batch == 0 {
		batch = 100
	}
	var sum train.Metrics
	for b := range data.NewLoader(ds, batch).Epoch() {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		e := ReconError(t.RBM, b, t.Seed)
		fn := float64(b.Size())
		sum = sum.Add(train.Metrics{{Name: "recon_error", Label: "recon", Sum: e * fn, N: fn}})
	}
	return sum, nil
}

// ReconError returns the mean over b's images of Σ_pixels (v − p(v|h))²
// for h sampled from p(h|v) with noise from seed and the images' indices.
func ReconError(r *models.RBM, b *data.Batch, seed uint64) float64 {
	n := b.Size()
	v := tensor.FromFloat32(b.X, n, len(b.X)/n)
	rng := batchRand(seed, b.Indices)
	var e float64
	tensor.NoGrad(func() {
		ph := r.HiddenProbs(v)
		rec := r.VisibleProbs(models.Bernoulli(ph, tensor.RandU(rng, 0, 1, ph.Shape()...)))
		d := tensor.Sub(v, rec)
		for i := 0; i < d.Len(); i++ {
			e += d.Flat(i) * d.Flat(i)
		}
	})
	return e / float64(n)
}
