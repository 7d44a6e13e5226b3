package main

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"github.com/duboko/duboko/data/cifar"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/plot"
	"github.com/duboko/duboko/train"
)

// worstMisclassified returns the indices of up to k samples that ev
// classifies wrongly, by decreasing cross-entropy (the most confident
// mistakes first); labels are the samples' true labels.
func worstMisclassified(ev *train.Evaluation, labels []int, k int) []int {
	type miss struct {
		i    int
		loss float64
	}
	var misses []miss
	for i, y := range labels {
		pr := ev.Probs[i*ev.Classes : (i+1)*ev.Classes]
		best := 0
		for c := range pr {
			if pr[c] > pr[best] {
				best = c
			}
		}
		if best != y {
			misses = append(misses, miss{i, -math.Log(math.Max(float64(pr[y]), 1e-30))})
		}
	}
	sort.SliceStable(misses, func(a, b int) bool { return misses[a].loss > misses[b].loss })
	out := make([]int, 0, min(k, len(misses)))
	for _, m := range misses[:min(k, len(misses))] {
		out = append(out, m.i)
	}
	return out
}

// conv1Weights returns a copy of the first 4-axis parameter of m (the
// first convolution's kernels) and its shape, or nil.
func conv1Weights(m nn.Module) *convWeights {
	for _, p := range m.Params() {
		if p.Tensor.NDim() == 4 {
			return &convWeights{p.Name, append([]float32(nil), p.Tensor.Float32s()...), p.Tensor.Shape()}
		}
	}
	return nil
}

// convWeights is a snapshot of a convolution's kernels.
type convWeights struct {
	name  string
	w     []float32
	shape []int // [out, in, kh, kw]
}

// savePlot writes p to dir/name and appends the path to *written.
func savePlot(dir, name string, p plot.Plot, written *[]string) error {
	path := filepath.Join(dir, name)
	if err := plot.SavePNG(path, p); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	*written = append(*written, path)
	return nil
}

// writeCIFARPlots writes the training curves, the first convolution's
// filters in colour after training (filters.png) and, when initial is
// given, before it (filters_init.png), and the 20 worst-misclassified test
// images in colour with their true class and the top-3 predictions.
func writeCIFARPlots(dir string, m nn.Module, initial *convWeights, res *cifarResult) ([]string, error) {
	var written []string
	if err := plot.TrainingCurves(filepath.Join(dir, "training.png"), curves(res.History)); err != nil {
		return written, fmt.Errorf("plot: %w", err)
	}
	written = append(written, filepath.Join(dir, "training.png"))
	for _, f := range []struct {
		file, title string
		cw          *convWeights
	}{
		{"filters_init.png", "before training", initial},
		{"filters.png", "after training", conv1Weights(m)},
	} {
		if f.cw == nil {
			continue
		}
		s := f.cw.shape
		g, err := plot.ConvFiltersRGB(f.cw.name+", "+f.title, f.cw.w, s[0], s[1], s[2], s[3])
		if err != nil {
			return written, fmt.Errorf("plot: %w", err)
		}
		if err := savePlot(dir, f.file, g, &written); err != nil {
			return written, err
		}
	}
	test, ev := res.test, res.Test
	worst := worstMisclassified(ev, test.Labels, 20)
	if len(worst) == 0 {
		return written, nil
	}
	grid := plot.NewImageGrid("20 worst-misclassified test images (true class, top-3 predictions)", 5, 3)
	grid.Norm, grid.Lo, grid.Hi = plot.Fixed, 0, 1 // the pixels as they are, not stretched
	for _, i := range worst {
		grid.AddRGB(test.Image(i), cifar.Height, cifar.Width, namedCaption(test.Labels[i], ev.Probs[i*ev.Classes:(i+1)*ev.Classes], 3))
	}
	return written, savePlot(dir, "misclassified.png", grid, &written)
}

// namedCaption is plot.PredictionCaption with class names, one prediction
// a line: "cat" then "dog .61", "cat .30", "frog .05".
func namedCaption(label int, probs []float32, k int) string {
	idx := make([]int, len(probs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return probs[idx[a]] > probs[idx[b]] })
	lines := []string{"true " + cifar.ClassNames[label]}
	for _, c := range idx[:min(k, len(idx))] {
		lines = append(lines, fmt.Sprintf("%s %.2f", cifar.ClassNames[c], probs[c]))
	}
	return strings.Join(lines, "\n")
}
