package safetensors

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/go_state.* from the Go encoder")

// expected is the JSON that testdata/gen.py writes beside its safetensors
// file: each tensor's dtype, shape and flat values.
type expected struct {
	Metadata map[string]string `json:"metadata"`
	Tensors  map[string]struct {
		DType  DType     `json:"dtype"`
		Shape  []int     `json:"shape"`
		Values []float64 `json:"values"`
	} `json:"tensors"`
}

func loadExpected(t *testing.T, path string) expected {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var e expected
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return e
}

// checkAgainst compares a decoded file with the expected values exactly:
// float64 holds every F16, BF16 and F32 value without rounding.
func checkAgainst(t *testing.T, f *File, e expected) {
	t.Helper()
	if len(f.Tensors) != len(e.Tensors) {
		t.Errorf("got %d tensors %v, want %d", len(f.Tensors), f.Names(), len(e.Tensors))
	}
	if !reflect.DeepEqual(f.Metadata, e.Metadata) {
		t.Errorf("metadata = %v, want %v", f.Metadata, e.Metadata)
	}
	for name, want := range e.Tensors {
		got, ok := f.Get(name)
		if !ok {
			t.Errorf("tensor %q missing", name)
			continue
		}
		if got.DType != want.DType || !reflect.DeepEqual(append([]int{}, got.Shape...), append([]int{}, want.Shape...)) {
			t.Errorf("tensor %q: %s %v, want %s %v", name, got.DType, got.Shape, want.DType, want.Shape)
			continue
		}
		var vals []float64
		switch got.DType {
		case I64:
			ints, err := got.AsInt64()
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range ints {
				vals = append(vals, float64(v))
			}
		default:
			var err error
			if vals, err = got.AsFloat64(); err != nil {
				t.Fatal(err)
			}
		}
		if len(vals) != len(want.Values) {
			t.Errorf("tensor %q: %d values, want %d", name, len(vals), len(want.Values))
			continue
		}
		for i := range vals {
			if vals[i] != want.Values[i] && !(math.IsNaN(vals[i]) && math.IsNaN(want.Values[i])) {
				t.Errorf("tensor %q [%d] = %v, want %v", name, i, vals[i], want.Values[i])
			}
		}
	}
}

// TestReadTorchFile reads a state dict saved by PyTorch (testdata/gen.py)
// and compares every value with the ones PyTorch printed.
func TestReadTorchFile(t *testing.T) {
	f, err := ReadFile("testdata/torch_state.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	checkAgainst(t, f, loadExpected(t, "testdata/torch_state.json"))

	// PyTorch layouts: Linear(3, 2) weight [out, in], Conv2d(1, 2, 3) weight
	// [out, in, kh, kw], BatchNorm's step counter an I64 scalar.
	for name, shape := range map[string][]int{"fc.weight": {2, 3}, "fc.bias": {2}, "conv.weight": {2, 1, 3, 3}, "conv.bias": {2}, "bn.num_batches_tracked": {}} {
		if tn, _ := f.Get(name); !reflect.DeepEqual(append([]int{}, tn.Shape...), shape) {
			t.Errorf("%s shape %v, want %v", name, tn.Shape, shape)
		}
	}
}

// TestEncodeMatchesTorchFile re-encodes the PyTorch-made file and expects the
// very same bytes: Encode lays files out as the reference writer does.
func TestEncodeMatchesTorchFile(t *testing.T) {
	want, err := os.ReadFile("testdata/torch_state.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	// Shuffle the input order: the output must not depend on it.
	ts := append([]Tensor{}, f.Tensors...)
	for i, j := 0, len(ts)-1; i < j; i, j = i+1, j-1 {
		ts[i], ts[j] = ts[j], ts[i]
	}
	var got bytes.Buffer
	if err := Encode(&got, ts, f.Metadata); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("Encode differs from the PyTorch-written file:\n got %q\nwant %q", got.Bytes()[:min(200, got.Len())], want[:min(200, len(want))])
	}
}

// goState is the state dict that duboko writes for PyTorch to read back
// (testdata/gen.py --check testdata/go_state.safetensors testdata/go_state.json).
func goState() ([]Tensor, map[string]string) {
	seq := func(n int, scale float64) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(i-n/2) * scale
		}
		return v
	}
	f32 := func(v []float64) []float32 {
		out := make([]float32, len(v))
		for i, x := range v {
			out[i] = float32(x)
		}
		return out
	}
	return []Tensor{
		Float32("fc1.weight", []int{4, 3}, f32(seq(12, 0.125))),
		Float32("fc1.bias", []int{4}, f32(seq(4, 0.5))),
		Float32("conv1.weight", []int{2, 1, 3, 3}, f32(seq(18, 0.1))),
		Float32("conv1.bias", []int{2}, []float32{0.1, -0.2}),
		Float64("fc.weight", []int{2, 3}, []float64{math.Pi, -math.E, 1e-300, 1, 2, 3}),
		Float64("fc.bias", []int{2}, []float64{0.5, -0.5}),
		Int64("bn1.num_batches_tracked", []int{}, []int64{42}),
		Float32("bn1.running_mean", []int{2}, []float32{0, 1.5}),
	}, map[string]string{"format": "pt", "written_by": "duboko"}
}

// TestGoWrittenGolden keeps testdata/go_state.safetensors, a file written by
// this package and checked with PyTorch, equal to what Encode writes now.
// Run with -update to rewrite it and its expected values.
func TestGoWrittenGolden(t *testing.T) {
	tensors, meta := goState()
	var b bytes.Buffer
	if err := Encode(&b, tensors, meta); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "go_state.safetensors")
	if *update {
		if err := WriteFile(path, tensors, meta); err != nil {
			t.Fatal(err)
		}
		e := map[string]any{"metadata": meta}
		ts := map[string]any{}
		for _, tn := range tensors {
			var vals any
			if tn.DType == I64 {
				vals, _ = tn.AsInt64()
			} else {
				vals, _ = tn.AsFloat64()
			}
			ts[tn.Name] = map[string]any{"dtype": tn.DType, "shape": append([]int{}, tn.Shape...), "values": vals}
		}
		e["tensors"] = ts
		j, err := json.MarshalIndent(e, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "go_state.json"), append(j, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("Encode output differs from %s (run go test -run TestGoWrittenGolden -update, then check with testdata/gen.py --check)", path)
	}
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkAgainst(t, f, loadExpected(t, filepath.Join("testdata", "go_state.json")))
}
