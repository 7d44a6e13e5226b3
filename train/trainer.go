package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/optim"
)

// ErrInterrupted is returned when the context is cancelled (Ctrl-C,
// SIGTERM): the run stops between steps and the last complete checkpoint is
// left intact.
var ErrInterrupted = errors.New("training interrupted")

// ErrNothingToDo is returned by Resume when the checkpoint already holds
// Epochs epochs or more.
var ErrNothingToDo = errors.New("nothing to do")

// Trainer runs a Task over the epochs of a data set. Set its fields, then
// call Resume (optionally) and Run once.
type Trainer struct {
	Task     Task
	Train    data.Dataset   // the training set
	Val      data.Dataset   // the validation set; nil: none
	Batch    int            // batch size (at least 1)
	Seed     uint64         // seed of the shuffles; epoch k's order depends on Seed and k only
	Epochs   int            // the last epoch to train, counting from 1
	Schedule optim.Schedule // learning rate per epoch; nil: the optimizers' rates are left alone

	// OutDir is the folder of the checkpoint and optimizer state ("": no
	// checkpoints). Meta is stored in the checkpoint's metadata beside
	// "format", "epoch" and "history"; its "optimizer" entry also names the
	// optimizer state, which a resume restores only when it matches.
	// MatchMeta lists the Meta keys a resumed checkpoint must agree with
	// (such as "model").
	OutDir    string
	Meta      map[string]string
	MatchMeta []string

	// MetricsPath, when set, is rewritten atomically after every epoch with
	// one JSON line per epoch (see EpochStats).
	MetricsPath string

	Log      io.Writer     // progress and epoch lines; nil: none
	Terminal bool          // draw a progress bar (else plain lines every LogEvery)
	LogEvery time.Duration // 10 s when 0
	Unit     string        // what a sample is, plural ("images"); "samples" when empty
	UnitAbbr string        // short form for rates ("img"); Unit when empty

	history    []EpochStats
	done       int
	prepared   bool
	onStep     []func(StepInfo)
	onEpochEnd []func(EpochStats) error
}

// StepInfo is what an OnStep hook sees after each training step.
type StepInfo struct {
	Epoch, Step, Steps int     // step of Steps in this epoch
	Batch              Metrics // the step's metrics (sums over the batch)
	Running            Metrics // the epoch's so far
}

// Result is what a finished (or stopped) run reports.
type Result struct {
	History []EpochStats // every epoch, including those of a resumed checkpoint
	Resumed int          // epochs already done by the resumed checkpoint
	Elapsed time.Duration
}

// OnStep registers fn to run after every training step.
func (t *Trainer) OnStep(fn func(StepInfo)) { t.onStep = append(t.onStep, fn) }

// OnEpochEnd registers fn to run after every epoch, once its checkpoint and
// metrics are written; an error from fn stops the run.
func (t *Trainer) OnEpochEnd(fn func(EpochStats) error) { t.onEpochEnd = append(t.onEpochEnd, fn) }

// History returns the epochs recorded so far (including resumed ones).
func (t *Trainer) History() []EpochStats { return t.history }

func (t *Trainer) log() io.Writer {
	if t.Log == nil {
		return io.Discard
	}
	return t.Log
}

func (t *Trainer) unitShort() string {
	switch {
	case t.UnitAbbr != "":
		return t.UnitAbbr
	case t.Unit != "":
		return t.Unit
	}
	return "samples"
}

// check reports the first nonsensical setting.
func (t *Trainer) check() error {
	switch {
	case t.Task == nil || t.Task.Model() == nil:
		return errors.New("train: no task or model")
	case t.Train == nil || t.Train.Len() == 0:
		return errors.New("train: the training set is empty")
	case t.Batch < 1:
		return fmt.Errorf("train: batch size %d, want at least 1", t.Batch)
	case t.Epochs < 1 || t.Epochs > MaxEpochs:
		return fmt.Errorf("train: %d epochs, want 1..%d", t.Epochs, MaxEpochs)
	}
	return nil
}

