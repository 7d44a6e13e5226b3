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
// torch.nn.Module.load_state_dict accepts the result of
// safetensors.torch.load_file on it.
func Save(path string, m Module, metadata map[string]string) error {
	var ts []safetensors.Tensor
	for _, p := range StateDict(m) {
		t := p.Tensor
		if t.DType() == tensor.Float64 {
			ts = append(ts, safetensors.Float64(p.Name, t.Shape(), t.Float64s()))
		} else {
			ts = append(ts, safetensors.Float32(p.Name, t.Shape(), t.Float32s()))
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
// parameter's dtype. On error m is left unchanged. It returns the file's
// metadata.
func Load(path string, m Module) (map[string]string, error) {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, err
	}
	state := StateDict(m)
	vals := make([][]float64, len(state))
	want := map[string]bool{}
	for i, p := range state {
		want[p.Name] = true
		t, ok := f.Get(p.Name)
		if !ok {
			return nil, &CheckpointError{path, fmt.Sprintf("missing tensor %q (model shape %v); the file has %s", p.Name, p.Tensor.Shape(), list(f.Names()))}
		}
		if !slices.Equal(t.Shape, p.Tensor.Shape()) {
			return nil, &CheckpointError{path, fmt.Sprintf("tensor %q has shape %v in the file but %v in the model (another architecture?)", p.Name, t.Shape, p.Tensor.Shape())}
		}
		v, err := t.AsFloat64()
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
		p.Tensor.CopyFrom(tensor.FromFloat64(vals[i], p.Tensor.Shape()...))
	}
	return f.Metadata, nil
}

func list(names []string) string {
	names = append([]string(nil), names...)
	sort.Strings(names)
	if len(names) > 8 {
		names = append(names[:8], "...")
	}
	return "[" + strings.Join(names, " ") + "]"
}
