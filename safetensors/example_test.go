package safetensors_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/duboko/duboko/safetensors"
)

// Save a small model's parameters under PyTorch's state-dict names, so that
// torch's safetensors.torch.load_file and Module.load_state_dict read them.
func ExampleWriteFile() {
	dir, err := os.MkdirTemp("", "duboko-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")

	tensors := []safetensors.Tensor{
		// nn.Linear(3, 2): weight is [out, in].
		safetensors.Float32("fc.weight", []int{2, 3}, []float32{1, 2, 3, 4, 5, 6}),
		safetensors.Float32("fc.bias", []int{2}, []float32{0.5, -0.5}),
		// BatchNorm's step counter is an int64 scalar in PyTorch.
		safetensors.Int64("bn.num_batches_tracked", []int{}, []int64{100}),
	}
	if err := safetensors.WriteFile(path, tensors, map[string]string{"format": "pt"}); err != nil {
		log.Fatal(err)
	}

	f, err := safetensors.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range f.Tensors {
		fmt.Println(t.Name, t.DType, t.Shape, len(t.Data), "bytes")
	}
	// Output:
	// bn.num_batches_tracked I64 [] 8 bytes
	// fc.bias F32 [2] 8 bytes
	// fc.weight F32 [2 3] 24 bytes
}

// Read a state dict that PyTorch saved (see testdata/gen.py) and convert a
// tensor to float32.
func ExampleReadFile() {
	f, err := safetensors.ReadFile("testdata/torch_state.safetensors")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("format:", f.Metadata["format"])
	w, ok := f.Get("conv.weight")
	if !ok {
		log.Fatal("no conv.weight")
	}
	v, err := w.AsFloat32()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(w.Name, w.DType, w.Shape, len(v), "values")
	steps, _ := f.Get("bn.num_batches_tracked")
	n, _ := steps.AsInt64()
	fmt.Println("bn steps:", n[0])
	// Output:
	// format: pt
	// conv.weight F32 [2 1 3 3] 18 values
	// bn steps: 1
}

// A damaged file gives an error that names the file, the tensor and the
// problem.
func ExampleReadFile_error() {
	dir, err := os.MkdirTemp("", "duboko-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "bad.safetensors")
	header := `{"fc.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}`
	data := append([]byte{byte(len(header)), 0, 0, 0, 0, 0, 0, 0}, header...)
	data = append(data, make([]byte, 20)...)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		log.Fatal(err)
	}
	_, err = safetensors.ReadFile(path)
	fmt.Println(err != nil)
	fmt.Println(err.(*safetensors.FormatError).Tensor, "-", err.(*safetensors.FormatError).Reason)
	// Output:
	// true
	// fc.weight - F32 shape [2 3] needs 24 bytes, but data_offsets [0, 20] give 20
}
