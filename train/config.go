package train

import (
	"fmt"
	"io"
	"strings"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/optim"
)

// Config describes one training run. The zero value of a field selects the
// default written beside it (see Defaults).
type Config struct {
	Model        string  // models.Names(); "cnn"
	Epochs       int     // 8
	Batch        int     // 50
	Optimizer    string  // "sgd", "momentum", "nesterov", "adam", "adamw"; "sgd"
	LR           float64 // constant learning rate; 0: Schedule
	Schedule     string  // piecewise "epoch:lr,..."; default: the course's 1:0.1,3:0.01,5:0.001,7:0.0001 for SGD, 1:0.001 for Adam
	Decay        float64 // exponential decay factor per epoch applied to LR (0: none)
	WeightDecay  float64 // L2 weight decay of the optimizer
	Seed         uint64  // 1
	DataDir      string  // "" : embedded MNIST
	ValSize      int     // 5000 (the last images of the training set); -1: no validation
	OutDir       string  // checkpoints and plots ("" : none written)
	MetricsPath  string  // JSON lines ("" : none)
	Resume       string  // checkpoint to continue from: weights, epoch count and history, plus the optimizer state saved beside it (OptimizerStateName) when it is of the same epoch
	MaxTrain     int     // use only the first MaxTrain training images (0: all) — for quick runs
	Plots        bool    // write PNG plots to OutDir
	Log          io.Writer
	Terminal     bool // draw a progress bar (else plain lines)
	EvalBatch    int  // batch size for evaluation; 100
	LogEverySecs float64
}

// Defaults returns c with zero fields replaced by their defaults.
func (c Config) Defaults() Config {
	if c.Model == "" {
		c.Model = "cnn"
	}
	if c.Epochs == 0 {
		c.Epochs = 8
	}
	if c.Batch == 0 {
		c.Batch = 50
	}
	if c.Optimizer == "" {
		c.Optimizer = "sgd"
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.ValSize == 0 {
		c.ValSize = 5000
	}
	if c.EvalBatch == 0 {
		c.EvalBatch = 100
	}
	if c.LogEverySecs == 0 {
		c.LogEverySecs = 10
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return c
}

// Validate reports the first nonsensical setting. Call it before Defaults
// to refuse explicit zeros (Run applies Defaults first, so for Run a zero
// means the default).
func (c Config) Validate() error {
	switch {
	case !models.Known(c.Model):
		return fmt.Errorf("unknown model %q (known: %s)", c.Model, strings.Join(models.Names(), ", "))
	case c.Epochs < 1:
		return fmt.Errorf("--epochs must be at least 1, got %d", c.Epochs)
	case c.Batch < 1:
		return fmt.Errorf("--batch must be at least 1, got %d", c.Batch)
	case c.LR < 0 || c.LR != c.LR:
		return fmt.Errorf("--lr must be positive, got %v", c.LR)
	case c.Decay < 0 || c.Decay > 1:
		return fmt.Errorf("--decay must be in (0, 1], got %v", c.Decay)
	case c.WeightDecay < 0:
		return fmt.Errorf("--weight-decay must not be negative, got %v", c.WeightDecay)
	case c.ValSize < -1:
		return fmt.Errorf("--val must be -1 (none) or a count, got %d", c.ValSize)
	case c.MaxTrain < 0:
		return fmt.Errorf("--max-train must not be negative, got %d", c.MaxTrain)
	case c.EvalBatch < 0:
		return fmt.Errorf("evaluation batch must be at least 1")
	}
	switch c.Optimizer {
	case "sgd", "momentum", "nesterov", "adam", "adamw":
	default:
		return fmt.Errorf("unknown optimizer %q (known: sgd, momentum, nesterov, adam, adamw)", c.Optimizer)
	}
	if c.Schedule != "" {
		if _, err := optim.ParsePiecewise(c.Schedule); err != nil {
			return fmt.Errorf("--schedule: %v", err)
		}
	}
	return nil
}

// schedule returns the learning-rate schedule of c.
func (c Config) schedule() optim.Schedule {
	var base optim.Schedule
	switch {
	case c.LR > 0:
		base = optim.Constant(c.LR)
	case c.Schedule != "":
		base, _ = optim.ParsePiecewise(c.Schedule)
	case c.Optimizer == "adam" || c.Optimizer == "adamw":
		base = optim.Constant(1e-3)
	default:
		base = optim.Piecewise{1: 0.1, 3: 0.01, 5: 0.001, 7: 0.0001}
	}
	if c.Decay > 0 && c.Decay != 1 {
		return decayed{base, c.Decay}
	}
	return base
}

// decayed multiplies a schedule by decay^(epoch-1).
type decayed struct {
	s     optim.Schedule
	decay float64
}

func (d decayed) LR(epoch int) float64 {
	lr := d.s.LR(epoch)
	for i := 1; i < epoch; i++ {
		lr *= d.decay
	}
	return lr
}
