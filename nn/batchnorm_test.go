package nn_test

import (
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func TestBatchNormLayers(t *testing.T) {
	for _, training := range []bool{true, false} {
		mode := map[bool]string{true: "train", false: "eval"}[training]
		cases := []struct {
			name string
			m    *nn.BatchNorm
			x    *tensor.Tensor
		}{
			{"1d [N,C]", nn.NewBatchNorm1d(3), rnd(1, 8, 3)},
			{"1d [N,C,L]", nn.NewBatchNorm1d(2), rnd(2, 3, 2, 5)},
			{"2d", nn.NewBatchNorm2d(3), rnd(3, 2, 3, 4, 3)},
		}
		for _, c := range cases {
			t.Run(c.name+"/"+mode, func(t *testing.T) {
				nn.To(c.m, tensor.Float64)
				// Non-trivial parameters and running statistics.
				c.m.Weight.CopyFrom(tensor.To(tensor.RandU(tensor.NewRand(4), 0.5, 2, c.m.NumFeatures), tensor.Float64))
				c.m.Bias.CopyFrom(rnd(5, c.m.NumFeatures))
				c.m.RunningMean.CopyFrom(rnd(6, c.m.NumFeatures))
				c.m.RunningVar.CopyFrom(tensor.To(tensor.RandU(tensor.NewRand(7), 0.5, 2, c.m.NumFeatures), tensor.Float64))
				c.m.SetTraining(training)
				checkExplicit(t, c.m, c.x)
			})
		}
	}
}

func TestBatchNormBuffers(t *testing.T) {
	b := nn.NewBatchNorm2d(4)
	names := []string{}
	for _, p := range nn.StateDict(b) {
		names = append(names, p.Name)
	}
	want := []string{"weight", "bias", "running_mean", "running_var", "num_batches_tracked"}
	for i := range want {
		if i >= len(names) || names[i] != want[i] {
			t.Fatalf("state dict names %v, want %v", names, want)
		}
	}
	x := tensor.RandN(tensor.NewRand(1), 5, 4, 3, 3)
	b.Forward(x)
	if n := b.NumBatchesTracked.Int64s()[0]; n != 1 {
		t.Errorf("num_batches_tracked = %d", n)
	}
	rm := b.RunningMean.Clone()
	b.SetTraining(false)
	b.Forward(x)
	agree(t, "eval keeps running mean", b.RunningMean.Values(), rm.Values(), 0)
	defer func() {
		if _, ok := recover().(*tensor.ShapeError); !ok {
			t.Errorf("BatchNorm2d on [N,C] must panic with a ShapeError")
		}
	}()
	b.Forward(tensor.Zeros(2, 4))
}