// prepare checks the settings and the output folders once: it creates
// OutDir, checks it is writable, cleans what a killed run left there, and
// checks that MetricsPath can be written.
func (t *Trainer) prepare() error {
	if t.prepared {
		return nil
	}
	if err := t.check(); err != nil {
		return err
	}
	if t.OutDir != "" {
		if err := os.MkdirAll(t.OutDir, 0o755); err != nil {
			return fmt.Errorf("output folder: %w", err)
		}
		if err := CheckWritableDir(t.OutDir); err != nil {
			return fmt.Errorf("output folder: %w", err)
		}
		did, err := recoverDir(t.OutDir)
		for _, d := range did {
			fmt.Fprintln(t.log(), d)
		}
		if err != nil {
			return fmt.Errorf("output folder: %w", err)
		}
	}
	if t.MetricsPath != "" {
		if err := CheckWritableFile(t.MetricsPath); err != nil {
			return fmt.Errorf("metrics file: %w", err)
		}
		stale, _ := filepath.Glob(filepath.Join(filepath.Dir(t.MetricsPath), "."+filepath.Base(t.MetricsPath)+".tmp-*"))
		for _, p := range stale {
			if err := os.Remove(p); err != nil {
				return fmt.Errorf("metrics file: %w", err)
			}
			fmt.Fprintln(t.log(), "removed", p+", left by an interrupted write")
		}
	}
	t.prepared = true
	return nil
}

// Resume loads the checkpoint at path into the task's model, with its epoch
// count and history, and the optimizer state saved beside it when that is
// of the same epoch and optimizer; it says what it did on Log. It returns
// ErrNothingToDo (wrapped) when the checkpoint already holds Epochs epochs.
func (t *Trainer) Resume(path string) error {
	if err := t.prepare(); err != nil {
		return err
	}
	ck, err := LoadCheckpoint(path, t.Task.Model())
	if err != nil {
		return err
	}
	if ck.Epoch == 0 {
		return &CheckpointError{Path: path, Msg: "no epoch in its metadata: not a checkpoint to resume from"}
	}
	for _, k := range t.MatchMeta {
		if got, ok := ck.Metadata[k]; ok && got != t.Meta[k] {
			return &CheckpointError{Path: path, Msg: fmt.Sprintf("it is of %s %q, not %q", k, got, t.Meta[k])}
		}
	}
	if ck.Epoch >= t.Epochs {
		epochs := "epochs"
		if ck.Epoch == 1 {
			epochs = "epoch"
		}
		return fmt.Errorf("%w: %s already holds %d %s, and the run is to stop after epoch %d", ErrNothingToDo, path, ck.Epoch, epochs, t.Epochs)
	}
	t.done, t.history = ck.Epoch, ck.History
	fmt.Fprintf(t.log(), "resumed from %s after epoch %d\n", path, ck.Epoch)
	msg, err := loadOptimizerState(filepath.Dir(path), t.Task.Optimizers(), t.Meta["optimizer"], ck.Epoch)
	if err != nil {
		return err
	}
	fmt.Fprintln(t.log(), msg)
	return nil
}

// Run trains from the epoch after the resumed one (or the first) to Epochs.
// After each epoch it validates, checks that the weights and validation
// metrics are finite, writes the checkpoint and metrics, and calls the
// OnEpochEnd hooks. It returns ErrInterrupted when ctx is cancelled (also
// after the last epoch), and a *NonFiniteError (wrapped) when a loss,
// weight or validation metric becomes NaN or ±Inf; the checkpoint of the
// last good epoch is then left as it was. The Result holds what was done.
func (t *Trainer) Run(ctx context.Context) (*Result, error) {
	res := &Result{Resumed: t.done}
	if err := t.prepare(); err != nil {
		return res, err
	}
	loader := data.NewLoader(t.Train, t.Batch, data.WithShuffle(t.Seed))
	model := t.Task.Model()
	t0 := time.Now()
	defer func() { res.History, res.Elapsed = t.history, time.Since(t0) }()
	for epoch := t.done + 1; epoch <= t.Epochs; epoch++ {
		lr, err := t.setLR(epoch)
		if err != nil {
			return res, err
		}
		loader.SetEpoch(epoch - 1)
		model.SetTraining(true)
		st, steps, err := t.trainEpoch(ctx, loader, epoch, lr)
		if err != nil {
			return res, err
		}
		if t.Val != nil {
			st.Val, err = t.Task.Evaluate(ctx, t.Val)
			if err != nil {
				if ctx.Err() != nil {
					return res, ErrInterrupted
				}
				return res, err
			}
		} else {
			st.Val = st.Train.missing()
		}
		t.logEpoch(st)
		if err := t.checkEpoch(st, steps); err != nil {
			return res, err
		}
		t.history = append(t.history, st)
		t.done = epoch
		if t.OutDir != "" {
			meta := maps.Clone(t.Meta)
			if meta == nil {
				meta = map[string]string{}
			}
			h, err := historyJSON(t.history)
			if err != nil {
				return res, err
			}
			meta["format"], meta["epoch"], meta["history"] = CheckpointFormat, strconv.Itoa(epoch), h
			if err := saveState(t.OutDir, model, t.Task.Optimizers(), meta, epoch); err != nil {
				return res, err
			}
		}
		if t.MetricsPath != "" {
			if err := WriteMetrics(t.MetricsPath, t.history, nil); err != nil {
				return res, fmt.Errorf("metrics file: %w", err)
			}
		}
		for _, fn := range t.onEpochEnd {
			if err := fn(st); err != nil {
				return res, err
			}
		}
	}
	if ctx.Err() != nil {
		return res, ErrInterrupted
	}
	return res, nil
}

