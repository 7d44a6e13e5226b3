package generative

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// RBMTask trains a Bernoulli RBM by contrastive divergence: each Step runs
// CD-K on the batch (models.RBM.CD), stores the negated gradient estimates
// as the parameters' gradients and steps Opt (plain SGD ascends the
// log-likelihood estimate).
//
// With Persistent, the negative phase continues one set of Chains Gibbs
// chains (their hidden states) from batch to batch and epoch to epoch
// (PCD) instead of starting from the data: the first batch starts them
// from its data; a batch of n < Chains images (the short last batch of an
// epoch) advances the first n chains only; a batch of more images than
// chains starts from its own data and leaves the chains alone. The chains
// are part of the task's Model, as the buffers "pcd_chain" [Chains,
// hidden] and "pcd_updates" (the number of updates so far, 0 before the
// first), so a checkpoint holds them and a resumed run continues the same
// chains: it draws exactly what the uninterrupted run draws.
//
// Its metric is "recon_error": per image, Σ_pixels (v − p(v|h))² for h
// sampled from p(h|v), as the lab reports it.
type RBMTask struct {
	RBM        *models.RBM
	Opt        optim.Optimizer
	K          int  // Gibbs steps of the negative phase (at least 1)
	Persistent bool // persistent CD
	Chains     int  // number of persistent chains: the batch size (100 when 0)
	Seed       uint64
	EvalBatch  int // batch size of Evaluate (100 when 0)

	state *RBMState
}

// RBMState is an RBM with the state of its persistent chains: the module
// whose state dict a persistent-CD checkpoint holds (the RBM's weight,
// visible_bias and hidden_bias, then pcd_chain and pcd_updates).
type RBMState struct {
	*models.RBM
	Chain   *tensor.Tensor // hidden states of the chains [chains, hidden], binary
	Updates *tensor.Tensor // int64 scalar: PCD updates so far (0: the chains are not started)
}

// NewRBMState returns r with chains not yet started.
func NewRBMState(r *models.RBM, chains int) *RBMState {
	return &RBMState{RBM: r, Chain: tensor.ZerosOf(r.W.DType(), chains, r.Hidden()),
		Updates: tensor.ZerosOf(tensor.Int64)}
}

// Buffers returns pcd_chain and pcd_updates.
func (s *RBMState) Buffers() []nn.Param {
	return []nn.Param{{Name: "pcd_chain", Tensor: s.Chain}, {Name: "pcd_updates", Tensor: s.Updates}}
}

// started reports whether the chains hold states.
func (s *RBMState) started() bool { return s.Updates.Int64s()[0] > 0 }

// loadRBMState loads the checkpoint at path into r and returns the
// persistent chains it holds, or nil when it holds none (an RBM trained by
// plain CD).
func loadRBMState(path string, r *models.RBM) (*RBMState, error) {
	f, err := safetensors.Open(path)
	if err != nil {
		return nil, err
	}
	info, ok := f.Info("pcd_chain")
	f.Close()
	if !ok {
		_, err := train.LoadCheckpoint(path, r)
		return nil, err
	}
	if len(info.Shape) != 2 || info.Shape[0] < 1 || info.Shape[0] > 1<<20 {
		return nil, &train.CheckpointError{Path: path, Msg: fmt.Sprintf("pcd_chain has shape %v, not [chains, hidden]", info.Shape)}
	}
	st := NewRBMState(r, info.Shape[0])
	if _, err := train.LoadCheckpoint(path, st); err != nil {
		return nil, err
	}
	return st, nil
}

// NewRBMOptimizer returns plain SGD with learning rate lr over r's
// parameters.
func NewRBMOptimizer(r *models.RBM, lr float64) optim.Optimizer {
	return optim.NewSGD(r.Params(), optim.SGDConfig{LR: lr})
}

// Model returns the RBM, or with Persistent the RBM with its chains (an
// *RBMState).
func (t *RBMTask) Model() nn.Module {
	if !t.Persistent {
		return t.RBM
	}
	if t.state == nil || t.state.RBM != t.RBM {
		chains := t.Chains
		if chains == 0 {
			chains = 100
		}
		t.state = NewRBMState(t.RBM, chains)
	}
	return t.state
}

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
	var ps *RBMState
	if t.Persistent {
		ps = t.Model().(*RBMState)
		if ps.started() && n <= ps.Chain.Dim(0) {
			chain = tensor.Slice(ps.Chain, 0, 0, n)
		}
	}
	st := t.RBM.CD(v0, t.K, chain, uniforms(batchRand(t.Seed, b.Indices)))
	if err := train.CheckFinite("reconstruction error", st.ReconError); err != nil {
		return nil, err
	}
	if ps != nil && n <= ps.Chain.Dim(0) {
		// the first n chains continue from the batch's last hidden samples
		// (should the first batch be short, the other chains start from
		// the all-zero hidden state, a state like any other)
		copyRows(ps.Chain, tensor.To(st.HK, ps.Chain.DType()), n)
		ps.Updates.Int64s()[0]++
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

// copyRows copies the first n rows of src into dst (same row length and
// dtype).
func copyRows(dst, src *tensor.Tensor, n int) {
	w := dst.Dim(1)
	switch dst.DType() {
	case tensor.Float32:
		copy(dst.Float32s()[:n*w], src.Float32s()[:n*w])
	default:
		copy(dst.Float64s()[:n*w], src.Float64s()[:n*w])
	}
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
