package train

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"sort"

	"github.com/duboko/duboko/internal/atomicfile"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/plot"
)

// finalStats is the last JSON line of the metrics file.
type finalStats struct {
	Final        bool      `json:"final"`
	TestLoss     float64   `json:"test_loss"`
	TestAccuracy float64   `json:"test_accuracy"`
	Precision    []float64 `json:"precision"`
	Recall       []float64 `json:"recall"`
	Confusion    [][]int   `json:"confusion"`
}

// writeMetrics rewrites the JSON-lines metrics file atomically: one object
// per epoch, then a final one with the test results when test is non-nil.
func writeMetrics(path string, hist []EpochStats, test *Evaluation) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, h := range hist {
		if math.IsNaN(h.ValLoss) {
			h.ValLoss, h.ValAcc = -1, -1
		}
		if err := enc.Encode(h); err != nil {
			return err
		}
	}
	if test != nil {
		f := finalStats{Final: true, TestLoss: test.Loss, TestAccuracy: test.Accuracy, Confusion: test.Confusion.M}
		for k := 0; k < test.Classes; k++ {
			f.Precision = append(f.Precision, test.Confusion.Precision(k))
			f.Recall = append(f.Recall, test.Confusion.Recall(k))
		}
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	if err := atomicfile.WriteBytes(path, b.Bytes()); err != nil {
		return fmt.Errorf("--metrics: %w", err)
	}
	return nil
}

// writePlots writes the training curves, the first conv layer's filters and
// the 20 worst-misclassified test images.
func writePlots(dir string, m nn.Module, res *Result) ([]string, error) {
	var written []string
	var h plot.History
	for _, s := range res.History {
		h.Epoch = append(h.Epoch, float64(s.Epoch))
		h.TrainLoss = append(h.TrainLoss, s.TrainLoss)
		h.TrainAcc = append(h.TrainAcc, s.TrainAcc)
		h.ValLoss = append(h.ValLoss, s.ValLoss)
		h.ValAcc = append(h.ValAcc, s.ValAcc)
		h.LR = append(h.LR, s.LR)
	}
	p := filepath.Join(dir, "training.png")
	if err := plot.TrainingCurves(p, h); err != nil {
		return written, fmt.Errorf("plot: %w", err)
	}
	written = append(written, p)

	for _, par := range m.Params() {
		if par.Tensor.NDim() == 4 { // the first conv layer's weight
			s := par.Tensor.Shape()
			g, err := plot.ConvFilters(par.Name, par.Tensor.Float32s(), s[0], s[1], s[2], s[3])
			if err != nil {
				return written, fmt.Errorf("plot: %w", err)
			}
			p := filepath.Join(dir, "filters.png")
			if err := plot.SavePNG(p, g); err != nil {
				return written, fmt.Errorf("plot: %w", err)
			}
			written = append(written, p)
			break
		}
	}

	test, ev := res.testData, res.Test
	type miss struct {
		i    int
		loss float64
	}
	var misses []miss
	for i := 0; i < test.N; i++ {
		pr := ev.Probs[i*ev.Classes : (i+1)*ev.Classes]
		best := 0
		for k := range pr {
			if pr[k] > pr[best] {
				best = k
			}
		}
		if best != test.Labels[i] {
			misses = append(misses, miss{i, -math.Log(math.Max(float64(pr[test.Labels[i]]), 1e-30))})
		}
	}
	sort.Slice(misses, func(a, b int) bool { return misses[a].loss > misses[b].loss })
	if len(misses) > 20 {
		misses = misses[:20]
	}
	grid := plot.NewImageGrid("20 worst-misclassified test images (true label, top-3 predictions)", 5, 3)
	for _, ms := range misses {
		grid.Add(test.Image(ms.i), test.H, test.W, plot.PredictionCaption(test.Labels[ms.i], ev.Probs[ms.i*ev.Classes:(ms.i+1)*ev.Classes], 3))
	}
	if len(misses) > 0 {
		p := filepath.Join(dir, "misclassified.png")
		if err := plot.SavePNG(p, grid); err != nil {
			return written, fmt.Errorf("plot: %w", err)
		}
		written = append(written, p)
	}
	return written, nil
}
