// Command samples writes 10,000 samples of a DCGAN checkpoint of 'duboko
// train --task dcgan' as a safetensors file that 'duboko score' reads (one
// float32 tensor "samples" [N, 784] in [0, 1]), drawn as the PyTorch twin
// bench/dcgan/torch_dcgan.py draws its own: the generator in evaluation
// mode, z standard normal. When the checkpoint holds an average of the
// generator's weights (--ema), it samples that average, or with --raw the
// trained generator.
//
//	go run ./bench/dcgan/samples --checkpoint out/checkpoint.safetensors --out go_samples.safetensors
package main

import (
	"flag"
	"fmt"
	"os"

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
	raw := flag.Bool("raw", false, "sample the trained generator even when the checkpoint holds its weight average")
	stored := flag.Bool("stored-stats", false, "sample the weight average with the BatchNorm statistics stored in the checkpoint, not standing statistics")
	flag.Parse()
	if err := run(*ck, *out, *n, *seed, generative.SamplerOptions{RawGenerator: *raw, StoredStats: *stored}); err != nil {
		fmt.Fprintln(os.Stderr, "samples:", err)
		os.Exit(1)
	}
}

func run(ck, out string, n int, seed uint64, opt generative.SamplerOptions) error {
	meta, err := train.ReadMetadata(ck)
	if err != nil {
		return err
	}
	if meta["model"] != "dcgan" {
		return fmt.Errorf("%s is a checkpoint of model %q, not dcgan", ck, meta["model"])
	}
	s, err := generative.LoadSampler(ck, opt)
	if err != nil {
		return err
	}
	x, err := s.Sample(n, tensor.NewRand(seed))
	if err != nil {
		return err
	}
	if err := safetensors.WriteFile(out, []safetensors.Tensor{safetensors.Float32("samples", []int{n, 784}, x.Float32s())}, nil); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d samples [N, 784] in [0, 1] of %s\n", out, n, s.Describe())
	return nil
}
