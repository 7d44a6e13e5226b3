package train

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/safetensors"
)

// TestResumeIsExact trains three epochs with momentum in one go, and one
// epoch plus a resumed second and third: the optimizer state saved beside
// the checkpoint makes both end with identical weights, and the history
// of the resumed run holds all three epochs.
func TestResumeIsExact(t *testing.T) {
	whole := newTrainer(t, 3, t.TempDir())
	if _, err := whole.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	first := newTrainer(t, 1, dir)
	if _, err := first.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	second := newTrainer(t, 3, dir)
	second.Log = &log
	if err := second.Resume(filepath.Join(dir, CheckpointName)); err != nil {
		t.Fatal(err)
	}
	res, err := second.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "restored the optimizer state of epoch 1") {
		t.Fatalf("log:\n%s", log.String())
	}
	sameWeights(t, whole.Task.Model(), second.Task.Model())
	if len(res.History) != 3 || res.History[0].Epoch != 1 || res.History[2].Epoch != 3 || res.Resumed != 1 {
		t.Fatalf("history after resume: %+v (resumed %d)", res.History, res.Resumed)
	}
	if a, b := whole.History()[0].Train.Get("loss"), res.History[0].Train.Get("loss"); a != b {
		t.Fatalf("epoch 1 loss %v in the whole run, %v after resume", a, b)
	}
}

func TestInterruptKeepsLastCheckpoint(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr := newTrainer(t, 3, dir)
	tr.OnEpochEnd(func(s EpochStats) error {
		if s.Epoch == 1 {
			cancel()
		}
		return nil
	})
	res, err := tr.Run(ctx)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
	if len(res.History) != 1 {
		t.Fatalf("history has %d epochs, want 1", len(res.History))
	}
	m := newClassifier(0.05).Net
	ck, err := LoadCheckpoint(filepath.Join(dir, CheckpointName), m)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Epoch != 1 || ck.Metadata["model"] != "mlp" || len(ck.History) != 1 {
		t.Fatalf("checkpoint %+v", ck)
	}
	sameWeights(t, m, tr.Task.Model())
}

// TestInterruptAfterLastStep: a cancellation during the last step of the
// last epoch still ends the run as interrupted (not as a success), with
// that epoch's checkpoint written.
func TestInterruptAfterLastStep(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr := newTrainer(t, 1, dir)
	tr.OnStep(func(s StepInfo) {
		if s.Step == s.Steps {
			cancel()
		}
	})
	_, err := tr.Run(ctx)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
	if meta, err := ReadMetadata(filepath.Join(dir, CheckpointName)); err != nil || meta["epoch"] != "1" {
		t.Fatalf("checkpoint after the last step: %v %v", meta, err)
	}
}

// TestNonFiniteNeverReplacesCheckpoint: weights that turn NaN on the last
// step of epoch 2, or a validation loss that turns Inf, stop the run with
// an error naming epoch and step, and the checkpoint and optimizer state
// of epoch 1 stay byte for byte.
func TestNonFiniteNeverReplacesCheckpoint(t *testing.T) {
	for _, c := range []struct {
		name string
		p    poison
		want string
	}{
		{"weights", poison{after: 12}, "parameter fc1.weight became NaN at epoch 2, step 12"},
		{"validation", poison{valNaN: true}, "validation loss became +Inf at epoch 2, step 12"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := newTrainer(t, 1, dir).Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			ck := filepath.Join(dir, CheckpointName)
			before, _ := os.ReadFile(ck)
			optBefore, _ := os.ReadFile(filepath.Join(dir, OptimizerStateName))
			tr := newTrainer(t, 3, dir)
			p := c.p
			p.Task = tr.Task
			if err := tr.Resume(ck); err != nil {
				t.Fatal(err)
			}
			tr.Task = &p
			_, err := tr.Run(context.Background())
			var nf *NonFiniteError
			if !errors.As(err, &nf) || nf.Epoch != 2 || nf.Step != 12 || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want a NonFiniteError %q", err, c.want)
			}
			after, _ := os.ReadFile(ck)
			optAfter, _ := os.ReadFile(filepath.Join(dir, OptimizerStateName))
			if !bytes.Equal(before, after) || !bytes.Equal(optBefore, optAfter) {
				t.Fatal("a non-finite epoch replaced the checkpoint or the optimizer state")
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 2 {
				t.Fatalf("files left: %v", ents)
			}
		})
	}
}

