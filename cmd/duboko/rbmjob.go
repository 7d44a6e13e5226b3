package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/generative"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/plot"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// rbmLR is the default learning rate of the RBM's SGD on the CD gradient.
const rbmLR = 0.1

// rbmJob is 'duboko train --task rbm': a Bernoulli RBM trained by CD-k.
type rbmJob struct {
	c   genConfig
	rbm *models.RBM
	t   *generative.RBMTask
}

func newRBMJob(c genConfig) *rbmJob {
	lr := c.LR
	if lr == 0 {
		lr = rbmLR
	}
	r := models.NewRBM(tensor.NewRand(c.Seed), 784, c.Hidden)
	return &rbmJob{c: c, rbm: r, t: &generative.RBMTask{RBM: r, Opt: generative.NewRBMOptimizer(r, lr),
		K: c.K, Persistent: c.PCD, Chains: c.Batch, Seed: c.Seed}}
}

func (j *rbmJob) task() train.Task { return j.t }

// meta: a PCD checkpoint holds one chain per image of a batch, so a
// resume must keep --batch.
func (j *rbmJob) meta() map[string]string {
	m := map[string]string{"hidden": strconv.Itoa(j.c.Hidden), "pcd": strconv.FormatBool(j.c.PCD)}
	if j.c.PCD {
		m["batch"] = strconv.Itoa(j.c.Batch)
	}
	return m
}

func (j *rbmJob) optimizer() string { return "sgd" }

func (j *rbmJob) describe() string {
	cd := fmt.Sprintf("CD-%d", j.c.K)
	if j.c.PCD {
		cd = fmt.Sprintf("PCD-%d", j.c.K)
	}
	return fmt.Sprintf("rbm 784-%d, %s, SGD lr %g", j.c.Hidden, cd, j.t.Opt.LR())
}

// rbmFinal is the last JSON line of the metrics file.
type rbmFinal struct {
	Final      bool        `json:"final"`
	ReconError train.Float `json:"reconstruction_error"` // on the test set, per image
	TestImages int         `json:"test_images"`
	Hidden     int         `json:"hidden"`
	K          int         `json:"cd_k"`
	Persistent bool        `json:"persistent"`
}

func (j *rbmJob) finish(ctx context.Context, test *mnist.Set) (any, string, error) {
	ms, err := j.t.Evaluate(ctx, test)
	if err != nil {
		return nil, "", err
	}
	e := ms.Get("recon_error")
	if !finite(e) {
		return nil, "", fmt.Errorf("test reconstruction error is %v", e)
	}
	return rbmFinal{Final: true, ReconError: train.Float(e), TestImages: test.N, Hidden: j.c.Hidden, K: j.c.K, Persistent: j.c.PCD},
		fmt.Sprintf("test reconstruction error: %.2f per image (Σ over pixels of (v − p(v|h))²)", e), nil
}

func (j *rbmJob) plots(dir string, test *mnist.Set, hist []train.EpochStats) ([]string, error) {
	out := &pngs{dir: dir}
	if err := out.save("training.png", lossCurves(hist)); err != nil {
		return out.written, err
	}
	w := tensor.To(j.rbm.W, tensor.Float32)
	nf := min(j.c.Hidden, 100)
	f, err := plot.ConvFilters(fmt.Sprintf("weights of the first %d hidden units as 28×28 filters", nf), w.Float32s()[:nf*784], nf, 1, 28, 28)
	if err != nil {
		return out.written, fmt.Errorf("plot: %w", err)
	}
	f.Cols = 10
	if err := out.save("filters.png", f); err != nil {
		return out.written, err
	}
	rng := tensor.NewRand(j.c.Seed + 1)
	x := images(test, 20)
	var rec *tensor.Tensor
	tensor.NoGrad(func() {
		ph := j.rbm.HiddenProbs(x)
		rec = j.rbm.VisibleProbs(models.Bernoulli(ph, tensor.RandU(rng, 0, 1, ph.Shape()...)))
	})
	g := grayGrid("test images (rows 1, 3) and reconstructions p(v|h), h ~ p(h|v) (rows 2, 4)", 10)
	for r := 0; r < 2; r++ {
		addRows(g, tensor.Slice(x, 0, 10*r, 10*r+10))
		addRows(g, tensor.Slice(rec, 0, 10*r, 10*r+10))
	}
	if err := out.save("reconstructions.png", g); err != nil {
		return out.written, err
	}
	if err := out.save("samples.png", j.chains(test, rng)); err != nil {
		return out.written, err
	}
	return out.written, nil
}

// chainSteps are the Gibbs steps after which the chains are drawn.
var chainSteps = []int{1, 10, 100, 1000}

// chains runs 10 Gibbs chains from test images and 10 from binary noise,
// and draws p(v|h) after each of chainSteps, one row per step count
// (the first row: the test images).
func (j *rbmJob) chains(test *mnist.Set, rng *rand.Rand) plot.Plot {
	g := grayGrid(fmt.Sprintf("Gibbs chains: p(v|h) after %v steps, from test images (rows 1–5) and from noise (rows 6–9)", chainSteps), 10)
	noise := tensor.Zeros(10, 784)
	for i := 0; i < noise.Len(); i++ {
		if rng.Float64() < 0.5 {
			noise.SetFlat(i, 1)
		}
	}
	data := images(test, 10)
	addRows(g, data)
	for _, v := range []*tensor.Tensor{data, noise} {
		done := 0
		for _, s := range chainSteps {
			// from a binary sample of the last picture on, as the chain itself does
			if done > 0 {
				v = models.Bernoulli(v, tensor.RandU(rng, 0, 1, v.Shape()...))
			}
			v = j.rbm.Gibbs(v, s-done, rng)
			done = s
			addRows(g, v)
		}
	}
	return g
}
