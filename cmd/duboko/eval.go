package main

import (
	"fmt"
	"io"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", "Evaluates a checkpoint written by 'duboko train' on the test set and prints its accuracy.", stdout)
	ckpt := fs.String("checkpoint", "", "checkpoint file (required)")
	model := fs.String("model", "", "model of the checkpoint (default: read from the checkpoint)")
	dir := fs.String("data", "", "directory with MNIST-format IDX files (default: the embedded MNIST)")
	verbose := fs.Bool("v", false, "also print the confusion matrix and per-class precision and recall")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ckpt == "" {
		return usageError{"--checkpoint is required"}
	}
	f, err := safetensors.ReadFile(*ckpt)
	if err != nil {
		return err
	}
	name := *model
	if name == "" {
		name = f.Metadata["model"]
		if name == "" {
			return usageError{"the checkpoint does not name its model; pass --model"}
		}
	}
	m, _, err := models.New(name, tensor.NewRand(1))
	if err != nil {
		return usageError{err.Error()}
	}
	if _, err := nn.Load(*ckpt, m); err != nil {
		return err
	}
	_, test, err := train.LoadData(*dir)
	if err != nil {
		return err
	}
	ev := train.Evaluate(m, test, 500)
	if *verbose {
		fmt.Fprintln(stdout, ev.Confusion)
	}
	fmt.Fprintf(stdout, "test accuracy: %.2f%% (%d images, loss %.4f)\n", 100*ev.Accuracy, test.N, ev.Loss)
	return nil
}
