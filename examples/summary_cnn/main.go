// Command summary_cnn prints the summary of the course's MNIST CNN
// (lab 2):
//
//	conv(16, 5×5, pad 2) → maxpool 2 → ReLU → conv(32, 5×5, pad 2) → maxpool 2 → ReLU
//	→ flatten → FC 512 → ReLU → FC 10
//
// for a batch (50 by default): each layer's output shape, parameters,
// multiplications and additions, activation memory and the receptive
// field of its outputs in input pixels — the numbers the course asks
// students to derive by hand.
//
//	go run ./examples/summary_cnn -batch 50
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/duboko/duboko/graph"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// cnn builds the course's MNIST CNN with PyTorch-style layer names.
func cnn(seed uint64) *nn.Sequential {
	rng := tensor.NewRand(seed)
	s := &nn.Sequential{}
	s.Add("conv1", nn.NewConv2d(rng, 1, 16, 5, nn.ConvPadding(2)))
	s.Add("pool1", nn.NewMaxPool2d(2, 2, 0))
	s.Add("relu1", nn.ReLU())
	s.Add("conv2", nn.NewConv2d(rng, 16, 32, 5, nn.ConvPadding(2)))
	s.Add("pool2", nn.NewMaxPool2d(2, 2, 0))
	s.Add("relu2", nn.ReLU())
	s.Add("flatten", nn.NewFlatten())
	s.Add("fc3", nn.NewLinear(rng, 32*7*7, 512, true))
	s.Add("relu3", nn.ReLU())
	s.Add("logits", nn.NewLinear(rng, 512, 10, true))
	return s
}

func main() {
	batch := flag.Int("batch", 50, "batch size")
	elem := flag.Int("bytes", 4, "bytes per element for memory (4 float32, 8 float64)")
	flag.Parse()
	if *batch < 1 {
		fmt.Fprintln(os.Stderr, "summary_cnn: -batch must be positive")
		os.Exit(1)
	}
	s, err := graph.Summarize(cnn(1), []int{*batch, 1, 28, 28}, graph.SummaryOptions{Name: "MNIST CNN", ElementSize: *elem})
	if err != nil {
		fmt.Fprintln(os.Stderr, "summary_cnn:", err)
		os.Exit(1)
	}
	fmt.Print(s)
	for _, l := range s.Layers {
		if l.Name == "conv2" {
			fmt.Printf("\nconv2's outputs each see a %v patch of the input image (jump %d pixels between neighbours).\n", l.RF, l.RF.Jump[0])
		}
	}
}
