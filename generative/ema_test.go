package generative

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// TestEMAUpdateByHand: the shadow starts as a copy of the source, and
// each Update moves every float parameter and buffer to
// s + (1 − decay)(p − s); integer buffers are copied.
func TestEMAUpdateByHand(t *testing.T) {
	build := func() *nn.Sequential {
		return nn.NewSequential(nn.NewLinear(tensor.NewRand(1), 2, 1), nn.NewBatchNorm2d(1))
	}
	src, shadow := build(), build()
	lin := src.Layers[0].(*nn.Linear)
	bn := src.Layers[1].(*nn.BatchNorm)
	lin.Weight.CopyFrom(tensor.FromFloat32([]float32{1, 2}, 1, 2))
	lin.Bias.CopyFrom(tensor.FromFloat32([]float32{0.5}, 1))
	e := NewEMA(src, shadow, 0.9)
	sl, sbn := shadow.Layers[0].(*nn.Linear), shadow.Layers[1].(*nn.BatchNorm)
	if got := sl.Weight.Float32s(); got[0] != 1 || got[1] != 2 {
		t.Fatalf("shadow starts at %v, want the source's [1 2]", got)
	}
	lin.Weight.CopyFrom(tensor.FromFloat32([]float32{3, -2}, 1, 2))
	lin.Bias.CopyFrom(tensor.FromFloat32([]float32{1.5}, 1))
	bn.RunningMean.CopyFrom(tensor.FromFloat32([]float32{2}, 1))
	bn.NumBatchesTracked.Int64s()[0] = 7
	e.Update()
	// 1 + 0.1·(3 − 1) = 1.2, 2 + 0.1·(−2 − 2) = 1.6, 0.5 + 0.1·1 = 0.6,
	// running mean 0 + 0.1·2 = 0.2, running var 1 + 0.1·(1 − 1) = 1
	e.Update()
	// 1.2 + 0.1·1.8 = 1.38, 1.6 + 0.1·(−3.6) = 1.24, 0.6 + 0.1·0.9 = 0.69,
	// 0.2 + 0.1·1.8 = 0.38
	for _, c := range []struct {
		name string
		got  []float32
		want []float64
	}{
		{"weight", sl.Weight.Float32s(), []float64{1.38, 1.24}},
		{"bias", sl.Bias.Float32s(), []float64{0.69}},
		{"running_mean", sbn.RunningMean.Float32s(), []float64{0.38}},
		{"running_var", sbn.RunningVar.Float32s(), []float64{1}},
	} {
		for i, w := range c.want {
			if math.Abs(float64(c.got[i])-w) > 1e-6 {
				t.Errorf("%s[%d] = %v, want %v", c.name, i, c.got[i], w)
			}
		}
	}
	if n := sbn.NumBatchesTracked.Int64s()[0]; n != 7 {
		t.Errorf("num_batches_tracked %d, want the source's 7 (copied)", n)
	}
	if w := lin.Weight.Float32s(); w[0] != 3 || w[1] != -2 {
		t.Errorf("Update changed the source: %v", w)
	}
}

func TestNewEMARefuses(t *testing.T) {
	rng := tensor.NewRand(1)
	for _, c := range []struct {
		name        string
		src, shadow nn.Module
		decay       float64
		want        string
	}{
		{"decay 1", nn.NewLinear(rng, 2, 1), nn.NewLinear(rng, 2, 1), 1, "decay 1"},
		{"negative decay", nn.NewLinear(rng, 2, 1), nn.NewLinear(rng, 2, 1), -0.1, "decay -0.1"},
		{"shapes", nn.NewLinear(rng, 2, 1), nn.NewLinear(rng, 3, 1), 0.9, "weight"},
		{"count", nn.NewLinear(rng, 2, 1), nn.NewLinear(rng, 2, 1, nn.LinearNoBias()), 0.9, "2 tensors"},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), c.want) {
					t.Errorf("%s: panic %v, want one naming %q", c.name, r, c.want)
				}
			}()
			NewEMA(c.src, c.shadow, c.decay)
		}()
	}
}

