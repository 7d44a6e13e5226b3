package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// mnistConfig is the MNIST classification job of 'duboko train': the
// command line's settings, each named after its flag.
type mnistConfig struct {
	Model       string  // --model
	Epochs      int     // --epochs
	Batch       int     // --batch
	Optimizer   string  // --optimizer
	LR          float64 // --lr: constant learning rate; 0: Schedule
	Schedule    string  // --schedule: piecewise "epoch:lr,..."
	Decay       float64 // --decay: factor per epoch applied to the rate (0: none)
	WeightDecay float64 // --weight-decay
	L2          float64 // --l2: λ of the lab's L2 penalty on the weights
	Seed        uint64  // --seed
	DataDir     string  // --data; "": embedded MNIST
	ValSize     int     // --val; -1: no validation
	OutDir      string  // --out; "": nothing written
	MetricsPath string  // --metrics
	Resume      string  // --resume
	MaxTrain    int     // --max-train; 0: all
	Plots       bool    // !--no-plots
	EvalBatch   int     // evaluation batch size
	Log         io.Writer
	Terminal    bool
}

// addOptimFlags registers the optimisation flags the classifier jobs
// share (MNIST and CIFAR-10) on c.
func addOptimFlags(fs *flagSet, c *mnistConfig) {
	fs.IntVar(&c.Epochs, "epochs", c.Epochs, "number of epochs")
	fs.IntVar(&c.Batch, "batch", c.Batch, "batch size")
	fs.Float64Var(&c.LR, "lr", 0, "constant learning rate (0: use --schedule or the optimizer's default)")
	fs.StringVar(&c.Schedule, "schedule", "", "piecewise learning rate \"epoch:lr,...\" (default for SGD: 1:0.1,3:0.01,5:0.001,7:0.0001; Adam: 1:0.001)")
	fs.Float64Var(&c.Decay, "decay", 0, "exponential decay: multiply the learning rate by this factor every epoch (0: none)")
	fs.StringVar(&c.Optimizer, "optimizer", c.Optimizer, "sgd, momentum (0.9), nesterov, adam or adamw")
	fs.Float64Var(&c.WeightDecay, "weight-decay", 0, "L2 weight decay of the optimizer")
	fs.Float64Var(&c.L2, "l2", 0, "λ of lab 2's L2 regularisation: λ‖w‖² of the weights (not the biases) added to the loss (0: none)")
}

// defaultMNIST is the course's default run.
func defaultMNIST() mnistConfig {
	return mnistConfig{Model: "cnn", Epochs: 8, Batch: 50, Optimizer: "sgd", Seed: 1, ValSize: 5000,
		OutDir: "out", Plots: true, EvalBatch: 100, Log: io.Discard}
}

