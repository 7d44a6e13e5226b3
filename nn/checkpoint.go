package nn

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
)

// Save writes m's state dict (parameters and buffers, with PyTorch names
// and layouts) to a safetensors file atomically, with optional metadata.
// Float32, Float64 and Int64 tensors are stored as F32, F64 and I64.
// torch.nn.Module.load_state_dict accepts the result of
// safetensors.torch.load_file on it.
func Save(path string, m Module, metadata map[string]string) error {
	var ts []safetensors.Tensor
	for _, p := range StateDict(m) {
		t := p.Tensor
		switch t.DType() {
		case tensor.Float32:
			ts = append(ts, safetensors.Float32(p.Name, t.Shape(), t.Float32s()))
		case tensor.Float64:
			ts = append(ts, safetensors.Float64(p.Name, t.Shape(), t.Float64s()))
		case tensor.Int64:
			ts = append(ts, safetensors.Int64(p.Name, t.Shape(), t.Int64s()))
		default:
			return &CheckpointError{path, fmt.Sprintf("tensor %q has dtype %v, which checkpoints do not store", p.Name, t.DType())}
		}
	}
	return safetensors.WriteFile(path, ts, metadata)
}

// CheckpointError reports a checkpoint that does not fit a model.
type CheckpointError struct {
	Path string
	Msg  string
}

func (e *CheckpointError) Error() string { return fmt.Sprintf("checkpoint %s: %s", e.Path, e.Msg) }

// Load reads a safetensors state dict into m's parameters and buffers. Every
// tensor of m must be present with the same shape; extra tensors in the file
// are an error too, so a checkpoint of another architecture is rejected with
// the name and shapes of the first mismatch. Values are converted to the
// tensor's dtype: float tensors read float files (F32, F64, F16, BF16),
// Int64 tensors read integer files (I64 and narrower integers) exactly. On
// error m is left unchanged. It returns the file's metadata. As in
// PyTorch, a BatchNorm's num_batches_tracked may be absent (files written
// before it was stored); it is then set to 0.
func Load(path string, m Module) (map[string]string, error) {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, err
	}
	state := StateDict(m)
	vals := make([]*tensor.Tensor, len(state))
	want := map[string]bool{}
	for i, p := range state {
		want[p.Name] = true
		t, ok := f.Get(p.Name)
		if !ok && strings.HasSuffix(p.Name, "num_batches_tracked") && p.Tensor.DType() == tensor.Int64 {
			// PyTorch's BatchNorm loads checkpoints that predate this
			// buffer with the count set to 0; so does duboko.
			vals[i] = tensor.ZerosLike(p.Tensor)
			continue
		}
		if !ok {
			return nil, &CheckpointError{path, fmt.Sprintf("missing tensor %q (model shape %v); the file has %s", p.Name, p.Tensor.Shape(), list(f.Names()))}
		}
		if !slices.Equal(t.Shape, p.Tensor.Shape()) {
			return nil, &CheckpointError{path, fmt.Sprintf("tensor %q has shape %v in the file but %v in the model (another architecture?)", p.Name, t.Shape, p.Tensor.Shape())}
		}
		v, err := fileTensor(t, p.Tensor.DType())
		if err != nil {
			return nil, &CheckpointError{path, fmt.Sprintf("tensor %q: %v", p.Name, err)}
		}
		vals[i] = v
	}
	var extra []string
	for _, n := range f.Names() {
		if !want[n] {
			extra = append(extra, n)
		}
	}
	if len(extra) > 0 {
		return nil, &CheckpointError{path, fmt.Sprintf("unexpected tensors %s not in the model (another architecture?)", list(extra))}
	}
	for i, p := range state {
		p.Tensor.CopyFrom(vals[i])
	}
	return f.Metadata, nil
}

// fileTensor reads a file's tensor for a model tensor of dtype dt.
func fileTensor(t safetensors.Tensor, dt tensor.DType) (*tensor.Tensor, error) {
	var x *tensor.Tensor
	if dt.IsFloat() {
		v, err := t.AsFloat64()
		if err != nil {
			return nil, err
		}
		x = tensor.FromFloat64(v)
	} else {
		v, err := t.AsInt64()
		if err != nil {
			return nil, err
		}
		x = tensor.FromInt64(v)
	}
	return tensor.Reshape(x, t.Shape...), nil // a scalar's shape is []
}

func list(names []string) string {
	names = append([]string(nil), names...)
	sort.Strings(names)
	if len(names) > 8 {
		names = append(names[:8], "...")
	}
	return "[" + strings.Join(names, " ") + "]"
}
