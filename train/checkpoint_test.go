package train

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
)

// stateTensors returns m's state dict as safetensors tensors, leaving out
// the names skip lists.
func stateTensors(m nn.Module, skip ...string) []safetensors.Tensor {
	var ts []safetensors.Tensor
	for _, p := range nn.StateDict(m) {
		switch {
		case slices.Contains(skip, p.Name):
		case p.Tensor.DType() == tensor.Int64:
			ts = append(ts, safetensors.Int64(p.Name, p.Tensor.Shape(), p.Tensor.Int64s()))
		default:
			ts = append(ts, safetensors.Float32(p.Name, p.Tensor.Shape(), p.Tensor.Float32s()))
		}
	}
	return ts
}

func writeCheckpoint(t *testing.T, ts []safetensors.Tensor, meta map[string]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ck.safetensors")
	if err := safetensors.WriteFile(p, ts, meta); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoadCheckpointWithoutBatchCount: a checkpoint that predates
// BatchNorm's num_batches_tracked loads, with the count 0, as in PyTorch.
func TestLoadCheckpointWithoutBatchCount(t *testing.T) {
	m := nn.NewSequential(nn.NewLinear(tensor.NewRand(1), 2, 3), nn.NewBatchNorm1d(3))
	p := writeCheckpoint(t, stateTensors(m, "1.num_batches_tracked"), nil)
	m.Forward(tensor.FromFloat32([]float32{1, 2, 3, 4}, 2, 2)) // a training step counts a batch
	var count *tensor.Tensor
	for _, s := range nn.StateDict(m) {
		if s.Name == "1.num_batches_tracked" {
			count = s.Tensor
		}
	}
	if count == nil || count.Int64s()[0] != 1 {
		t.Fatalf("no batch counted: %v", count)
	}
	if _, err := LoadCheckpoint(p, m); err != nil {
		t.Fatal(err)
	}
	if n := count.Int64s()[0]; n != 0 {
		t.Errorf("num_batches_tracked %d after loading a checkpoint without it, want 0", n)
	}
}

// TestLoadCheckpointBoundaries: a non-finite first value is refused;
// epochs 1 and MaxEpochs are valid; a history must be strictly increasing;
// a list of tensors in a message is cut after 8 names.
func TestLoadCheckpointBoundaries(t *testing.T) {
	m := newClassifier(0.1).Net
	ts := stateTensors(m)
	v := append([]float32(nil), nn.StateDict(m)[0].Tensor.Float32s()...)
	v[0] = float32(math.Inf(-1))
	bad := append([]safetensors.Tensor{safetensors.Float32(ts[0].Name, ts[0].Shape, v)}, ts[1:]...)
	if _, err := LoadCheckpoint(writeCheckpoint(t, bad, nil), m); err == nil || !strings.Contains(err.Error(), "holds -Inf (at index 0)") {
		t.Errorf("-Inf first: %v", err)
	}
	ck, err := LoadCheckpoint(writeCheckpoint(t, ts, map[string]string{"epoch": "1", "history": `[{"epoch":1}]`}), m)
	if err != nil || ck.Epoch != 1 || len(ck.History) != 1 {
		t.Errorf("epoch 1: %+v, %v", ck, err)
	}
	ck, err = LoadCheckpoint(writeCheckpoint(t, ts, map[string]string{"epoch": "1000000"}), m)
	if err != nil || ck.Epoch != MaxEpochs {
		t.Errorf("epoch MaxEpochs: %+v, %v", ck, err)
	}
	_, err = LoadCheckpoint(writeCheckpoint(t, ts, map[string]string{"epoch": "3", "history": `[{"epoch":1},{"epoch":1}]`}), m)
	if err == nil || !strings.Contains(err.Error(), "epoch 1 out of order") {
		t.Errorf("epoch 1 twice in the history: %v", err)
	}
	for _, n := range []int{8, 9} {
		extra := ts
		var names []string
		for i := range n {
			name := fmt.Sprintf("x%d", i)
			names = append(names, name)
			extra = append(extra, safetensors.Float32(name, []int{1}, []float32{0}))
		}
		_, err := LoadCheckpoint(writeCheckpoint(t, extra, nil), m)
		want := "unexpected tensors [" + strings.Join(names, " ") + "] not"
		if n == 9 {
			want = "unexpected tensors [" + strings.Join(names[:8], " ") + " ...] not"
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%d extra tensors: %v, want %q", n, err, want)
		}
	}
}

// TestRestoreOptimizersIndex: with two optimizers, a state tensor of a
// third ("2.") belongs to none and is refused.
func TestRestoreOptimizersIndex(t *testing.T) {
	p := newTwoPlayer()
	path := filepath.Join(t.TempDir(), "opt.safetensors")
	if err := safetensors.WriteFile(path, []safetensors.Tensor{safetensors.Float32("2.step", []int{1}, []float32{1})}, nil); err != nil {
		t.Fatal(err)
	}
	_, err := restoreOptimizers(path, []optim.Optimizer{p.a, p.b}, 1)
	if err == nil || !strings.Contains(err.Error(), `tensor "2.step" belongs to no optimizer`) {
		t.Errorf("got %v", err)
	}
}

// TestRecoverDirDropsPending: a pending optimizer state without a
// checkpoint of its epoch is removed, and recoverDir says so.
func TestRecoverDirDropsPending(t *testing.T) {
	dir := t.TempDir()
	tr := newTrainer(t, 1, dir)
	pending := filepath.Join(dir, pendingStateName)
	if err := saveOptimizerState(pending, tr.Task.Optimizers(), "momentum", 1); err != nil {
		t.Fatal(err)
	}
	did, err := recoverDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(did) != 1 || !strings.Contains(did[0], "removed the optimizer state left pending") {
		t.Errorf("recoverDir said %q", did)
	}
	if _, err := os.Stat(pending); !os.IsNotExist(err) {
		t.Errorf("pending state still there: %v", err)
	}
}