// finite reports whether v is neither NaN nor ±Inf.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// validate reports the first nonsensical setting, naming its flag.
func (c mnistConfig) validate() error {
	switch {
	case !models.Known(c.Model):
		return fmt.Errorf("unknown model %q (known: %s)", c.Model, strings.Join(models.Names(), ", "))
	case c.Epochs < 1:
		return fmt.Errorf("--epochs must be at least 1, got %d", c.Epochs)
	case c.Epochs > train.MaxEpochs:
		return fmt.Errorf("--epochs must be at most %d, got %d", train.MaxEpochs, c.Epochs)
	case c.Batch < 1:
		return fmt.Errorf("--batch must be at least 1, got %d", c.Batch)
	case !finite(c.LR) || c.LR < 0:
		return fmt.Errorf("--lr must be a finite number ≥ 0 (0: the schedule), got %v", c.LR)
	case !finite(c.Decay) || c.Decay < 0 || c.Decay > 1:
		return fmt.Errorf("--decay must be in (0, 1] (0: none), got %v", c.Decay)
	case !finite(c.WeightDecay) || c.WeightDecay < 0:
		return fmt.Errorf("--weight-decay must be a finite number ≥ 0, got %v", c.WeightDecay)
	case !finite(c.L2) || c.L2 < 0:
		return fmt.Errorf("--l2 must be a finite number ≥ 0, got %v", c.L2)
	case c.ValSize < -1:
		return fmt.Errorf("--val must be -1 (none) or a count, got %d", c.ValSize)
	case c.MaxTrain < 0:
		return fmt.Errorf("--max-train must not be negative, got %d", c.MaxTrain)
	case c.EvalBatch < 1:
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
	if c.MetricsPath != "" {
		if err := train.CheckWritableFile(c.MetricsPath); err != nil {
			return fmt.Errorf("--metrics %s: %v", c.MetricsPath, err)
		}
	}
	return nil
}

// schedule returns the learning-rate schedule of c.
func (c mnistConfig) schedule() optim.Schedule {
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

// newOptimizer builds the optimizer named in c.
func (c mnistConfig) newOptimizer(m nn.Module) optim.Optimizer {
	ps := m.Params()
	lr := c.schedule().LR(1)
	switch c.Optimizer {
	case "momentum":
		return optim.NewSGD(ps, optim.SGDConfig{LR: lr, Momentum: 0.9, WeightDecay: c.WeightDecay})
	case "nesterov":
		return optim.NewSGD(ps, optim.SGDConfig{LR: lr, Momentum: 0.9, Nesterov: true, WeightDecay: c.WeightDecay})
	case "adam":
		return optim.NewAdam(ps, optim.AdamConfig{LR: lr, WeightDecay: c.WeightDecay})
	case "adamw":
		wd := c.WeightDecay
		if wd == 0 {
			wd = 0.01
		}
		return optim.NewAdamW(ps, optim.AdamConfig{LR: lr, WeightDecay: wd})
	}
	return optim.NewSGD(ps, optim.SGDConfig{LR: lr, WeightDecay: c.WeightDecay})
}

// loadMNIST returns the training and test sets (embedded MNIST unless dir
// is set).
func loadMNIST(dir string) (trainSet, testSet *mnist.Set, err error) {
	if dir == "" {
		return mnist.Load()
	}
	return mnist.LoadDir(dir)
}

// checkImageSize reports images whose size differs from the model's input.
func checkImageSize(s *mnist.Set, model, dir string) error {
	_, in, err := models.New(model, tensor.NewRand(1))
	if err != nil {
		return err
	}
	if len(in) == 3 && (in[1] != s.H || in[2] != s.W) {
		where := "the data"
		if dir != "" {
			where = "the images in " + dir
		}
		return fmt.Errorf("%s are %d×%d, but model %s needs %d×%d images", where, s.H, s.W, model, in[1], in[2])
	}
	return nil
}

// mnistResult is what the MNIST job reports.
type mnistResult struct {
	train.Result
	Test     *train.Evaluation
	testData *mnist.Set
	Written  []string
}

// testAndRecord evaluates the trained model on the test set and appends
// the final line of the metrics file (--metrics): the tail every
// classifier job shares. A finite test loss is required.
func testAndRecord(ctx context.Context, model nn.Module, test data.Dataset, c testSettings, history []train.EpochStats) (*train.Evaluation, error) {
	ev := train.Evaluate(model, test, c.evalBatch)
	if ctx.Err() != nil {
		return ev, train.ErrInterrupted
	}
	if !finite(ev.Loss) {
		return ev, fmt.Errorf("test loss is %v%s", ev.Loss, kept(c.outDir))
	}
	if c.metricsPath != "" {
		if err := train.WriteMetrics(c.metricsPath, history, final(ev)); err != nil {
			return ev, fmt.Errorf("--metrics: %w", err)
		}
	}
	return ev, nil
}

// testSettings are the settings testAndRecord reads.
type testSettings struct {
	evalBatch           int
	outDir, metricsPath string
}

// finalStats is the last JSON line of the metrics file.
type finalStats struct {
	Final        bool          `json:"final"`
	TestLoss     train.Float   `json:"test_loss"`
	TestAccuracy train.Float   `json:"test_accuracy"`
	Precision    []train.Float `json:"precision"`
	Recall       []train.Float `json:"recall"`
	Confusion    [][]int       `json:"confusion"`
}

// runMNIST trains according to c: the trainer does the epochs, this job
// loads the data, builds the model, evaluates on the test set and writes
// the final metrics and the plots. Errors name flags.
func runMNIST(ctx context.Context, c mnistConfig) (*mnistResult, error) {
	if err := c.validate(); err != nil {
		return nil, usageError{err.Error()}
	}
	if err := prepareOutDir(c.OutDir); err != nil {
		return nil, err
	}
	full, test, err := loadMNIST(c.DataDir)
	if err != nil {
		return nil, err
	}
	if err := checkImageSize(full, c.Model, c.DataDir); err != nil {
		return nil, err
	}
	trainSet, valSet := full, (*mnist.Set)(nil)
	if c.ValSize > 0 {
		if c.ValSize >= full.N {
			return nil, fmt.Errorf("--val %d leaves no training images (the set has %d)", c.ValSize, full.N)
		}
		trainSet, valSet = mnist.Split(full, c.ValSize)
	}
	if c.MaxTrain > 0 && c.MaxTrain < trainSet.N {
		trainSet, _ = mnist.Split(trainSet, trainSet.N-c.MaxTrain)
	}
	model, _, err := models.New(c.Model, tensor.NewRand(c.Seed))
	if err != nil {
		return nil, err
	}
	task := &train.Classifier{Net: model, Opt: c.newOptimizer(model), EvalBatch: c.EvalBatch, L2: c.L2}
	tr := &train.Trainer{
		Task: task, Train: trainSet, Batch: c.Batch, Seed: c.Seed, Epochs: c.Epochs, Schedule: c.schedule(),
		OutDir: c.OutDir, MetricsPath: c.MetricsPath,
		Meta:      map[string]string{"model": c.Model, "optimizer": c.Optimizer, "seed": strconv.FormatUint(c.Seed, 10)},
		MatchMeta: []string{"model"},
		Log:       c.Log, Terminal: c.Terminal, Unit: "images", UnitAbbr: "img",
	}
	if valSet != nil {
		tr.Val = valSet
	}
	res := &mnistResult{testData: test}
	if c.Resume != "" {
		if err := checkNotGenerative(c.Resume); err != nil {
			return nil, err
		}
		if err := resumeTrainer(tr, c.Resume); err != nil {
			return nil, err
		}
	}
	valN := 0
	if valSet != nil {
		valN = valSet.N
	}
	fmt.Fprintf(c.Log, "model %s (%d parameters), %d training / %d validation / %d test images, batch %d, %s\n",
		c.Model, nn.NumParams(model), trainSet.N, valN, test.N, c.Batch, c.Optimizer)
	r, err := runTrainer(ctx, tr, c.OutDir)
	res.Result = *r
	if err != nil {
		return res, err
	}
	if res.Test, err = testAndRecord(ctx, model, test, testSettings{c.EvalBatch, c.OutDir, c.MetricsPath}, res.History); err != nil {
		return res, err
	}
	if c.OutDir != "" && c.Plots {
		files, err := writePlots(c.OutDir, model, res)
		res.Written = files
		if err != nil {
			return res, err
		}
	}
	if ctx.Err() != nil {
		return res, train.ErrInterrupted
	}
	return res, nil
}

// kept says which checkpoint a failed or interrupted run left in dir, if
// any, as read from the file itself.
func kept(dir string) string {
	if dir == "" {
		return ""
	}
	p := filepath.Join(dir, train.CheckpointName)
	meta, err := train.ReadMetadata(p)
	if err != nil || meta["epoch"] == "" {
		return ""
	}
	return fmt.Sprintf("; the checkpoint of epoch %s in %s is kept", meta["epoch"], p)
}

func final(ev *train.Evaluation) finalStats {
	f := finalStats{Final: true, TestLoss: train.Float(ev.Loss), TestAccuracy: train.Float(ev.Accuracy)}
	if ev.Confusion != nil {
		f.Confusion = ev.Confusion.M
	}
	for k := 0; k < ev.Classes; k++ {
		f.Precision = append(f.Precision, train.Float(ev.Confusion.Precision(k)))
		f.Recall = append(f.Recall, train.Float(ev.Confusion.Recall(k)))
	}
	return f
}
