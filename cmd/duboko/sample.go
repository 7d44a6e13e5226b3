package main

import (
	"fmt"
	"io"
	"math"

	"github.com/duboko/duboko/generative"
	"github.com/duboko/duboko/generative/quality"
	"github.com/duboko/duboko/plot"
	"github.com/duboko/duboko/tensor"
)

// maxGrid is the most samples the PNG grid shows.
const maxGrid = 400

func runSample(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sample", "Draws samples from a generative checkpoint of 'duboko train' (--task vae: σ(dec(z)) for\n"+
		"z ~ N(0, I); --task rbm: Gibbs chains, from the checkpoint's persistent chains when it has them,\n"+
		"else from binary noise; --task dcgan: (G(z) + 1)/2 for z ~ N(0, I), BatchNorm in evaluation\n"+
		"mode, 32×32 samples cut to their centre 28×28 and 64×64 ones shrunk to 28×28, G the average of its\n"+
		"weights when trained with --ema (with standing BatchNorm statistics; --raw: the trained G); other\n"+
		"generative models once their job registers a sampler) and draws them as a PNG grid. --tensors also saves them as safetensors for 'duboko score'.", stdout)
	ckpt := fs.String("checkpoint", "", "generative checkpoint (required)")
	n := fs.Int("n", 100, fmt.Sprintf("number of samples (the grid shows the first %d)", maxGrid))
	out := fs.String("out", "samples.png", "PNG grid of the samples (\"\": none)")
	tensors := fs.String("tensors", "", "also write the samples, [N, 1, 28, 28] float32 in [0, 1], to this safetensors file")
	cols := fs.Int("cols", 0, "images per row of the grid (0: √n rounded up)")
	seed := fs.Uint64("seed", 1, "random seed of the samples")
	steps := fs.Int("steps", 1000, "rbm: Gibbs steps of each chain")
	raw := fs.Bool("raw", false, "dcgan: sample the trained generator even when the checkpoint holds the average of its weights (--ema)")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *ckpt == "":
		return usageError{"--checkpoint is required"}
	case *n < 1 || *n > quality.MaxSamples:
		return usageError{fmt.Sprintf("--n must be in 1..%d, got %d", quality.MaxSamples, *n)}
	case *steps < 1 || *steps > 1_000_000:
		return usageError{fmt.Sprintf("--steps must be in 1..1000000, got %d", *steps)}
	case *cols < 0 || *cols > maxGrid:
		return usageError{fmt.Sprintf("--cols must be in 0..%d, got %d", maxGrid, *cols)}
	case *out == "" && *tensors == "":
		return usageError{"nothing to write: give --out or --tensors"}
	}
	s, err := generative.LoadSampler(*ckpt, generative.SamplerOptions{GibbsSteps: *steps, RawGenerator: *raw})
	if err != nil {
		return err
	}
	x, err := s.Sample(*n, tensor.NewRand(*seed))
	if err != nil {
		return err
	}
	if *tensors != "" {
		if err := quality.WriteSamples(*tensors, x); err != nil {
			return fmt.Errorf("--tensors: %w", err)
		}
		fmt.Fprintf(stdout, "wrote %s (%d samples)\n", *tensors, *n)
	}
	if *out != "" {
		shown := min(*n, maxGrid)
		c := *cols
		if c == 0 {
			c = int(math.Ceil(math.Sqrt(float64(shown))))
		}
		title := fmt.Sprintf("%d samples of %s", shown, s.Describe())
		if shown < *n {
			title = fmt.Sprintf("the first %d of %d samples of %s", shown, *n, s.Describe())
		}
		g := grayGrid(title, c)
		addRows(g, tensor.Reshape(tensor.Slice(x, 0, 0, shown), shown, 784))
		if err := plot.SavePNG(*out, g); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		fmt.Fprintf(stdout, "wrote %s (%s)\n", *out, title)
	}
	return nil
}