// TestGANStepRealLabelByHand: with one-sided label smoothing (real target
// 0.9) and a discriminator that outputs p = σ(ln 3) = 0.75 for every
// image, D's loss is −(0.9 ln 0.75 + 0.1 ln 0.25) − ln(1 − 0.75) and the
// gradient of its bias (p − 0.9) + (p − 0) = 0.6, so SGD with rate 0.1
// moves the bias to ln 3 − 0.06.
func TestGANStepRealLabelByHand(t *testing.T) {
	rng := tensor.NewRand(1)
	g := nn.NewSequential(nn.NewLinear(rng, 2, 1))
	lin := nn.NewLinear(rng, 1, 1)
	d := nn.NewSequential(lin, nn.NewSigmoid())
	lin.Weight.CopyFrom(tensor.FromFloat32([]float32{0}, 1, 1))
	lin.Bias.CopyFrom(tensor.FromFloat32([]float32{float32(math.Log(3))}, 1))
	optD := optim.NewSGD(d.Params(), optim.SGDConfig{LR: 0.1})
	optG := optim.NewSGD(g.Params(), optim.SGDConfig{LR: 0.1})
	x := tensor.FromFloat32([]float32{1, -2, 0.5}, 3, 1)
	z := tensor.FromFloat32([]float32{1, 2, 3, 4, 5, 6}, 3, 2)
	s, err := GANStep(g, d, optG, optD, x, z, WithRealLabel(0.9))
	if err != nil {
		t.Fatal(err)
	}
	want := -(0.9*math.Log(0.75) + 0.1*math.Log(0.25)) - math.Log(0.25)
	if math.Abs(s.LossD-want) > 1e-6 || math.Abs(s.DReal-0.75) > 1e-6 || math.Abs(s.DFake-0.75) > 1e-6 {
		t.Errorf("loss_d %v, D(x) %v, D(G(z)) %v; want %v, 0.75, 0.75", s.LossD, s.DReal, s.DFake, want)
	}
	if b := float64(lin.Bias.Float32s()[0]); math.Abs(b-(math.Log(3)-0.06)) > 1e-6 {
		t.Errorf("bias after D's step %v, want ln 3 − 0.1·0.6 = %v", b, math.Log(3)-0.06)
	}
	// without smoothing the gradient is (0.75 − 1) + 0.75 = 0.5
	lin.Bias.CopyFrom(tensor.FromFloat32([]float32{float32(math.Log(3))}, 1))
	lin.Weight.CopyFrom(tensor.FromFloat32([]float32{0}, 1, 1))
	if _, err := GANStep(g, d, optG, optD, x, z); err != nil {
		t.Fatal(err)
	}
	if b := float64(lin.Bias.Float32s()[0]); math.Abs(b-(math.Log(3)-0.05)) > 1e-6 {
		t.Errorf("bias after an unsmoothed step %v, want ln 3 − 0.05", b)
	}
	for _, y := range []float64{0, -1, 1.5, math.NaN()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("WithRealLabel(%v) did not panic", y)
				}
			}()
			WithRealLabel(y)
		}()
	}
}

// TestGANTaskEMAResumesExactly: with a weight average and smoothed real
// labels, a run resumed from epoch 1's checkpoint ends with the weights
// and the average of an uninterrupted run; the average differs from G.
func TestGANTaskEMAResumesExactly(t *testing.T) {
	run := func(epochs int, dir, resume string) *GANTask {
		task := newGANTask()
		task.RealLabel = 0.9
		shadow := nn.NewSequential(nn.NewLinear(tensor.NewRand(0), 2, 8), nn.NewReLU(), nn.NewLinear(tensor.NewRand(0), 8, 2))
		task.EMA = NewEMA(task.G, shadow, 0.7)
		tr := &train.Trainer{Task: task, Train: points(), Batch: 10, Seed: 2, Epochs: epochs, OutDir: dir,
			Meta: map[string]string{"optimizer": "sgd+adam"}}
		runResumed(t, tr, resume)
		return task
	}
	whole := run(2, t.TempDir(), "")
	dir := t.TempDir()
	run(1, dir, "")
	resumed := run(2, dir, filepath.Join(dir, train.CheckpointName))
	a, b := nn.StateDict(whole.Model()), nn.StateDict(resumed.Model())
	if len(a) != 12 || len(b) != len(a) {
		t.Fatalf("state dicts of %d and %d tensors, want 12 (8 of the players, 4 of the average)", len(a), len(b))
	}
	for i := range a {
		x, y := a[i].Tensor.Float32s(), b[i].Tensor.Float32s()
		for j := range x {
			if x[j] != y[j] {
				t.Fatalf("%s[%d]: %v uninterrupted, %v resumed", a[i].Name, j, x[j], y[j])
			}
		}
	}
	if a[8].Name != "generator_ema.0.weight" {
		t.Errorf("the average's first tensor is named %q", a[8].Name)
	}
	if equalTensors(a[0].Tensor, a[8].Tensor) {
		t.Error("the average equals G after 8 steps")
	}
	if whole.Sampler() != whole.EMA.Shadow {
		t.Error("Sampler is not the average")
	}
}

// TestStandingStats: the running statistics become the average over the
// passes of each batch's mean and unbiased variance (here of the noise
// itself: a BatchNorm right after the reshape), Momentum is restored and
// the generator is left in evaluation mode.
func TestStandingStats(t *testing.T) {
	bn := nn.NewBatchNorm2d(3)
	g := nn.NewSequential(nn.NewReshape(3, 1, 1), nn.NewSequential(bn))
	StandingStats(g, 3, tensor.NewRand(4), 3, 5)
	rng := tensor.NewRand(4)
	var mean, vr [3]float64
	for range 3 {
		z := tensor.RandN(rng, 5, 3).Float32s()
		for c := range 3 {
			m, s := 0.0, 0.0
			for i := range 5 {
				m += float64(z[3*i+c]) / 5
			}
			for i := range 5 {
				d := float64(z[3*i+c]) - m
				s += d * d / 4
			}
			mean[c] += m / 3
			vr[c] += s / 3
		}
	}
	for c := range 3 {
		if math.Abs(float64(bn.RunningMean.Float32s()[c])-mean[c]) > 1e-5 || math.Abs(float64(bn.RunningVar.Float32s()[c])-vr[c]) > 1e-5 {
			t.Errorf("channel %d: running mean %v var %v, want %v %v", c, bn.RunningMean.Float32s()[c], bn.RunningVar.Float32s()[c], mean[c], vr[c])
		}
	}
	if bn.Momentum != 0.1 {
		t.Errorf("momentum %v after StandingStats, want 0.1 restored", bn.Momentum)
	}
	x := tensor.RandN(tensor.NewRand(1), 2, 3)
	var a, b *tensor.Tensor
	tensor.NoGrad(func() { a = g.Forward(x); b = g.Forward(x) })
	if !equalTensors(a, b) || bn.NumBatchesTracked.Int64s()[0] != 3 {
		t.Error("StandingStats left the generator in training mode")
	}
}
