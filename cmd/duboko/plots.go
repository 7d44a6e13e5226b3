package main

import (
	"fmt"
	"path/filepath"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/plot"
	"github.com/duboko/duboko/train"
)

// curves turns a training history into the plot package's series.
func curves(hist []train.EpochStats) plot.History {
	var h plot.History
	for _, s := range hist {
		h.Epoch = append(h.Epoch, float64(s.Epoch))
		h.TrainLoss = append(h.TrainLoss, s.Train.Get("loss"))
		h.TrainAcc = append(h.TrainAcc, s.Train.Get("accuracy"))
		h.ValLoss = append(h.ValLoss, s.Val.Get("loss"))
		h.ValAcc = append(h.ValAcc, s.Val.Get("accuracy"))
		h.LR = append(h.LR, s.LR)
	}
	return h
}

// writePlots writes the training curves, the first conv layer's filters and
// the 20 worst-misclassified test images.
func writePlots(dir string, m nn.Module, res *mnistResult) ([]string, error) {
	var written []string
	h := curves(res.History)
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
	misses := worstMisclassified(ev, test.Labels[:test.N], 20)
	grid := plot.NewImageGrid("20 worst-misclassified test images (true label, top-3 predictions)", 5, 3)
	for _, i := range misses {
		grid.Add(test.Image(i), test.H, test.W, plot.PredictionCaption(test.Labels[i], ev.Probs[i*ev.Classes:(i+1)*ev.Classes], 3))
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
