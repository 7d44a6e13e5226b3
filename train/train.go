package train

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
)

// CheckpointName is the file, inside Config.OutDir, that holds the state
// of the last completed epoch: the model's state dict with PyTorch names.
const CheckpointName = "checkpoint.safetensors"

// OptimizerStateName is the file beside the checkpoint that holds the
// optimizer's state (momentum buffers, Adam moments, step counts) of the
// same epoch, so that --resume continues exactly. It is a separate file so
// that the checkpoint itself stays a plain PyTorch state dict.
const OptimizerStateName = "optimizer.safetensors"

// ErrInterrupted is returned when the context is cancelled (Ctrl-C); the
// last complete checkpoint is left intact.
var ErrInterrupted = errors.New("training interrupted")

// EpochStats is one epoch's record, written as a JSON line to the metrics file.
type EpochStats struct {
	Epoch     int     `json:"epoch"`
	LR        float64 `json:"lr"`
	TrainLoss float64 `json:"train_loss"`
	TrainAcc  float64 `json:"train_accuracy"`
	ValLoss   float64 `json:"val_loss"`
	ValAcc    float64 `json:"val_accuracy"`
	Seconds   float64 `json:"seconds"`
	ImgPerSec float64 `json:"images_per_second"`
}

// Result is what a finished run reports.
type Result struct {
	History  []EpochStats
	Test     *Evaluation
	Model    nn.Module
	Config   Config
	Elapsed  time.Duration
	Resumed  int // epochs already done by the resumed checkpoint
	Written  []string
	testData *mnist.Set
}

// LoadData returns the training and test sets of c (embedded MNIST unless
// DataDir is set).
func LoadData(dir string) (trainSet, testSet *mnist.Set, err error) {
	if dir == "" {
		return mnist.Load()
	}
	return mnist.LoadDir(dir)
}

