package nn_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func mlp(seed uint64, hidden int) *nn.Sequential {
	rng := tensor.NewRand(seed)
	s := &nn.Sequential{}
	s.Add("fc1", nn.NewLinear(rng, 4, hidden))
	s.Add("relu", nn.NewReLU())
	s.Add("fc2", nn.NewLinear(rng, hidden, 2))
	return s
}

func TestCheckpointRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	a, b := mlp(1, 8), mlp(2, 8)
	if err := nn.Save(path, a, map[string]string{"epoch": "3"}); err != nil {
		t.Fatal(err)
	}
	meta, err := nn.Load(path, b)
	if err != nil {
		t.Fatal(err)
	}
	if meta["epoch"] != "3" {
		t.Fatalf("metadata %v", meta)
	}
	for i, p := range a.Params() {
		q := b.Params()[i]
		if p.Name != q.Name {
			t.Fatalf("names %s %s", p.Name, q.Name)
		}
		closeTo(t, p.Name, q.Tensor.Values(), p.Tensor.Values())
	}
	if got := a.Params()[0].Name; got != "fc1.weight" {
		t.Fatalf("PyTorch-style name %q", got)
	}
}

func TestCheckpointOtherArchitecture(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := nn.Save(path, mlp(1, 8), nil); err != nil {
		t.Fatal(err)
	}
	other := mlp(2, 16)
	before := other.Params()[0].Tensor.Clone()
	_, err := nn.Load(path, other)
	var ce *nn.CheckpointError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), `"fc1.weight" has shape [8 4] in the file but [16 4]`) {
		t.Fatalf("got %v", err)
	}
	closeTo(t, "unchanged", other.Params()[0].Tensor.Values(), before.Values())

	s := &nn.Sequential{}
	s.Add("fc1", nn.NewLinear(tensor.NewRand(1), 4, 8))
	if _, err := nn.Load(path, s); err == nil || !strings.Contains(err.Error(), "unexpected tensors [fc2.bias fc2.weight]") {
		t.Fatalf("extra tensors: %v", err)
	}
	if err := os.WriteFile(path, []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := nn.Load(path, mlp(1, 8)); err == nil {
		t.Fatal("garbage file loaded")
	}
}
