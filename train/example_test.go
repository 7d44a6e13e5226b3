package train_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/data/synth"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// A small classifier trained on three Gaussian blobs: the trainer knows
// nothing of the data but the data.Dataset interface. No files are written
// because OutDir is empty; a hook sees every epoch.
func ExampleTrainer() {
	rng := rand.New(rand.NewPCG(1, 0))
	centers := [][2]float64{{0, 0}, {4, 0}, {0, 4}}
	x, y := synth.Blobs(rng, centers, 0.5, 100)
	trainSet, _ := data.NewInMemory(synth.Float32(x), []int{2}, y)
	x, y = synth.Blobs(rng, centers, 0.5, 20)
	valSet, _ := data.NewInMemory(synth.Float32(x), []int{2}, y)

	wrng := tensor.NewRand(1)
	net := nn.NewSequential(nn.NewLinear(wrng, 2, 16), nn.NewReLU(), nn.NewLinear(wrng, 16, 3))
	tr := &train.Trainer{
		Task:   &train.Classifier{Net: net, Opt: optim.NewSGD(net.Params(), optim.SGDConfig{LR: 0.1, Momentum: 0.9})},
		Train:  trainSet,
		Val:    valSet,
		Batch:  20,
		Seed:   1,
		Epochs: 5,
	}
	var last train.EpochStats
	tr.OnEpochEnd(func(s train.EpochStats) error { last = s; return nil })
	res, err := tr.Run(context.Background())
	if err != nil {
		panic(err)
	}
	fmt.Println(len(res.History), "epochs; validation accuracy above 95%:", last.Val.Get("accuracy") > 0.95)
	// Output: 5 epochs; validation accuracy above 95%: true
}
