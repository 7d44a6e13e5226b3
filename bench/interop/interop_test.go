// Package interop holds the checks that models move between duboko and
// other engines (PyTorch, ONNX Runtime). The scripts beside this file run the
// engines; this test needs only Go: it loads a PyTorch state dict converted
// by torch_to_safetensors.py (fixture written by torch_fixture.py).
package interop

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func TestLoadConvertedPyTorchStateDict(t *testing.T) {
	var fix struct {
		InputShape  []int     `json:"input_shape"`
		Input       []float32 `json:"input"`
		OutputShape []int     `json:"output_shape"`
		Output      []float32 `json:"output"`
	}
	raw, err := os.ReadFile("testdata/torch_small.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &fix); err != nil {
		t.Fatal(err)
	}
	// The same architecture as torch.nn.Sequential(Conv2d(1,2,3), BatchNorm2d(2),
	// ReLU(), Flatten(), Linear(32,3)): layers named 0…4 as in PyTorch.
	rng := tensor.NewRand(1)
	bn := nn.NewBatchNorm2d(2)
	m := nn.NewSequential(nn.NewConv2d(rng, 1, 2, 3), bn, nn.NewReLU(), nn.NewFlatten(), nn.NewLinear(rng, 32, 3))
	meta, err := nn.Load("testdata/torch_small.safetensors", m)
	if err != nil {
		t.Fatal(err)
	}
	if meta["source"] == "" {
		t.Errorf("metadata %v lacks the converter's source entry", meta)
	}
	if got := bn.NumBatchesTracked.Int64s(); len(got) != 1 || got[0] != 3 {
		t.Errorf("num_batches_tracked %v, want 3 as PyTorch counted", got)
	}
	m.SetTraining(false)
	var y *tensor.Tensor
	tensor.NoGrad(func() { y = m.Forward(tensor.FromFloat32(fix.Input, fix.InputShape...)) })
	if !slices.Equal(y.Shape(), fix.OutputShape) {
		t.Fatalf("output shape %v, PyTorch %v", y.Shape(), fix.OutputShape)
	}
	for i, v := range y.Float32s() {
		if d := math.Abs(float64(v - fix.Output[i])); d > 1e-5*(1+math.Abs(float64(fix.Output[i]))) {
			t.Errorf("output %d: duboko %g, PyTorch %g", i, v, fix.Output[i])
		}
	}
}

// TestLoadPyTorchSSTGRU loads the state dict of the lab's SST GRU classifier
// built and initialised in PyTorch (torch_sst_fixture.py, converted by
// torch_to_safetensors.py) into models.NewSST("gru", ...) and compares the
// logits with PyTorch's, over whole rows and with sentence lengths
// (PyTorch's pack_padded_sequence).
func TestLoadPyTorchSSTGRU(t *testing.T) {
	var fix struct {
		Vocab, Dim    int
		IDsShape      []int     `json:"ids_shape"`
		IDs           []int64   `json:"ids"`
		Lengths       []int64   `json:"lengths"`
		Logits        []float32 `json:"logits"`
		LogitsLengths []float32 `json:"logits_lengths"`
	}
	raw, err := os.ReadFile("testdata/torch_sst_gru.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &fix); err != nil {
		t.Fatal(err)
	}
	m, err := models.NewSST("gru", tensor.NewRand(1), fix.Vocab, fix.Dim)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nn.Load("testdata/torch_sst_gru.safetensors", m); err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	ids := tensor.FromInt64(fix.IDs, fix.IDsShape...)
	lengths := tensor.FromInt64(fix.Lengths, len(fix.Lengths))
	for _, c := range []struct {
		what    string
		lengths *tensor.Tensor
		want    []float32
	}{{"whole rows", nil, fix.Logits}, {"with lengths", lengths, fix.LogitsLengths}} {
		var y *tensor.Tensor
		tensor.NoGrad(func() { y = m.ForwardText(ids, c.lengths) })
		got := y.Float32s()
		if len(got) != len(c.want) {
			t.Fatalf("%s: %d logits, PyTorch %d", c.what, len(got), len(c.want))
		}
		var maxRef float64
		for _, v := range c.want {
			maxRef = max(maxRef, math.Abs(float64(v)))
		}
		var maxDiff float64
		for i := range got {
			d := math.Abs(float64(got[i] - c.want[i]))
			maxDiff = max(maxDiff, d)
			if d > 1e-4*maxRef {
				t.Errorf("%s: logit %d: duboko %g, PyTorch %g", c.what, i, got[i], c.want[i])
			}
		}
		t.Logf("%s: max |duboko − PyTorch| = %.3g, relative to the largest logit %.3g", c.what, maxDiff, maxDiff/maxRef)
	}
}
