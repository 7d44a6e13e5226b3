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
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/tensor"
)

func main() {
	batch := flag.Int("batch", 50, "batch size")
	elem := flag.Int("bytes", 4, "bytes per element for memory (4 float32, 8 float64)")
	flag.Parse()
	if *batch < 1 {
		fmt.Fprintln(os.Stderr, "summary_cnn: -batch must be positive")
		os.Exit(1)
	}
	s, err := graph.Summarize(models.CNN(tensor.NewRand(1)), []int{*batch, 1, 28, 28}, graph.SummaryOptions{Name: "MNIST CNN", ElementSize: *elem})
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
