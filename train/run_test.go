package train

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/optim"
)

// recorder wraps a task and records the samples of each step.
type recorder struct {
	Task
	indices [][]int
}

func (r *recorder) Step(b *data.Batch) (Metrics, error) {
	r.indices = append(r.indices, slices.Clone(b.Indices))
	return r.Task.Step(b)
}

// TestRunEpochOrder: epoch e trains on the order a data.Loader with the
// trainer's seed gives for its epoch e−1 (the first is epoch 0), so that a
// run's batches can be reproduced from Seed alone.
func TestRunEpochOrder(t *testing.T) {
	tr := newTrainer(t, 2, "")
	rec := &recorder{Task: tr.Task}
	tr.Task = rec
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	l := data.NewLoader(tr.Train, tr.Batch, data.WithShuffle(tr.Seed))
	var want []int
	for k := range 2 {
		want = append(want, l.Order(k)...)
	}
	if got := slices.Concat(rec.indices...); !slices.Equal(got, want) {
		t.Errorf("samples in the order %v, want %v", got[:12], want[:12])
	}
}

// noOpt is a task without optimizers (a model trained by other means).
type noOpt struct{ Task }

func (noOpt) Optimizers() []optim.Optimizer { return nil }

// TestRunRecordsRate: without a schedule, each epoch records the rate of
// the first optimizer (NaN without one); the training rate is samples per
// second of training.
func TestRunRecordsRate(t *testing.T) {
	tr := newTrainer(t, 1, "")
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st := res.History[0]
	if st.LR != 0.05 {
		t.Errorf("recorded lr %v, want the optimizer's 0.05", st.LR)
	}
	if n := st.Rate * st.Seconds; math.Abs(n-120) > 1e-6 {
		t.Errorf("rate %v over %v s is %v samples, want 120", st.Rate, st.Seconds, n)
	}
	tr = newTrainer(t, 1, "")
	tr.Task = noOpt{tr.Task}
	if res, err = tr.Run(context.Background()); err != nil || !math.IsNaN(res.History[0].LR) {
		t.Errorf("without optimizers: lr %v, error %v; want NaN, nil", res.History[0].LR, err)
	}
}

// TestRunZeroRate: a schedule may give a rate of 0 (a frozen epoch): the
// weights do not move; a negative rate stops the run.
func TestRunZeroRate(t *testing.T) {
	tr := newTrainer(t, 1, "")
	tr.Schedule = optim.Piecewise{1: 0}
	before := tr.Task.Model().Params()[0].Tensor.Values()
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatalf("rate 0: %v", err)
	}
	if res.History[0].LR != 0 || !slices.Equal(tr.Task.Model().Params()[0].Tensor.Values(), before) {
		t.Errorf("rate 0: lr %v, weights moved", res.History[0].LR)
	}
	tr = newTrainer(t, 1, "")
	tr.Schedule = optim.Piecewise{1: -0.1}
	if _, err := tr.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "learning rate -0.1 for epoch 1") {
		t.Errorf("rate -0.1: %v", err)
	}
}

// TestEpochLine: the epoch's line shows validation metrics only when there
// is a validation set.
func TestEpochLine(t *testing.T) {
	for _, val := range []bool{true, false} {
		var log strings.Builder
		tr := newTrainer(t, 1, "")
		tr.Log = &log
		if !val {
			tr.Val = nil
		}
		if _, err := tr.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		line := log.String()
		if !strings.HasPrefix(line, "epoch 1/1  lr 0.05  train loss ") || strings.Contains(line, "val loss") != val {
			t.Errorf("validation %v: line %q", val, line)
		}
	}
}

// TestResumeNothingToDo: the message counts the epochs the checkpoint
// holds, in the singular for one.
func TestResumeNothingToDo(t *testing.T) {
	dir := t.TempDir()
	if _, err := newTrainer(t, 2, dir).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, CheckpointName)
	if err := newTrainer(t, 2, t.TempDir()).Resume(p); err == nil || !strings.Contains(err.Error(), "already holds 2 epochs, and") {
		t.Errorf("2 epochs: %v", err)
	}
	dir = t.TempDir()
	if _, err := newTrainer(t, 1, dir).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	p = filepath.Join(dir, CheckpointName)
	if err := newTrainer(t, 1, t.TempDir()).Resume(p); err == nil || !strings.Contains(err.Error(), "already holds 1 epoch, and") {
		t.Errorf("1 epoch: %v", err)
	}
}

// TestCheckWritableFile: a path whose folder is missing or a file, or that
// is a folder, is refused; a new file in a writable folder is fine.
func TestCheckWritableFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "new.jsonl"), ""},
		{file, ""},
		{dir, "is a folder"},
		{filepath.Join(dir, "missing", "m.jsonl"), "does not exist"},
		{filepath.Join(file, "m.jsonl"), "is not a folder"},
	} {
		err := CheckWritableFile(c.path)
		if (c.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.path, err, c.want)
		}
	}
}
