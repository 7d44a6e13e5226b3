package train

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
)

// CheckpointName is the file, inside Trainer.OutDir, that holds the state
// of the last completed epoch: the model's state dict with PyTorch names,
// and metadata (format, epoch, history, and the trainer's Meta).
const CheckpointName = "checkpoint.safetensors"

// OptimizerStateName is the file beside the checkpoint that holds the
// optimizers' state (momentum buffers, Adam moments, step counts) of the
// same epoch, so that a resume continues exactly. It is a separate file so
// that the checkpoint itself stays a plain PyTorch state dict.
const OptimizerStateName = "optimizer.safetensors"

// pendingStateName is where the optimizer state of a new epoch waits until
// the checkpoint of that epoch is in place.
const pendingStateName = ".optimizer.pending.safetensors"

// CheckpointFormat is the "format" metadata of checkpoints the Trainer
// writes.
const CheckpointFormat = "duboko-checkpoint-1"

// optimizerFormat is the "format" metadata of optimizer state files.
const optimizerFormat = "duboko-optimizer-1"

// MaxEpochs is the largest epoch count a checkpoint may claim and a Trainer
// accepts.
const MaxEpochs = 1_000_000

// Checkpoint is what LoadCheckpoint read besides the weights.
type Checkpoint struct {
	Path     string
	Metadata map[string]string
	// Epoch is the number of epochs the checkpoint holds, from its "epoch"
	// metadata; 0 when it has none (a state dict made elsewhere).
	Epoch int
	// History is the per-epoch record the checkpoint carries.
	History []EpochStats
}

// CheckpointError reports a checkpoint that cannot be used: unreadable
// metadata, tensors that do not fit the model, or non-finite values.
type CheckpointError struct {
	Path string
	Msg  string
}

// Error returns "checkpoint PATH: MSG".
func (e *CheckpointError) Error() string { return fmt.Sprintf("checkpoint %s: %s", e.Path, e.Msg) }

// ReadMetadata returns the metadata of the checkpoint at path, reading only
// its header.
func ReadMetadata(path string) (map[string]string, error) {
	r, err := safetensors.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return r.Metadata, nil
}