// setLR applies the schedule's rate for epoch and returns the rate in use.
func (t *Trainer) setLR(epoch int) (float64, error) {
	opts := t.Task.Optimizers()
	if t.Schedule == nil {
		if len(opts) > 0 {
			return opts[0].LR(), nil
		}
		return math.NaN(), nil
	}
	lr := t.Schedule.LR(epoch)
	if !(lr >= 0) || math.IsInf(lr, 0) {
		return 0, fmt.Errorf("train: the schedule gives learning rate %v for epoch %d", lr, epoch)
	}
	for _, o := range opts {
		o.SetLR(lr)
	}
	return lr, nil
}

// trainEpoch runs one pass over the loader and returns the epoch's record
// and the number of steps taken.
func (t *Trainer) trainEpoch(ctx context.Context, loader *data.Loader, epoch int, lr float64) (EpochStats, int, error) {
	prog := newProgress(t, epoch, loader.NumBatches())
	var running Metrics
	seen, step := 0, 0
	start := time.Now()
	for b := range loader.Epoch() {
		if ctx.Err() != nil {
			prog.abort()
			return EpochStats{}, step, ErrInterrupted
		}
		step++
		ms, err := t.Task.Step(b)
		if err != nil {
			prog.abort()
			return EpochStats{}, step, locate(err, epoch, step, lr)
		}
		running = running.Add(ms)
		seen += b.Size()
		for _, fn := range t.onStep {
			fn(StepInfo{Epoch: epoch, Step: step, Steps: loader.NumBatches(), Batch: ms, Running: running})
		}
		prog.update(step, seen, running)
	}
	secs := time.Since(start).Seconds()
	prog.done()
	return EpochStats{Epoch: epoch, LR: lr, Train: running, Seconds: secs, Rate: float64(seen) / secs, Unit: t.Unit}, step, nil
}

// checkEpoch refuses an epoch whose weights or validation metrics are not
// finite, naming the epoch and its last step.
func (t *Trainer) checkEpoch(st EpochStats, steps int) error {
	if err := checkWeights(t.Task.Model()); err != nil {
		return locate(err, st.Epoch, steps, st.LR)
	}
	for _, m := range st.Val {
		if m.N == 0 {
			continue
		}
		if err := CheckFinite("validation "+m.Name, m.Value()); err != nil {
			return locate(err, st.Epoch, steps, st.LR)
		}
	}
	return nil
}

// locate fills in where a *NonFiniteError happened.
func locate(err error, epoch, step int, lr float64) error {
	var nf *NonFiniteError
	if errors.As(err, &nf) {
		nf.Epoch, nf.Step, nf.LR = epoch, step, lr
	}
	return err
}

// logEpoch prints the epoch's summary line.
func (t *Trainer) logEpoch(st EpochStats) {
	val := ""
	if t.Val != nil {
		val = "  val " + st.Val.String()
	}
	fmt.Fprintf(t.log(), "epoch %d/%d  lr %.4g  train %s%s  (%.1fs, %.0f %s/s)\n",
		st.Epoch, t.Epochs, st.LR, st.Train.String(), val, st.Seconds, st.Rate, t.unitShort())
}

// historyJSON encodes the history for the checkpoint's metadata.
func historyJSON(h []EpochStats) (string, error) {
	b, err := jsonMarshal(h)
	if err != nil {
		return "", fmt.Errorf("encoding the history: %w", err)
	}
	return string(b), nil
}

// CheckWritableDir reports whether a file can be created in dir.
func CheckWritableDir(dir string) error {
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// CheckWritableFile reports whether path can be (re)written atomically: its
// folder exists and is writable, and path is not a folder.
func CheckWritableFile(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("folder %s does not exist", dir)
		}
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a folder", path)
	}
	if err := CheckWritableDir(dir); err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	return nil
}