// TestNonFiniteLossStopsBeforeUpdate: the classifier refuses a NaN loss
// before its update, and the error names epoch and step.
func TestNonFiniteLossStopsBeforeUpdate(t *testing.T) {
	tr := newTrainer(t, 1, "")
	tr.Task.Model().Params()[0].Tensor.Float32s()[0] = float32(math.Inf(1))
	_, err := tr.Run(context.Background())
	var nf *NonFiniteError
	if !errors.As(err, &nf) || nf.What != "loss" || nf.Epoch != 1 || nf.Step != 1 {
		t.Fatalf("got %v", err)
	}
}

// TestCheckpointMetadataValidated: an epoch that is not a whole number in
// 1..MaxEpochs, a history that does not parse or runs past the epoch, and
// another format are refused; a checkpoint that has all epochs asked for
// says there is nothing to do.
func TestCheckpointMetadataValidated(t *testing.T) {
	dir := t.TempDir()
	if _, err := newTrainer(t, 2, dir).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, CheckpointName)
	f, err := safetensors.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ key, val, want string }{
		{"epoch", "9223372036854775807", "outside 1..1000000"},
		{"epoch", "99999999999999999999999", "outside 1..1000000"},
		{"epoch", "-5", "not a whole number"},
		{"epoch", "abc", "not a whole number"},
		{"epoch", "0", "outside"},
		{"epoch", " 1", "not a whole number"},
		{"epoch", "1", "after the checkpoint's epoch 1"}, // the history holds epoch 2
		{"history", "[{]", "metadata history"},
		{"format", "something-else", "format"},
	} {
		meta := map[string]string{}
		for k, v := range f.Metadata {
			meta[k] = v
		}
		meta[c.key] = c.val
		p := filepath.Join(t.TempDir(), "bad.safetensors")
		if err := safetensors.WriteFile(p, f.Tensors, meta); err != nil {
			t.Fatal(err)
		}
		err := newTrainer(t, 5, t.TempDir()).Resume(p)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s=%q: got %v, want %q", c.key, c.val, err, c.want)
		}
	}
	err = newTrainer(t, 2, t.TempDir()).Resume(good)
	if !errors.Is(err, ErrNothingToDo) {
		t.Fatalf("resume of a finished run: %v", err)
	}
	// another model's checkpoint
	err = func() error { tr := newTrainer(t, 5, t.TempDir()); tr.Meta["model"] = "cnn"; return tr.Resume(good) }()
	if err == nil || !strings.Contains(err.Error(), `of model "mlp", not "cnn"`) {
		t.Fatalf("model mismatch: %v", err)
	}
}

