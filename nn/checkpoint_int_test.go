package nn_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
)

// fcBN is the architecture of testdata/gen_checkpoint.py: Linear(3, 4)
// then BatchNorm1d(4), named as in the PyTorch state dict.
func fcBN(seed uint64) *nn.Sequential {
	s := &nn.Sequential{}
	s.Add("fc", nn.NewLinear(tensor.NewRand(seed), 3, 4))
	s.Add("bn", nn.NewBatchNorm1d(4))
	return s
}

func batchesTracked(s *nn.Sequential) int64 {
	return s.Layers[1].(*nn.BatchNorm).NumBatchesTracked.Int64s()[0]
}

// TestLoadTorchCheckpoint loads a state dict written by PyTorch, with its
// int64 num_batches_tracked, and checks the model's evaluation output
// against PyTorch's.
func TestLoadTorchCheckpoint(t *testing.T) {
	var ref struct {
		X, Y              []float64
		NumBatchesTracked int64 `json:"num_batches_tracked"`
	}
	b, err := os.ReadFile("testdata/checkpoint_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	m := fcBN(1)
	if _, err := nn.Load("testdata/checkpoint_torch.safetensors", m); err != nil {
		t.Fatal(err)
	}
	if got := batchesTracked(m); got != ref.NumBatchesTracked || got != 3 {
		t.Fatalf("num_batches_tracked %d, want %d", got, ref.NumBatchesTracked)
	}
	m.SetTraining(false)
	y := m.Forward(tensor.FromValues(tensor.Float32, ref.X, 2, 3))
	agree(t, "eval output", y.Values(), ref.Y, 1e-5)
}

func TestCheckpointInt64RoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	a := fcBN(1)
	a.Forward(tensor.RandN(tensor.NewRand(2), 5, 3))
	a.Forward(tensor.RandN(tensor.NewRand(3), 5, 3))
	if got := batchesTracked(a); got != 2 {
		t.Fatalf("num_batches_tracked %d after two training steps", got)
	}
	big := int64(1)<<62 + 1 // not representable in float64: must survive exactly
	a.Layers[1].(*nn.BatchNorm).NumBatchesTracked.Int64s()[0] = big
	if err := nn.Save(path, a, nil); err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := f.Get("bn.num_batches_tracked"); !ok || st.DType != safetensors.I64 || len(st.Shape) != 0 {
		t.Fatalf("num_batches_tracked stored as %v %v (present %v), want I64 []", st.DType, st.Shape, ok)
	}
	b := fcBN(2)
	if _, err := nn.Load(path, b); err != nil {
		t.Fatal(err)
	}
	if got := batchesTracked(b); got != big {
		t.Fatalf("num_batches_tracked %d, want %d", got, big)
	}
	for i, p := range nn.StateDict(a) {
		closeTo(t, p.Name, nn.StateDict(b)[i].Tensor.Values(), p.Tensor.Values())
	}

	// nn.To converts float tensors only
	nn.To(b, tensor.Float64)
	if dt := b.Layers[1].(*nn.BatchNorm).NumBatchesTracked.DType(); dt != tensor.Int64 {
		t.Fatalf("nn.To changed num_batches_tracked to %v", dt)
	}
	if dt := b.Layers[1].(*nn.BatchNorm).RunningMean.DType(); dt != tensor.Float64 {
		t.Fatalf("nn.To left running_mean %v", dt)
	}
}

func TestCheckpointIntegerFromFloatFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	m := fcBN(1)
	var ts []safetensors.Tensor
	for _, p := range nn.StateDict(m) {
		v := p.Tensor.Values()
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		ts = append(ts, safetensors.Float32(p.Name, p.Tensor.Shape(), f))
	}
	if err := safetensors.WriteFile(path, ts, nil); err != nil {
		t.Fatal(err)
	}
	_, err := nn.Load(path, m)
	var ce *nn.CheckpointError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), `"bn.num_batches_tracked"`) || !strings.Contains(err.Error(), "cannot read F32 as int64") {
		t.Fatalf("got %v", err)
	}
}

// TestCheckpointWithoutBatchCount loads a file written before
// num_batches_tracked was stored: like PyTorch, the count becomes 0.
func TestCheckpointWithoutBatchCount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	m := fcBN(1)
	m.Forward(tensor.RandN(tensor.NewRand(2), 5, 3))
	var ts []safetensors.Tensor
	for _, p := range nn.StateDict(m) {
		if p.Tensor.DType() == tensor.Float32 {
			ts = append(ts, safetensors.Float32(p.Name, p.Tensor.Shape(), p.Tensor.Float32s()))
		}
	}
	if err := safetensors.WriteFile(path, ts, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := nn.Load(path, m); err != nil {
		t.Fatal(err)
	}
	if got := batchesTracked(m); got != 0 {
		t.Fatalf("num_batches_tracked %d, want 0", got)
	}
}
