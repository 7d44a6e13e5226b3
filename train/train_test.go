package train

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
)

// cancelAfter cancels a context once the log mentions a finished epoch.
type cancelAfter struct {
	cancel context.CancelFunc
	marker string
}

func (w cancelAfter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), w.marker) {
		w.cancel()
	}
	return len(p), nil
}

func TestInterruptKeepsLastCheckpoint(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := Config{Model: "mlp", Epochs: 3, MaxTrain: 1000, ValSize: 200, LR: 0.05, OutDir: dir,
		Log: cancelAfter{cancel, "epoch 1/3  lr"}}
	res, err := Run(ctx, c)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
	if len(res.History) != 1 {
		t.Fatalf("history has %d epochs, want 1", len(res.History))
	}
	path := filepath.Join(dir, CheckpointName)
	f, err := safetensors.ReadFile(path)
	if err != nil {
		t.Fatalf("checkpoint unreadable after interrupt: %v", err)
	}
	if f.Metadata["epoch"] != "1" || f.Metadata["model"] != "mlp" {
		t.Fatalf("metadata %v", f.Metadata)
	}
	m, _, _ := models.New("mlp", tensor.NewRand(9))
	if _, err := nn.Load(path, m); err != nil {
		t.Fatal(err)
	}
	// the loaded weights are the trained ones
	for i, p := range m.Params() {
		a, b := p.Tensor.Values(), res.Model.Params()[i].Tensor.Values()
		for j := range a {
			if a[j] != b[j] {
				t.Fatalf("%s differs from the trained model", p.Name)
			}
		}
	}
}

func TestScheduleDefaults(t *testing.T) {
	c := Config{}.Defaults()
	want := map[int]float64{1: 0.1, 2: 0.1, 3: 0.01, 4: 0.01, 5: 0.001, 6: 0.001, 7: 0.0001, 8: 0.0001}
	for e, lr := range want {
		if got := c.schedule().LR(e); got != lr {
			t.Errorf("epoch %d: lr %v, want %v", e, got, lr)
		}
	}
	c.LR, c.Decay = 0.5, 0.5
	if got := c.schedule().LR(3); got != 0.125 {
		t.Errorf("decayed lr %v, want 0.125", got)
	}
	if err := (Config{Model: "cnn", Optimizer: "sgd", Epochs: 1, Batch: 1, Schedule: "x"}).Validate(); err == nil {
		t.Error("bad schedule accepted")
	}
}

// TestResumeIsExact trains two epochs with momentum in one go, and one
// epoch plus a resumed second epoch: the optimizer state saved beside the
// checkpoint makes the two runs end with identical weights.
func TestResumeIsExact(t *testing.T) {
	base := Config{Model: "mlp", Optimizer: "momentum", LR: 0.05, MaxTrain: 600, ValSize: 100}
	whole := base
	whole.Epochs, whole.OutDir = 2, t.TempDir()
	a, err := Run(context.Background(), whole)
	if err != nil {
		t.Fatal(err)
	}
	first := base
	first.Epochs, first.OutDir = 1, t.TempDir()
	if _, err := Run(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	second := base
	second.Epochs, second.OutDir, second.Log = 2, first.OutDir, &log
	second.Resume = filepath.Join(first.OutDir, CheckpointName)
	b, err := Run(context.Background(), second)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "restored the optimizer state of epoch 1") {
		t.Fatalf("log:\n%s", log.String())
	}
	for i, p := range a.Model.Params() {
		pa, pb := p.Tensor.Values(), b.Model.Params()[i].Tensor.Values()
		for j := range pa {
			if pa[j] != pb[j] {
				t.Fatalf("%s[%d]: %v uninterrupted, %v resumed", p.Name, j, pa[j], pb[j])
			}
		}
	}
}
