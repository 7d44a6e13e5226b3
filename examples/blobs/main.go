// Command blobs trains a two-layer network on two 2-D Gaussian blobs (or a
// Gaussian mixture, with -components) and prints the training accuracy:
// the smallest complete training run of duboko, on data generated from a
// seed.
//
//	go run ./examples/blobs
//	go run ./examples/blobs -components 6 -classes 2 -hidden 32 -epochs 300
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/data/synth"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// config holds the example's settings.
type config struct {
	components, classes, perComponent int
	hidden, epochs, batch             int
	lr                                float64
	seed                              uint64
}

func main() {
	var c config
	flag.IntVar(&c.components, "components", 0, "Gaussian mixture components (0: two well-separated blobs)")
	flag.IntVar(&c.classes, "classes", 2, "classes of the mixture")
	flag.IntVar(&c.perComponent, "n", 200, "samples per blob or component")
	flag.IntVar(&c.hidden, "hidden", 16, "hidden units")
	flag.IntVar(&c.epochs, "epochs", 100, "training epochs")
	flag.IntVar(&c.batch, "batch", 32, "batch size")
	flag.Float64Var(&c.lr, "lr", 0.1, "learning rate (SGD, momentum 0.9)")
	flag.Uint64Var(&c.seed, "seed", 1, "random seed for data and weights")
	flag.Parse()
	if c.hidden < 1 || c.epochs < 1 || c.batch < 1 || c.perComponent < 1 || c.lr <= 0 || c.classes < 2 {
		fmt.Fprintln(os.Stderr, "blobs: -hidden, -epochs, -batch and -n must be positive, -lr > 0, -classes ≥ 2")
		os.Exit(2)
	}
	acc, err := run(c, func(epoch int, loss, acc float64) {
		if epoch%10 == 0 || epoch == c.epochs {
			fmt.Printf("epoch %3d  loss %.4f  train accuracy %.2f%%\n", epoch, loss, 100*acc)
		}
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "blobs:", err)
		os.Exit(1)
	}
	fmt.Printf("final training accuracy: %.2f%%\n", 100*acc)
}

// run generates the data, trains the network and returns the final
// training accuracy; report is called after every epoch.
func run(c config, report func(epoch int, loss, acc float64)) (float64, error) {
	rng := tensor.NewRand(c.seed)
	var xs []float64
	var ys []int
	if c.components == 0 {
		c.classes = 2
		xs, ys = synth.Blobs(rng, [][2]float64{{0, 0}, {4, 4}}, 1, c.perComponent)
	} else {
		xs, ys = synth.SampleGMM2D(rng, c.components, c.classes, c.perComponent)
	}
	ds, err := data.NewInMemory(synth.Float32(xs), []int{2}, ys)
	if err != nil {
		return 0, err
	}
	model := nn.NewSequential(nn.NewLinear(rng, 2, c.hidden), nn.NewReLU(), nn.NewLinear(rng, c.hidden, c.classes))
	opt := optim.NewSGD(model.Params(), optim.SGDConfig{LR: c.lr, Momentum: 0.9})
	loader := data.NewLoader(ds, c.batch, data.WithShuffle(c.seed))
	// Inputs are standardised with the training set's mean and deviation.
	mean, std := standardise(xs)
	var acc float64
	for epoch := 1; epoch <= c.epochs; epoch++ {
		var sum float64
		var n, correct int
		for b := range loader.Epoch() {
			x := tensor.Div(tensor.Sub(tensor.FromFloat32(b.X, b.Shape...), mean), std)
			logits := model.Forward(x)
			loss := nn.CrossEntropy(logits, tensor.FromInts(b.Labels))
			opt.ZeroGrad()
			loss.Backward()
			opt.Step()
			sum += loss.Item() * float64(b.Size())
			for i, p := range tensor.Argmax(logits, 1).Ints() {
				if p == b.Labels[i] {
					correct++
				}
			}
			n += b.Size()
		}
		acc = float64(correct) / float64(n)
		if report != nil {
			report(epoch, sum/float64(n), acc)
		}
	}
	// final accuracy over the whole training set in evaluation mode
	var correct int
	tensor.NoGrad(func() {
		x := tensor.Div(tensor.Sub(tensor.FromFloat32(synth.Float32(xs), len(ys), 2), mean), std)
		for i, p := range tensor.Argmax(model.Forward(x), 1).Ints() {
			if p == ys[i] {
				correct++
			}
		}
	})
	return float64(correct) / float64(len(ys)), nil
}

// standardise returns the per-feature mean and standard deviation of n×2 data.
func standardise(xs []float64) (mean, std *tensor.Tensor) {
	x := tensor.FromFloat64(xs, len(xs)/2, 2)
	m := tensor.MeanKeepDim(x, 0)
	s := tensor.Sqrt(tensor.MeanKeepDim(tensor.Square(tensor.Sub(x, m)), 0))
	return tensor.To(m, tensor.Float32), tensor.To(s, tensor.Float32)
}
