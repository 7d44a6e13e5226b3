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
