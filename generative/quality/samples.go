package quality

import (
	"fmt"
	"sort"
	"strings"

	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
)

// SamplesTensor is the name of the tensor in a samples file when the file
// holds more than one.
const SamplesTensor = "samples"

// MaxSamples bounds the images ReadSamples accepts (313 MB of float32).
const MaxSamples = 100_000

// ReadSamples reads images to score from the safetensors file at path: one
// tensor of shape [N, 1, 28, 28] or [N, 784] (float32; F64, F16 and BF16
// are converted) with values in [0, 1], named "samples" if the file holds
// several. PyTorch writes such a file with
//
//	safetensors.torch.save_file({"samples": x.float().contiguous()}, "samples.safetensors")
//
// for x of shape [N, 1, 28, 28] in [0, 1] (for a tanh generator,
// x = (G(z) + 1) / 2). The header is checked before any data is read.
func ReadSamples(path string) (*tensor.Tensor, error) {
	r, err := safetensors.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	names := r.Names()
	name := SamplesTensor
	if len(names) == 1 {
		name = names[0]
	}
	info, ok := r.Info(name)
	if !ok {
		sort.Strings(names)
		return nil, fmt.Errorf("%s: %d tensors [%s] and none named %q; save the images as one tensor", path, len(names), strings.Join(names, " "), SamplesTensor)
	}
	sh := info.Shape
	shapeOK := len(sh) == 2 && sh[1] == 784 || len(sh) == 4 && sh[1] == 1 && sh[2] == 28 && sh[3] == 28
	if !shapeOK || sh[0] < 2 {
		return nil, fmt.Errorf("%s: tensor %q has shape %v; want [N, 1, 28, 28] or [N, 784] with N ≥ 2", path, name, sh)
	}
	if sh[0] > MaxSamples {
		return nil, fmt.Errorf("%s: %d images; at most %d are scored", path, sh[0], MaxSamples)
	}
	t, err := r.Read(name)
	if err != nil {
		return nil, err
	}
	v, err := t.AsFloat32()
	if err != nil {
		return nil, fmt.Errorf("%s: tensor %q: %v", path, name, err)
	}
	x := tensor.FromFloat32(v, sh...)
	if _, err := asImages(x); err != nil {
		return nil, fmt.Errorf("%s: %v", path, strings.TrimPrefix(err.Error(), "quality: "))
	}
	return x, nil
}

// WriteSamples writes the images x ([N, 1, 28, 28] or [N, 784], values in
// [0, 1]) to path as ReadSamples reads them: one float32 tensor named
// "samples", written atomically.
func WriteSamples(path string, x *tensor.Tensor) error {
	x, err := asImages(x)
	if err != nil {
		return err
	}
	return safetensors.WriteFile(path, []safetensors.Tensor{
		safetensors.Float32(SamplesTensor, x.Shape(), x.Float32s())}, nil)
}