// Run trains according to c. It stops with ErrInterrupted when ctx is
// cancelled, and with an error naming the step when the loss is NaN.
func Run(ctx context.Context, c Config) (*Result, error) {
	c = c.Defaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.OutDir != "" {
		if err := os.MkdirAll(c.OutDir, 0o755); err != nil {
			return nil, fmt.Errorf("--out: %w", err)
		}
		if err := checkWritable(c.OutDir); err != nil {
			return nil, fmt.Errorf("--out: %w", err)
		}
	}
	full, test, err := LoadData(c.DataDir)
	if err != nil {
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
	res := &Result{Model: model, Config: c, testData: test}
	start := 1
	if c.Resume != "" {
		meta, err := nn.Load(c.Resume, model)
		if err != nil {
			return nil, fmt.Errorf("--resume: %w", err)
		}
		if m := meta["model"]; m != "" && m != c.Model {
			return nil, fmt.Errorf("--resume: checkpoint is of model %q, not %q", m, c.Model)
		}
		done, _ := strconv.Atoi(meta["epoch"])
		start = done + 1
		res.Resumed = done
		if h := meta["history"]; h != "" {
			_ = json.Unmarshal([]byte(h), &res.History)
		}
		fmt.Fprintf(c.Log, "resumed from %s after epoch %d\n", c.Resume, done)
	}
	opt := newOptimizer(c, model)
	if c.Resume != "" {
		msg, err := loadOptimizerState(filepath.Join(filepath.Dir(c.Resume), OptimizerStateName), opt, c.Optimizer, res.Resumed)
		if err != nil {
			return nil, fmt.Errorf("--resume: %w", err)
		}
		fmt.Fprintln(c.Log, msg)
	}
	sched := c.schedule()
	loader := data.NewLoader(trainSet, c.Batch, data.WithShuffle(c.Seed))
	fmt.Fprintf(c.Log, "model %s (%d parameters), %d training / %d validation / %d test images, batch %d, %s\n",
		c.Model, nn.NumParams(model), trainSet.N, setLen(valSet), test.N, c.Batch, c.Optimizer)

	t0 := time.Now()
	for epoch := start; epoch <= c.Epochs; epoch++ {
		lr := sched.LR(epoch)
		opt.SetLR(lr)
		loader.SetEpoch(epoch - 1)
		st, err := trainEpoch(ctx, c, model, opt, loader, epoch, lr)
		if err != nil {
			return res, err
		}
		if valSet != nil {
			ev := Evaluate(model, valSet, c.EvalBatch)
			st.ValLoss, st.ValAcc = ev.Loss, ev.Accuracy
			fmt.Fprintf(c.Log, "epoch %d/%d  lr %.4g  train loss %.4f acc %.2f%%  val loss %.4f acc %.2f%%  (%.1fs, %.0f img/s)\n",
				epoch, c.Epochs, lr, st.TrainLoss, 100*st.TrainAcc, st.ValLoss, 100*st.ValAcc, st.Seconds, st.ImgPerSec)
		} else {
			st.ValLoss, st.ValAcc = math.NaN(), math.NaN()
			fmt.Fprintf(c.Log, "epoch %d/%d  lr %.4g  train loss %.4f acc %.2f%%  (%.1fs, %.0f img/s)\n",
				epoch, c.Epochs, lr, st.TrainLoss, 100*st.TrainAcc, st.Seconds, st.ImgPerSec)
		}
		res.History = append(res.History, st)
		if c.OutDir != "" {
			// The optimizer state first: a crash between the two writes
			// leaves a state of a newer epoch than the checkpoint, which
			// resume detects and ignores.
			if err := saveOptimizerState(filepath.Join(c.OutDir, OptimizerStateName), opt, c, epoch); err != nil {
				return res, err
			}
			if err := saveCheckpoint(filepath.Join(c.OutDir, CheckpointName), model, c, epoch, res.History); err != nil {
				return res, err
			}
		}
		if c.MetricsPath != "" {
			if err := writeMetrics(c.MetricsPath, res.History, nil); err != nil {
				return res, err
			}
		}
	}
	res.Elapsed = time.Since(t0)
	res.Test = Evaluate(model, test, c.EvalBatch)
	if c.MetricsPath != "" {
		if err := writeMetrics(c.MetricsPath, res.History, res.Test); err != nil {
			return res, err
		}
	}
	if c.OutDir != "" && c.Plots {
		files, err := writePlots(c.OutDir, model, res)
		res.Written = files
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

func setLen(s *mnist.Set) int {
	if s == nil {
		return 0
	}
	return s.N
}

// newOptimizer builds the optimizer named in c.
func newOptimizer(c Config, m nn.Module) optim.Optimizer {
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

// trainEpoch runs one pass over the loader.
func trainEpoch(ctx context.Context, c Config, model nn.Module, opt optim.Optimizer, loader *data.Loader, epoch int, lr float64) (EpochStats, error) {
	model.SetTraining(true)
	prog := newProgress(c, epoch, loader.NumBatches())
	var sumLoss float64
	var seen, correct int
	t0 := time.Now()
	step := 0
	for b := range loader.Epoch() {
		if err := ctx.Err(); err != nil {
			prog.abort()
			return EpochStats{}, ErrInterrupted
		}
		step++
		x := tensor.FromFloat32(b.X, b.Shape...)
		logits := model.Forward(x)
		loss := nn.CrossEntropy(logits, tensor.FromInts(b.Labels))
		l := loss.Item()
		if math.IsNaN(l) || math.IsInf(l, 0) {
			prog.abort()
			return EpochStats{}, fmt.Errorf("loss became %v at epoch %d, step %d (lr %g); try a smaller --lr", l, epoch, step, lr)
		}
		opt.ZeroGrad()
		loss.Backward()
		opt.Step()
		n := b.Size()
		sumLoss += l * float64(n)
		seen += n
		for i, p := range tensor.Argmax(logits.Detach(), 1).Ints() {
			if p == b.Labels[i] {
				correct++
			}
		}
		prog.update(step, seen, sumLoss/float64(seen), float64(correct)/float64(seen))
	}
	secs := time.Since(t0).Seconds()
	prog.done()
	return EpochStats{Epoch: epoch, LR: lr, TrainLoss: sumLoss / float64(seen), TrainAcc: float64(correct) / float64(seen),
		Seconds: secs, ImgPerSec: float64(seen) / secs}, nil
}

// saveCheckpoint writes the model state with the run's metadata atomically.
func saveCheckpoint(path string, m nn.Module, c Config, epoch int, hist []EpochStats) error {
	h, _ := json.Marshal(hist)
	meta := map[string]string{
		"format":    "duboko-checkpoint-1",
		"model":     c.Model,
		"epoch":     strconv.Itoa(epoch),
		"optimizer": c.Optimizer,
		"seed":      strconv.FormatUint(c.Seed, 10),
		"history":   string(h),
	}
	if err := nn.Save(path, m, meta); err != nil {
		return fmt.Errorf("saving checkpoint: %w", err)
	}
	return nil
}

// saveOptimizerState writes opt's state for epoch atomically.
func saveOptimizerState(path string, opt optim.Optimizer, c Config, epoch int) error {
	state, err := optim.StateOf(opt)
	if err != nil {
		return err
	}
	var ts []safetensors.Tensor
	for _, p := range state {
		if p.Tensor.DType() == tensor.Float64 {
			ts = append(ts, safetensors.Float64(p.Name, p.Tensor.Shape(), p.Tensor.Float64s()))
		} else {
			ts = append(ts, safetensors.Float32(p.Name, p.Tensor.Shape(), p.Tensor.Float32s()))
		}
	}
	meta := map[string]string{"format": "duboko-optimizer-1", "optimizer": c.Optimizer, "epoch": strconv.Itoa(epoch)}
	if err := safetensors.WriteFile(path, ts, meta); err != nil {
		return fmt.Errorf("saving optimizer state: %w", err)
	}
	return nil
}

// loadOptimizerState restores the optimizer state saved with the
// checkpoint of epoch, if there is one for that epoch and optimizer, and
// says what it did.
func loadOptimizerState(path string, opt optim.Optimizer, name string, epoch int) (string, error) {
	f, err := safetensors.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "no optimizer state beside the checkpoint: the optimizer's state (momentum, moments) restarts", nil
	}
	if err != nil {
		return "", err
	}
	if f.Metadata["optimizer"] != name || f.Metadata["epoch"] != strconv.Itoa(epoch) {
		return fmt.Sprintf("optimizer state in %s is of %s at epoch %s, not %s at epoch %d: the optimizer's state restarts",
			path, f.Metadata["optimizer"], f.Metadata["epoch"], name, epoch), nil
	}
	var state []nn.Param
	for _, t := range f.Tensors {
		v, err := t.AsFloat64()
		if err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
		state = append(state, nn.Param{Name: t.Name, Tensor: tensor.FromFloat64(v, t.Shape...)})
	}
	if err := optim.LoadState(opt, state); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return "restored the optimizer state of epoch " + strconv.Itoa(epoch), nil
}

func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
