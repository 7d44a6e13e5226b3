package plot

import (
	"fmt"
	"math"
)

// History holds per-epoch training numbers. Every non-empty slice must have
// one value per epoch; NaN marks a missing value (for example validation
// that was not run in some epoch). Empty slices are left out of the charts.
type History struct {
	// Epoch numbers the x axis; when empty, epochs count 1, 2, 3, ...
	Epoch []float64
	// TrainLoss and ValLoss are the mean losses on the training and
	// validation sets.
	TrainLoss, ValLoss []float64
	// TrainAcc and ValAcc are the accuracies on the training and
	// validation sets.
	TrainAcc, ValAcc []float64
	// LR is the learning rate used in each epoch.
	LR []float64
}

// Charts returns the loss, accuracy and learning-rate charts, leaving out
// any whose series are all empty. The learning rate is drawn on a log axis
// when it spans more than a factor of 20.
func (h History) Charts() ([]*LineChart, error) {
	n := len(h.Epoch)
	for _, s := range [][]float64{h.TrainLoss, h.ValLoss, h.TrainAcc, h.ValAcc, h.LR} {
		if n == 0 {
			n = len(s)
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("training history has no epochs: %w", ErrEmpty)
	}
	epoch := h.Epoch
	if len(epoch) == 0 {
		epoch = make([]float64, n)
		for i := range epoch {
			epoch[i] = float64(i + 1)
		}
	}
	named := []struct {
		name string
		v    []float64
	}{
		{"Epoch", h.Epoch}, {"TrainLoss", h.TrainLoss}, {"ValLoss", h.ValLoss},
		{"TrainAcc", h.TrainAcc}, {"ValAcc", h.ValAcc}, {"LR", h.LR},
	}
	for _, s := range named {
		if len(s.v) != 0 && len(s.v) != n {
			return nil, fmt.Errorf("training history: %s has %d values for %d epochs: %w", s.name, len(s.v), n, ErrLength)
		}
	}
	var charts []*LineChart
	add := func(c *LineChart, name string, v []float64, i int) {
		if len(v) > 0 {
			c.Series = append(c.Series, Series{Name: name, X: epoch, Y: v, Color: paletteColor(i)})
		}
	}
	loss := NewLineChart("Loss", "epoch", "loss")
	add(loss, "train", h.TrainLoss, 0)
	add(loss, "validation", h.ValLoss, 1)
	acc := NewLineChart("Accuracy", "epoch", "accuracy")
	add(acc, "train", h.TrainAcc, 0)
	add(acc, "validation", h.ValAcc, 1)
	lr := NewLineChart("Learning rate", "epoch", "learning rate")
	add(lr, "", h.LR, 2)
	lr.LogY = spansDecades(h.LR, 20)
	for _, c := range []*LineChart{loss, acc, lr} {
		if len(c.Series) > 0 {
			charts = append(charts, c)
		}
	}
	return charts, nil
}

// spansDecades reports whether the positive finite values of v have a
// max/min ratio above ratio and no value <= 0.
func spansDecades(v []float64, ratio float64) bool {
	lo, hi := math.Inf(1), 0.0
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		if x <= 0 {
			return false
		}
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return hi > 0 && hi/lo > ratio
}

// Plot returns the history's charts side by side in one [Grid].
func (h History) Plot() (*Grid, error) {
	charts, err := h.Charts()
	if err != nil {
		return nil, err
	}
	g := &Grid{Cols: len(charts)}
	for _, c := range charts {
		c.Width, c.Height = 560, 400
		g.Plots = append(g.Plots, c)
	}
	return g, nil
}

// TrainingCurves writes the history's loss, accuracy and learning-rate
// charts side by side into one PNG file at path.
func TrainingCurves(path string, h History) error {
	g, err := h.Plot()
	if err != nil {
		return err
	}
	return SavePNG(path, g)
}
