package safetensors_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/duboko/duboko/safetensors"
)

// Open checks a file's header and lists its tensors without reading their
// data; Read then reads one of them.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "st")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "m.safetensors")
	safetensors.WriteFile(path, []safetensors.Tensor{
		safetensors.Float32("fc.weight", []int{2, 3}, []float32{1, 2, 3, 4, 5, 6}),
		safetensors.Float32("fc.bias", []int{2}, []float32{7, 8}),
	}, map[string]string{"epoch": "3"})

	r, err := safetensors.Open(path)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	for _, t := range r.Tensors {
		fmt.Println(t.Name, t.DType, t.Shape, t.Size, "bytes")
	}
	b, _ := r.Read("fc.bias")
	v, _ := b.AsFloat32()
	fmt.Println("epoch", r.Metadata["epoch"], "bias", v)
	// Output:
	// fc.bias F32 [2] 8 bytes
	// fc.weight F32 [2 3] 24 bytes
	// epoch 3 bias [7 8]
}
