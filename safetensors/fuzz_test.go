package safetensors

import (
	"bytes"
	"os"
	"reflect"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to Decode. It must never panic, and
// whatever it accepts must encode and decode again to the same tensors.
func FuzzDecode(f *testing.F) {
	for _, path := range []string{"testdata/torch_state.safetensors", "testdata/go_state.safetensors"} {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
	}
	var b bytes.Buffer
	Encode(&b, sample(), map[string]string{"k": "v"})
	f.Add(b.Bytes())
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0})
	f.Add(file(`{}`, nil))
	f.Add(file(`{"__metadata__":{"a":"b"}}`, nil))
	f.Add(file(`{"__metadata__":null}`, nil))
	f.Add(file(`{"t":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}`, []byte{0, 0x3c, 0, 0xbc}))
	f.Add(file(`{"t":{"dtype":"BF16","shape":[],"data_offsets":[0,2]}}`, []byte{0x80, 0x3f}))
	f.Add(file(`{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}`, []byte{1, 2, 3}))
	f.Add(file(`{"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}`, []byte{1, 2, 3, 4}))
	f.Add(file(`{"t":{"dtype":"I64","shape":[0,1],"data_offsets":[0,0]}}`, nil))

	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Decode(bytes.NewReader(data))
		if err != nil {
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("error %v is %T, not *FormatError", err, err)
			}
			return
		}
		for _, tn := range file.Tensors {
			// Conversions must not panic either.
			tn.AsFloat32()
			tn.AsFloat64()
			tn.AsInt64()
		}
		var out bytes.Buffer
		if err := Encode(&out, file.Tensors, file.Metadata); err != nil {
			// Decode accepts empty names, which Encode refuses.
			if _, ok := file.Get(""); ok {
				return
			}
			t.Fatalf("decoded file does not encode: %v", err)
		}
		again, err := Decode(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("re-encoded file does not decode: %v", err)
		}
		if len(again.Tensors) != len(file.Tensors) || !reflect.DeepEqual(again.Metadata, file.Metadata) {
			t.Fatalf("round trip changed the file: %v / %v", again.Names(), file.Names())
		}
		for _, want := range file.Tensors {
			got, ok := again.Get(want.Name)
			if !ok || got.DType != want.DType || !reflect.DeepEqual(append([]int{}, got.Shape...), append([]int{}, want.Shape...)) || !bytes.Equal(got.Data, want.Data) {
				t.Fatalf("round trip changed tensor %q", want.Name)
			}
		}
	})
}

// BenchmarkDecode4MB decodes a file holding one 4 MB F32 tensor.
func BenchmarkDecode4MB(b *testing.B) {
	var buf bytes.Buffer
	Encode(&buf, []Tensor{Float32("w", []int{1024, 1024}, make([]float32, 1<<20))}, nil)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncode4MB encodes one 4 MB F32 tensor.
func BenchmarkEncode4MB(b *testing.B) {
	ts := []Tensor{Float32("w", []int{1024, 1024}, make([]float32, 1<<20))}
	b.SetBytes(4 << 20)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Encode(&buf, ts, nil); err != nil {
			b.Fatal(err)
		}
	}
}
