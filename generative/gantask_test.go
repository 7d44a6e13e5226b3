package generative

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// newGANTask is a 2-D GAN: G 2-8-2 (ReLU), D 2-8-1 (LeakyReLU 0.2, sigmoid).
func newGANTask() *GANTask {
	rng := tensor.NewRand(3)
	g := nn.NewSequential(nn.NewLinear(rng, 2, 8), nn.NewReLU(), nn.NewLinear(rng, 8, 2))
	d := nn.NewSequential(nn.NewLinear(rng, 2, 8), nn.NewLeakyReLU(0.2), nn.NewLinear(rng, 8, 1), nn.NewSigmoid())
	return &GANTask{G: g, D: d, Latent: 2, Seed: 5, K: 2,
		OptG: optim.NewAdam(g.Params(), optim.AdamConfig{LR: 0.01}),
		OptD: optim.NewSGD(d.Params(), optim.SGDConfig{LR: 0.05, Momentum: 0.9})}
}

// points is 40 2-D points around (2, 1).
func points() data.Dataset {
	rng := tensor.NewRand(9)
	x := make([]float32, 80)
	for i := range 40 {
		x[2*i] = float32(2 + 0.3*rng.NormFloat64())
		x[2*i+1] = float32(1 + 0.3*rng.NormFloat64())
	}
	ds, err := data.NewInMemory(x, []int{2}, make([]int, 40))
	if err != nil {
		panic(err)
	}
	return ds
}

// TestGANTaskResumesExactly: trained by train.Trainer, a run resumed from
// epoch 1's checkpoint (both players, both optimizers' state) ends with
// the weights of an uninterrupted run, and the metrics are reported.
func TestGANTaskResumesExactly(t *testing.T) {
	run := func(epochs int, dir, resume string) (*GANTask, []train.EpochStats) {
		task := newGANTask()
		tr := &train.Trainer{Task: task, Train: points(), Val: points(), Batch: 10, Seed: 2, Epochs: epochs, OutDir: dir,
			Meta: map[string]string{"optimizer": "sgd+adam"}}
		runResumed(t, tr, resume)
		return task, tr.History()
	}
	whole, hist := run(2, t.TempDir(), "")
	dir := t.TempDir()
	run(1, dir, "")
	resumed, _ := run(2, dir, filepath.Join(dir, train.CheckpointName))
	a, b := nn.StateDict(whole.Model()), nn.StateDict(resumed.Model())
	if len(a) != 8 || len(b) != len(a) {
		t.Fatalf("state dicts of %d and %d tensors, want 8", len(a), len(b))
	}
	for i := range a {
		if !strings.HasPrefix(a[i].Name, "generator.") && !strings.HasPrefix(a[i].Name, "discriminator.") {
			t.Errorf("name %q", a[i].Name)
		}
		x, y := a[i].Tensor.Float32s(), b[i].Tensor.Float32s()
		for j := range x {
			if x[j] != y[j] {
				t.Fatalf("%s[%d]: %v uninterrupted, %v resumed", a[i].Name, j, x[j], y[j])
			}
		}
	}
	if len(hist) != 2 {
		t.Fatalf("history of %d epochs", len(hist))
	}
	for _, m := range []struct {
		set   string
		ms    train.Metrics
		names []string
	}{{"train", hist[1].Train, []string{"loss_d", "loss_g", "d_real", "d_fake"}}, {"val", hist[1].Val, []string{"loss_d", "d_real", "d_fake"}}} {
		for _, name := range m.names {
			v := m.ms.Get(name)
			if !(v > 0) || (strings.HasPrefix(name, "d_") && !(v < 1)) {
				t.Errorf("%s %s = %v", m.set, name, v)
			}
		}
	}
}

// runResumed resumes tr from the checkpoint folder resume (none when "")
// and runs it, failing t on any error.
func runResumed(t *testing.T, tr *train.Trainer, resume string) {
	t.Helper()
	if resume != "" {
		if err := tr.Resume(resume); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}
