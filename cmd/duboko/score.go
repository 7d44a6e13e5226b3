package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/duboko/duboko/generative/quality"
)

const scoreHelp = `Scores generated MNIST digits with duboko's own MNIST classifier: the
classifier Inception Score exp(E[KL(p(y|x) ‖ p(y))]) (1 to 10, higher is
better) and the Fréchet distance between Gaussian fits of the classifier's
penultimate-layer features of the samples and of the 10,000 test images
(0 is best). These are MNIST-specific analogues of IS and FID, computed with
the course's CNN instead of ImageNet's Inception network: compare them only
with scores from the same classifier, and over equally many samples
(10,000 is the convention; the Fréchet distance grows for fewer).

The samples file is safetensors holding one float32 tensor of shape
[N, 1, 28, 28] or [N, 784] (N ≥ 2; F64/F16/BF16 are converted) with values
in [0, 1], named "samples" when the file holds several tensors. From
PyTorch:

    from safetensors.torch import save_file
    x = (G(z) + 1) / 2            # a tanh generator's [-1, 1] mapped to [0, 1]
    save_file({"samples": x.detach().float().contiguous()}, "samples.safetensors")

The classifier is --classifier (a checkpoint of 'duboko train', model cnn
or mlp) or else the CNN trained once by a fixed recipe (2 epochs of Adam,
about 99 % test accuracy; a few minutes on two cores) and cached in
$XDG_CACHE_HOME/duboko/quality (or ~/.cache/duboko/quality); --cache-dir
moves the cache.`

func runScore(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("score", scoreHelp, stdout)
	samples := fs.String("samples", "", "safetensors file of images in [0, 1], [N, 1, 28, 28] or [N, 784] (required)")
	classifier := fs.String("classifier", "", "MNIST classifier checkpoint of 'duboko train' (default: the cached CNN, trained when missing)")
	cacheDir := fs.String("cache-dir", "", "directory of the cached classifier (default: the user cache directory's duboko/quality)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of text")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *samples == "" {
		return usageError{"--samples is required"}
	}
	x, err := quality.ReadSamples(*samples)
	if err != nil {
		return fmt.Errorf("--samples: %w", err)
	}
	var s *quality.Scorer
	if ok, err := runJob(stdout, "", func(ctx context.Context) (err error) {
		s, err = quality.New(ctx, quality.Options{Classifier: *classifier, CacheDir: *cacheDir, Log: stderr})
		return err
	}); !ok {
		return err
	}
	sc, err := s.Score(x)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(map[string]any{
			"samples": sc.N, "inception_score": sc.InceptionScore, "frechet_distance": sc.FrechetDistance,
			"test_inception_score": s.RefInceptionScore, "classifier_test_accuracy": s.RefAccuracy,
		})
	}
	fmt.Fprintf(stdout, "%d samples from %s\n", sc.N, *samples)
	fmt.Fprintf(stdout, "inception score: %.4f (10 at best; the MNIST test set itself: %.4f)\n", sc.InceptionScore, s.RefInceptionScore)
	fmt.Fprintf(stdout, "frechet distance: %.4f (to the MNIST test set's features; 0 at best)\n", sc.FrechetDistance)
	return nil
}
