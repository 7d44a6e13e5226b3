// Command samples writes 10,000 samples of a DCGAN checkpoint of 'duboko
// train --task dcgan' as a safetensors file that 'duboko score' reads (one
// float32 tensor "samples" [N, 784] in [0, 1]), drawn as the PyTorch twin
// bench/dcgan/torch_dcgan.py draws its own: the generator in evaluation
// mode, z standard normal.
//
//	go run ./bench/dcgan/samples --checkpoint out/checkpoint.safetensors --out go_samples.safetensors
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/duboko/duboko/generative"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

func main() {
	ck := flag.String("checkpoint", "", "checkpoint of duboko train --task dcgan")
	out := flag.String("out", "go_samples.safetensors", "samples file to write")
	n := flag.Int("n", 10000, "number of samples")
	seed := flag.Uint64("seed", 1000, "seed of the noise")
	flag.Parse()
	if err := run(*ck, *out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "samples:", err)
		os.Exit(1)
	}
}

func run(ck, out string, n int, seed uint64) error {
	meta, err := train.ReadMetadata(ck)
	if err != nil {
		return err
	}
	if meta["model"] != "dcgan" {
		return fmt.Errorf("%s is a checkpoint of model %q, not dcgan", ck, meta["model"])
	}
	var c generative.DCGANConfig
	if c.Size, err = strconv.Atoi(meta["layout"]); err != nil {
		return fmt.Errorf("%s: layout %q", ck, meta["layout"])
	}
	if c.Width, err = strconv.Atoi(meta["width"]); err != nil {
		return fmt.Errorf("%s: width %q", ck, meta["width"])
	}
	task := generative.NewDCGANTask(c, 1, 0, 1, generative.NonSaturating)
	if _, err := train.LoadCheckpoint(ck, task.Model()); err != nil {
		return err
	}
	x := generative.ToMNIST(generative.Generate(task.G, tensor.RandN(tensor.NewRand(seed), n, task.Latent)))
	if err := safetensors.WriteFile(out, []safetensors.Tensor{safetensors.Float32("samples", x.Shape(), x.Float32s())}, nil); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d samples of %v [N, 784] in [0, 1]\n", out, n, task.Config)
	return nil
}
