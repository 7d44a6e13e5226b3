package main

import (
	"fmt"
	"io"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", "Evaluates a checkpoint written by 'duboko train' on the test set and prints its accuracy\n"+
		"(MNIST; for a checkpoint of 'duboko train --task sst', the SST test set, with F1).", stdout)
	ckpt := fs.String("checkpoint", "", "checkpoint file (required)")
	model := fs.String("model", "", "model of the checkpoint (default: read from the checkpoint)")
	dir := fs.String("data", "", "directory with MNIST-format IDX files (default: the embedded MNIST); for a cifar checkpoint, the CIFAR-10 binary folder")
	verbose := fs.Bool("v", false, "also print the confusion matrix and per-class precision and recall")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ckpt == "" {
		return usageError{"--checkpoint is required"}
	}
	if short, ok := sstModel(*model); ok || (*model == "" && checkpointTask(*ckpt) == "sst") {
		if *dir != "" {
			return usageError{"--data applies to MNIST checkpoints; sentiment checkpoints are evaluated on the embedded SST test set"}
		}
		return sstEval(stdout, *ckpt, short)
	}
	m, _, name, err := loadNamedCheckpoint(*ckpt, *model)
	if err != nil {
		return err
	}
	if name == "cifar" {
		return evalCIFAR(m, *ckpt, *dir, *verbose, stdout)
	}
	_, test, err := loadMNIST(*dir)
	if err != nil {
		return err
	}
	if err := checkImageSize(test, name, *dir); err != nil {
		return err
	}
	ev := train.Evaluate(m, test, 500)
	if !finite(ev.Loss) {
		return fmt.Errorf("the test loss of %s is %v", *ckpt, ev.Loss)
	}
	if *verbose {
		fmt.Fprintln(stdout, ev.Confusion)
	}
	fmt.Fprintf(stdout, "test accuracy: %.2f%% (%d images, loss %.4f)\n", 100*ev.Accuracy, test.N, ev.Loss)
	return nil
}

// loadNamedCheckpoint builds the named model of the checkpoint at path
// (model, or the name its metadata gives when model is empty) and loads
// the checkpoint into it. It returns the model, its input shape and name.
func loadNamedCheckpoint(path, model string) (*nn.Sequential, []int, string, error) {
	name := model
	if name == "" {
		meta, err := train.ReadMetadata(path) // the header only
		if err != nil {
			return nil, nil, "", err
		}
		name = meta["model"]
		if name == "" {
			return nil, nil, "", usageError{"the checkpoint does not name its model; pass --model"}
		}
	}
	m, input, err := models.New(name, tensor.NewRand(1))
	if err != nil {
		return nil, nil, "", usageError{err.Error()}
	}
	if _, err := train.LoadCheckpoint(path, m); err != nil {
		return nil, nil, "", err
	}
	return m, input, name, nil
}

// checkpointTask returns the task its metadata names ("" when it names
// none or cannot be read: loading it reports why).
func checkpointTask(path string) string {
	meta, err := train.ReadMetadata(path)
	if err != nil {
		return ""
	}
	return meta["task"]
}
