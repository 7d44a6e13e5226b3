package train

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// twoPlayer is a Task with two optimizers stepped in turn, as a GAN's
// discriminator and generator are: one for each layer of a 2-layer network.
type twoPlayer struct {
	net  *nn.Sequential
	a, b optim.Optimizer
}

func newTwoPlayer() *twoPlayer {
	rng := tensor.NewRand(11)
	net := &nn.Sequential{}
	net.Add("d", nn.NewLinear(rng, 2, 8))
	net.Add("relu", nn.NewReLU())
	net.Add("g", nn.NewLinear(rng, 8, 3))
	ps := net.Params()
	return &twoPlayer{net: net,
		a: optim.NewSGD(ps[:2], optim.SGDConfig{LR: 0.05, Momentum: 0.9}),
		b: optim.NewAdam(ps[2:], optim.AdamConfig{LR: 0.01})}
}

func (p *twoPlayer) Model() nn.Module              { return p.net }
func (p *twoPlayer) Optimizers() []optim.Optimizer { return []optim.Optimizer{p.a, p.b} }
func (p *twoPlayer) Evaluate(ctx context.Context, ds data.Dataset) (Metrics, error) {
	return (&Classifier{Net: p.net}).Evaluate(ctx, ds)
}

func (p *twoPlayer) Step(b *data.Batch) (Metrics, error) {
	var ms Metrics
	for _, opt := range []optim.Optimizer{p.a, p.b} {
		loss := nn.CrossEntropy(p.net.Forward(tensor.FromFloat32(b.X, b.Shape...)), tensor.FromInts(b.Labels))
		if err := CheckFinite("loss", loss.Item()); err != nil {
			return nil, err
		}
		p.a.ZeroGrad()
		p.b.ZeroGrad()
		loss.Backward()
		opt.Step()
		ms = Metrics{{Name: "loss", Sum: loss.Item() * float64(b.Size()), N: float64(b.Size())}}
	}
	return ms, nil
}

// TestTwoOptimizersResumeExactly: the state of both optimizers is saved
// beside the checkpoint and restored, so a resumed run ends where an
// uninterrupted one does. No schedule: each optimizer keeps its own rate.
func TestTwoOptimizersResumeExactly(t *testing.T) {
	run := func(epochs int, dir, resume string) (*twoPlayer, string) {
		p := newTwoPlayer()
		var log strings.Builder
		tr := &Trainer{Task: p, Train: blobs(1, 30), Batch: 10, Seed: 2, Epochs: epochs, OutDir: dir, Log: &log,
			Meta: map[string]string{"optimizer": "sgd+adam"}}
		if resume != "" {
			if err := tr.Resume(resume); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := tr.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		return p, log.String()
	}
	whole, _ := run(2, t.TempDir(), "")
	dir := t.TempDir()
	run(1, dir, "")
	resumed, log := run(2, dir, filepath.Join(dir, CheckpointName))
	if !strings.Contains(log, "restored the optimizer state of epoch 1") {
		t.Fatalf("log:\n%s", log)
	}
	if whole.a.LR() != 0.05 || whole.b.LR() != 0.01 {
		t.Fatalf("rates changed without a schedule: %v %v", whole.a.LR(), whole.b.LR())
	}
	sameWeights(t, whole.net, resumed.net)
}