// LoadCheckpoint reads the state dict at path into m's parameters and
// buffers, and validates the checkpoint's metadata. It reads the file once,
// header first: every tensor of m must be in the file with m's shape, and
// the file must hold no other tensor, before any data is read; values must
// be finite. On error m is unchanged.
func LoadCheckpoint(path string, m nn.Module) (*Checkpoint, error) {
	r, err := safetensors.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	fail := func(format string, args ...any) error {
		return &CheckpointError{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
	ck, err := parseMetadata(path, r.Metadata)
	if err != nil {
		return nil, err
	}
	state := nn.StateDict(m)
	want := map[string]bool{}
	for _, p := range state {
		want[p.Name] = true
		info, ok := r.Info(p.Name)
		if !ok && strings.HasSuffix(p.Name, "num_batches_tracked") && p.Tensor.DType() == tensor.Int64 {
			continue // PyTorch loads checkpoints that predate this buffer with the count 0; so does nn.Load
		}
		if !ok {
			return nil, fail("missing tensor %q (model shape %v); the file has %s", p.Name, p.Tensor.Shape(), list(r.Names()))
		}
		if !slices.Equal(info.Shape, p.Tensor.Shape()) {
			return nil, fail("tensor %q has shape %v in the file but %v in the model (another architecture?)", p.Name, info.Shape, p.Tensor.Shape())
		}
	}
	var extra []string
	for _, n := range r.Names() {
		if !want[n] {
			extra = append(extra, n)
		}
	}
	if len(extra) > 0 {
		return nil, fail("unexpected tensors %s not in the model (another architecture?)", list(extra))
	}
	vals := make([]*tensor.Tensor, len(state))
	for i, p := range state {
		if _, ok := r.Info(p.Name); !ok {
			vals[i] = tensor.ZerosLike(p.Tensor) // a num_batches_tracked the file predates
			continue
		}
		t, err := r.Read(p.Name)
		if err != nil {
			return nil, err
		}
		if !p.Tensor.DType().IsFloat() {
			v, err := t.AsInt64()
			if err != nil {
				return nil, fail("tensor %q: %v", p.Name, err)
			}
			vals[i] = tensor.Reshape(tensor.FromInt64(v), t.Shape...)
			continue
		}
		v, err := t.AsFloat64()
		if err != nil {
			return nil, fail("tensor %q: %v", p.Name, err)
		}
		if j := nonFiniteIndex(v); j >= 0 {
			return nil, fail("tensor %q holds %v (at index %d): the weights are not finite", p.Name, v[j], j)
		}
		vals[i] = tensor.Reshape(tensor.FromFloat64(v), t.Shape...) // a scalar's shape is []
	}
	for i, p := range state {
		p.Tensor.CopyFrom(vals[i])
	}
	return ck, nil
}

// parseMetadata validates a checkpoint's metadata.
func parseMetadata(path string, meta map[string]string) (*Checkpoint, error) {
	fail := func(format string, args ...any) error {
		return &CheckpointError{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
	ck := &Checkpoint{Path: path, Metadata: meta}
	if f, ok := meta["format"]; ok && f != CheckpointFormat {
		return nil, fail("format %q is not %q", f, CheckpointFormat)
	}
	if e, ok := meta["epoch"]; ok {
		n, err := parseEpoch(e)
		if err != nil {
			return nil, fail("metadata epoch: %v", err)
		}
		ck.Epoch = n
	}
	if h, ok := meta["history"]; ok && h != "" {
		if err := json.Unmarshal([]byte(h), &ck.History); err != nil {
			return nil, fail("metadata history: %v", err)
		}
		prev := 0
		for _, s := range ck.History {
			if s.Epoch <= prev || s.Epoch > ck.Epoch {
				return nil, fail("metadata history: epoch %d out of order or after the checkpoint's epoch %d", s.Epoch, ck.Epoch)
			}
			prev = s.Epoch
		}
	}
	return ck, nil
}

// parseEpoch reads a completed-epoch count: a plain decimal integer in
// 1..MaxEpochs.
func parseEpoch(s string) (int, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxEpochs {
		return 0, fmt.Errorf("%s is outside 1..%d", s, MaxEpochs)
	}
	return n, nil
}

func nonFiniteIndex(v []float64) int {
	for i, x := range v {
		if x != x || x-x != 0 { // NaN, or ±Inf (Inf-Inf is NaN)
			return i
		}
	}
	return -1
}

func list(names []string) string {
	names = append([]string(nil), names...)
	sort.Strings(names)
	if len(names) > 8 {
		names = append(names[:8], "...")
	}
	return "[" + strings.Join(names, " ") + "]"
}

// saveState writes the checkpoint of epoch and the optimizers' state in
// dir so that the pair stays consistent: the optimizer state goes to a
// pending file, then the checkpoint is renamed into place (the commit),
// then the pending file becomes OptimizerStateName. recoverDir completes or
// drops a pending file left by a kill.
func saveState(dir string, m nn.Module, opts []optim.Optimizer, meta map[string]string, epoch int) error {
	if err := checkWeights(m); err != nil {
		return fmt.Errorf("refusing to write a checkpoint: %w", err)
	}
	pending := filepath.Join(dir, pendingStateName)
	if err := saveOptimizerState(pending, opts, meta["optimizer"], epoch); err != nil {
		return err
	}
	if err := nn.Save(filepath.Join(dir, CheckpointName), m, meta); err != nil {
		return fmt.Errorf("saving checkpoint: %w", err)
	}
	if err := os.Rename(pending, filepath.Join(dir, OptimizerStateName)); err != nil {
		return fmt.Errorf("saving optimizer state: %w", err)
	}
	return nil
}

// saveOptimizerState writes the optimizers' state for epoch atomically.
// With several optimizers, the names of the i-th one's tensors start with
// "i.".
func saveOptimizerState(path string, opts []optim.Optimizer, name string, epoch int) error {
	var ts []safetensors.Tensor
	for i, opt := range opts {
		state, err := optim.StateOf(opt)
		if err != nil {
			return err
		}
		for _, p := range state {
			n := p.Name
			if len(opts) > 1 {
				n = strconv.Itoa(i) + "." + n
			}
			switch p.Tensor.DType() {
			case tensor.Float32:
				ts = append(ts, safetensors.Float32(n, p.Tensor.Shape(), p.Tensor.Float32s()))
			case tensor.Float64:
				ts = append(ts, safetensors.Float64(n, p.Tensor.Shape(), p.Tensor.Float64s()))
			case tensor.Int64:
				ts = append(ts, safetensors.Int64(n, p.Tensor.Shape(), p.Tensor.Int64s()))
			default:
				return fmt.Errorf("saving optimizer state: tensor %q has dtype %v", n, p.Tensor.DType())
			}
		}
	}
	meta := map[string]string{"format": optimizerFormat, "optimizer": name, "epoch": strconv.Itoa(epoch)}
	if err := safetensors.WriteFile(path, ts, meta); err != nil {
		return fmt.Errorf("saving optimizer state: %w", err)
	}
	return nil
}

// loadOptimizerState restores the optimizers' state saved beside the
// checkpoint of epoch in dir (OptimizerStateName, or a pending state of
// that epoch left by a kill), if there is one of that epoch and optimizer,
// and says what it did.
func loadOptimizerState(dir string, opts []optim.Optimizer, name string, epoch int) (string, error) {
	path := filepath.Join(dir, OptimizerStateName)
	var found map[string]string
	for _, p := range []string{path, filepath.Join(dir, pendingStateName)} {
		meta, err := ReadMetadata(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if meta["optimizer"] == name && meta["epoch"] == strconv.Itoa(epoch) {
			return restoreOptimizers(p, opts, epoch)
		}
		if found == nil {
			found = meta
		}
	}
	if found == nil {
		return "no optimizer state beside the checkpoint: the optimizer's state (momentum, moments) restarts", nil
	}
	return fmt.Sprintf("optimizer state in %s is of %s at epoch %s, not %s at epoch %d: the optimizer's state restarts",
		path, found["optimizer"], found["epoch"], name, epoch), nil
}

func restoreOptimizers(path string, opts []optim.Optimizer, epoch int) (string, error) {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return "", err
	}
	states := make([][]nn.Param, len(opts))
	for _, t := range f.Tensors {
		i, n := 0, t.Name
		if len(opts) > 1 {
			k, rest, ok := strings.Cut(t.Name, ".")
			i, err = strconv.Atoi(k)
			if !ok || err != nil || i < 0 || i >= len(opts) {
				return "", fmt.Errorf("%s: tensor %q belongs to no optimizer", path, t.Name)
			}
			n = rest
		}
		v, err := t.AsFloat64()
		if err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
		states[i] = append(states[i], nn.Param{Name: n, Tensor: tensor.FromFloat64(v, t.Shape...)})
	}
	for i, opt := range opts {
		if err := optim.LoadState(opt, states[i]); err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
	}
	return "restored the optimizer state of epoch " + strconv.Itoa(epoch), nil
}

// recoverDir prepares dir for a run: it removes the temporary files a
// killed run may have left (".NAME.tmp-*" of the checkpoint and optimizer
// state), and completes or drops a pending optimizer state: kept when the
// checkpoint is of its epoch (the kill came after the commit), removed
// otherwise. It returns what it did, one line per action.
func recoverDir(dir string) ([]string, error) {
	var did []string
	for _, base := range []string{CheckpointName, OptimizerStateName, pendingStateName} {
		stale, _ := filepath.Glob(filepath.Join(dir, "."+base+".tmp-*"))
		for _, p := range stale {
			if err := os.Remove(p); err != nil {
				return did, err
			}
			did = append(did, "removed "+p+", left by an interrupted write")
		}
	}
	pending := filepath.Join(dir, pendingStateName)
	pm, err := ReadMetadata(pending)
	if errors.Is(err, os.ErrNotExist) {
		return did, nil
	}
	cm, cerr := ReadMetadata(filepath.Join(dir, CheckpointName))
	if err == nil && cerr == nil && pm["epoch"] != "" && pm["epoch"] == cm["epoch"] {
		if err := os.Rename(pending, filepath.Join(dir, OptimizerStateName)); err != nil {
			return did, err
		}
		return append(did, "completed the optimizer state of epoch "+pm["epoch"]+" left pending by an interrupted run"), nil
	}
	if err := os.Remove(pending); err != nil {
		return did, err
	}
	return append(did, "removed the optimizer state left pending by an interrupted run (its checkpoint was never written)"), nil
}
