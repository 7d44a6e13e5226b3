package train

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/data/synth"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// blobs returns a small 3-class 2-D data set.
func blobs(seed uint64, n int) data.Dataset {
	rng := rand.New(rand.NewPCG(seed, 0))
	x, y := synth.Blobs(rng, [][2]float64{{0, 0}, {3, 0}, {0, 3}}, 0.7, n)
	ds, err := data.NewInMemory(synth.Float32(x), []int{2}, y)
	if err != nil {
		panic(err)
	}
	return ds
}

// newClassifier returns a 2-16-3 MLP with SGD and momentum.
func newClassifier(lr float64) *Classifier {
	rng := tensor.NewRand(7)
	m := &nn.Sequential{}
	m.Add("fc1", nn.NewLinear(rng, 2, 16))
	m.Add("relu", nn.NewReLU())
	m.Add("fc2", nn.NewLinear(rng, 16, 3))
	return &Classifier{Net: m, Opt: optim.NewSGD(m.Params(), optim.SGDConfig{LR: lr, Momentum: 0.9})}
}

// newTrainer returns a trainer of a fresh classifier on 3×40 training and
// 3×10 validation points, batch 10 (12 steps per epoch).
func newTrainer(t *testing.T, epochs int, dir string) *Trainer {
	t.Helper()
	return &Trainer{Task: newClassifier(0.05), Train: blobs(1, 40), Val: blobs(2, 10), Batch: 10, Seed: 3,
		Epochs: epochs, OutDir: dir, Meta: map[string]string{"model": "mlp", "optimizer": "momentum"}, MatchMeta: []string{"model"}}
}

// poison wraps a task and turns a weight NaN (or the validation loss NaN)
// after a chosen step, as an exploding learning rate would.
type poison struct {
	Task
	after  int // the step, counted over the whole run, after which fc1.weight[0] becomes NaN; 0: never
	valNaN bool
	n      int
}

func (p *poison) Step(b *data.Batch) (Metrics, error) {
	ms, err := p.Task.Step(b)
	p.n++
	if p.n == p.after {
		p.Model().Params()[0].Tensor.Float32s()[0] = float32(math.NaN())
	}
	return ms, err
}

func (p *poison) Evaluate(ctx context.Context, ds data.Dataset) (Metrics, error) {
	ms, err := p.Task.Evaluate(ctx, ds)
	if p.valNaN {
		ms[0].Sum = math.Inf(1)
	}
	return ms, err
}

func sameWeights(t *testing.T, a, b nn.Module) {
	t.Helper()
	pb := b.Params()
	for i, p := range a.Params() {
		va, vb := p.Tensor.Values(), pb[i].Tensor.Values()
		for j := range va {
			if va[j] != vb[j] {
				t.Fatalf("%s[%d]: %v vs %v", p.Name, j, va[j], vb[j])
			}
		}
	}
}