// TestHistoryWithoutValidation: without a validation set each epoch's
// validation values are JSON null, in the checkpoint and the metrics file,
// and survive a resume.
func TestHistoryWithoutValidation(t *testing.T) {
	dir := t.TempDir()
	metrics := filepath.Join(dir, "m.jsonl")
	tr := newTrainer(t, 1, dir)
	tr.Val, tr.MetricsPath = nil, metrics
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	tr = newTrainer(t, 2, dir)
	tr.Val, tr.MetricsPath = nil, metrics
	if err := tr.Resume(filepath.Join(dir, CheckpointName)); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(metrics)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"epoch":1,`) || !strings.Contains(lines[0], `"val_loss":null`) {
		t.Fatalf("metrics after resume:\n%s", b)
	}
	meta, _ := ReadMetadata(filepath.Join(dir, CheckpointName))
	var h []map[string]any
	if err := json.Unmarshal([]byte(meta["history"]), &h); err != nil || len(h) != 2 || h[1]["val_accuracy"] != nil {
		t.Fatalf("history %s (%v)", meta["history"], err)
	}
}

func TestEpochStatsJSON(t *testing.T) {
	s := EpochStats{Epoch: 3, LR: 0.5, Train: Metrics{{Name: "loss", Sum: 3, N: 2}, {Name: "accuracy", Sum: 1, N: 4}},
		Val: Metrics{{Name: "loss"}}, Seconds: 1.5, Rate: math.Inf(1), Unit: "images"}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"epoch":3,"lr":0.5,"train_loss":1.5,"train_accuracy":0.25,"val_loss":null,"seconds":1.5,"images_per_second":1e999}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	var back EpochStats
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Epoch != 3 || back.Train.Get("loss") != 1.5 || !math.IsNaN(back.Val.Get("loss")) || !math.IsInf(back.Rate, 1) || back.Unit != "images" {
		t.Fatalf("round trip: %+v", back)
	}
	if err := WriteMetrics(filepath.Join(t.TempDir(), "m"), []EpochStats{s}, map[string]Float{"test_loss": Float(math.NaN())}); err != nil {
		t.Fatalf("NaN in the final line: %v", err)
	}
}

// TestStaleFilesCleaned: temporary files of a killed run are removed at
// the start of the next, and a pending optimizer state is completed when
// the checkpoint is of its epoch and dropped otherwise.
func TestStaleFilesCleaned(t *testing.T) {
	dir := t.TempDir()
	if _, err := newTrainer(t, 1, dir).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	opt := filepath.Join(dir, OptimizerStateName)
	pending := filepath.Join(dir, pendingStateName)
	// a kill after the checkpoint's commit, before the optimizer rename
	if err := os.Rename(opt, pending); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{".checkpoint.safetensors.tmp-123", ".optimizer.safetensors.tmp-9", ".m.jsonl.tmp-5"} {
		os.WriteFile(filepath.Join(dir, n), []byte("partial"), 0o644)
	}
	var log strings.Builder
	tr := newTrainer(t, 2, dir)
	tr.Log = &log
	tr.MetricsPath = filepath.Join(dir, "m.jsonl")
	if err := tr.Resume(filepath.Join(dir, CheckpointName)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "restored the optimizer state of epoch 1") || !strings.Contains(log.String(), "completed the optimizer state of epoch 1") {
		t.Fatalf("log:\n%s", log.String())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Fatalf("files after recovery: %v", ents)
	}
	// a kill before the commit: the pending state is of a newer epoch
	if err := saveOptimizerState(pending, tr.Task.Optimizers(), "momentum", 2); err != nil {
		t.Fatal(err)
	}
	if _, err := recoverDir(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(pending); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a pending state of an uncommitted epoch was kept")
	}
	if meta, _ := ReadMetadata(opt); meta["epoch"] != "1" {
		t.Fatalf("optimizer state of epoch %s, want 1", meta["epoch"])
	}
}

// TestLoadCheckpointRefusesBeforeReading: names are checked from the
// header, so a file with an extra 1 GiB tensor (sparse) is refused without
// reading it, and non-finite values are refused.
func TestLoadCheckpointRefuses(t *testing.T) {
	m := newClassifier(0.1).Net
	state := nn.StateDict(m)
	var ts []safetensors.Tensor
	for _, p := range state {
		ts = append(ts, safetensors.Float32(p.Name, p.Tensor.Shape(), p.Tensor.Float32s()))
	}
	p := filepath.Join(t.TempDir(), "nan.safetensors")
	bad := append([]safetensors.Tensor(nil), ts...)
	v := append([]float32(nil), state[1].Tensor.Float32s()...)
	v[2] = float32(math.NaN())
	bad[1] = safetensors.Float32(state[1].Name, state[1].Tensor.Shape(), v)
	if err := safetensors.WriteFile(p, bad, nil); err != nil {
		t.Fatal(err)
	}
	before := state[0].Tensor.Values()
	if _, err := LoadCheckpoint(p, m); err == nil || !strings.Contains(err.Error(), "NaN") || !strings.Contains(err.Error(), state[1].Name) {
		t.Fatalf("NaN checkpoint: %v", err)
	}
	if after := state[0].Tensor.Values(); after[0] != before[0] {
		t.Fatal("a refused checkpoint changed the model")
	}
}

// TestLoadCheckpointChecksNamesFirst: a checkpoint with an extra 1 GiB
// tensor (a sparse file) is refused from its header, without reading the
// tensor data.
func TestLoadCheckpointChecksNamesFirst(t *testing.T) {
	m := newClassifier(0.1).Net
	var hdr strings.Builder
	hdr.WriteString("{")
	off := 0
	for _, p := range nn.StateDict(m) {
		n := 4 * p.Tensor.Len()
		sh, _ := json.Marshal(p.Tensor.Shape())
		hdr.WriteString(`"` + p.Name + `":{"dtype":"F32","shape":` + string(sh) + `,"data_offsets":[` +
			strconv.Itoa(off) + `,` + strconv.Itoa(off+n) + `]},`)
		off += n
	}
	const big = 1 << 30
	hdr.WriteString(`"extra":{"dtype":"F32","shape":[268435456],"data_offsets":[` + strconv.Itoa(off) + `,` + strconv.Itoa(off+big) + `]}}`)
	p := filepath.Join(t.TempDir(), "sparse.safetensors")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(hdr.Len()))
	f.Write(n[:])
	f.WriteString(hdr.String())
	if err := f.Truncate(int64(8 + hdr.Len() + off + big)); err != nil {
		t.Skip("no sparse files:", err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = LoadCheckpoint(p, m)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "unexpected tensors [extra]") {
		t.Fatalf("got %v", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Fatalf("refusing the checkpoint allocated %d bytes", got)
	}
}
