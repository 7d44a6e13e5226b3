// Command convtranspose times duboko's ConvTranspose2d on DCGAN generator
// shapes (batch 64, float32): the forward pass, and a training step's work
// (forward, then the gradients of input, weight and bias through the
// recorded op). It prints "name forward_ms step_ms", each the best of
// -reps repetitions of -iters calls, in the format of torch_convt.py;
// run.sh alternates the two and prints the ratios.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"time"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// shape is one layer: input [N, Cin, H, W], Cout, square kernel, stride, padding.
type shape struct {
	name       string
	x          []int
	out, k     int
	stride, pd int
}

// shapes match torch_convt.py's SHAPES.
var shapes = []shape{
	{"g1_64x128x7x7_to_64x14x14", []int{64, 128, 7, 7}, 64, 4, 2, 1},
	{"g2_64x64x14x14_to_1x28x28", []int{64, 64, 14, 14}, 1, 4, 2, 1},
	{"g0_64x100x1x1_to_128x7x7", []int{64, 100, 1, 1}, 128, 7, 1, 0},
}

func bestMS(fn func(), iters, reps int) float64 {
	fn()
	best := time.Duration(1 << 62)
	for range reps {
		t0 := time.Now()
		for range iters {
			fn()
		}
		best = min(best, time.Since(t0)/time.Duration(iters))
	}
	return float64(best.Microseconds()) / 1e3
}

func main() {
	threads := flag.Int("threads", 2, "GOMAXPROCS")
	reps := flag.Int("reps", 5, "repetitions; the best is kept")
	iters := flag.Int("iters", 5, "calls per repetition")
	flag.Parse()
	runtime.GOMAXPROCS(*threads)
	for _, s := range shapes {
		rng := tensor.NewRand(1)
		layer := nn.NewConvTranspose2d(rng, s.x[1], s.out, s.k, nn.ConvTransposeStride(s.stride), nn.ConvTransposePadding(s.pd))
		x := tensor.RandN(rng, s.x...).SetRequiresGrad(true)
		var g *tensor.Tensor
		tensor.NoGrad(func() { g = tensor.RandN(rng, layer.Forward(x).Shape()...) })
		forward := func() { tensor.NoGrad(func() { layer.Forward(x) }) }
		step := func() {
			x.ZeroGrad()
			nn.ZeroGrad(layer)
			layer.Forward(x).BackwardWith(g)
		}
		fmt.Printf("%s %.3f %.3f\n", s.name, bestMS(forward, *iters, *reps), bestMS(step, *iters, *reps))
	}
}
