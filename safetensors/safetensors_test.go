package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// file assembles a safetensors file from a header string and a data buffer,
// without any checking, for tests of malformed input.
func file(header string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(header)))
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

func encode(t *testing.T, tensors []Tensor, meta map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, tensors, meta); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sample() []Tensor {
	return []Tensor{
		Float32("fc.weight", []int{2, 3}, []float32{1, 2, 3, 4, 5, 6}),
		Float32("fc.bias", []int{2}, []float32{-0.5, 0.25}),
		Float64("double", []int{1, 2}, []float64{math.Pi, -math.E}),
		Int64("bn.num_batches_tracked", nil, []int64{7}),
		Float32("empty", []int{0, 3}, nil),
		{Name: "bytes", DType: U8, Shape: []int{3}, Data: []byte{1, 2, 255}},
		{Name: "half", DType: F16, Shape: []int{1}, Data: []byte{0x00, 0x3c}},
		{Name: "zero.scalar.dims", DType: I32, Shape: []int{2, 0}, Data: nil},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, meta := range []map[string]string{nil, {}, {"format": "pt", "epoch": "3", "<&>": "é"}} {
		in := sample()
		data := encode(t, in, meta)
		n := binary.LittleEndian.Uint64(data)
		if n%8 != 0 {
			t.Errorf("header length %d is not a multiple of 8", n)
		}
		f, err := Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(f.Metadata, meta) {
			t.Errorf("metadata = %#v, want %#v", f.Metadata, meta)
		}
		if len(f.Tensors) != len(in) {
			t.Fatalf("got %d tensors, want %d", len(f.Tensors), len(in))
		}
		for _, want := range in {
			got, ok := f.Get(want.Name)
			if !ok {
				t.Fatalf("tensor %q missing", want.Name)
			}
			if got.DType != want.DType || !slicesEqual(got.Shape, want.Shape) || !bytes.Equal(got.Data, want.Data) {
				t.Errorf("tensor %q = %v %v %v, want %v %v %v", want.Name, got.DType, got.Shape, got.Data, want.DType, want.Shape, want.Data)
			}
		}
		// Encoding the decoded file again gives the same bytes.
		if again := encode(t, f.Tensors, f.Metadata); !bytes.Equal(again, data) {
			t.Error("re-encoding changed the bytes")
		}
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestOrderAndAlignment(t *testing.T) {
	data := encode(t, sample(), map[string]string{"x": "y"})
	f, err := Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// The reference writer's order: decreasing dtype alignment, then name.
	want := []string{"bn.num_batches_tracked", "double", "empty", "fc.bias", "fc.weight", "zero.scalar.dims", "half", "bytes"}
	if got := f.Names(); !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	// With the header padded to 8 bytes, every tensor's data in the file is
	// aligned to its element size.
	off := 8 + int(binary.LittleEndian.Uint64(data))
	for _, tn := range f.Tensors {
		if off%tn.DType.Size() != 0 {
			t.Errorf("tensor %q at file offset %d is not %d-byte aligned", tn.Name, off, tn.DType.Size())
		}
		off += len(tn.Data)
	}
	if off != len(data) {
		t.Errorf("tensors end at %d, file has %d bytes", off, len(data))
	}
}

// The reference implementation's own serialization test vectors.
func TestEncodeReferenceVectors(t *testing.T) {
	le := func(v ...float32) []byte {
		b := make([]byte, 4*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
		}
		return b
	}
	cases := []struct {
		name    string
		tensors []Tensor
		meta    map[string]string
		want    []byte
	}{
		{"attn.0", []Tensor{Float32("attn.0", []int{1, 2, 3}, []float32{0, 1, 2, 3, 4, 5})}, nil,
			file(`{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}`, le(0, 1, 2, 3, 4, 5))},
		{"forced alignment", []Tensor{Float32("attn0", []int{1, 1, 2, 3}, []float32{0, 1, 2, 3, 4, 5})}, nil,
			file(`{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       `, le(0, 1, 2, 3, 4, 5))},
		{"empty", nil, nil, file(`{}      `, nil)},
		{"empty with metadata", nil, map[string]string{"framework": "pt"}, file(`{"__metadata__":{"framework":"pt"}}     `, nil)},
	}
	for _, c := range cases {
		if got := encode(t, c.tensors, c.meta); !bytes.Equal(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
		if _, err := Decode(bytes.NewReader(c.want)); err != nil {
			t.Errorf("%s: decode: %v", c.name, err)
		}
	}
}

func TestDecodeAnyKeyOrder(t *testing.T) {
	data := file(`{"b":{"data_offsets":[4,8],"shape":[1],"dtype":"F32","extra":[1,{"x":null}]},"__metadata__":{"k":"v"},"a":{"shape":[1],"dtype":"F32","data_offsets":[0,4]}}`,
		[]byte{0, 0, 128, 63, 0, 0, 0, 64})
	f, err := Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Names(); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("names = %v, want file order [a b]", got)
	}
	b, _ := f.Get("b")
	if v, err := b.AsFloat32(); err != nil || v[0] != 2 {
		t.Errorf("b = %v, %v", v, err)
	}
	if f.Metadata["k"] != "v" {
		t.Errorf("metadata = %v", f.Metadata)
	}
}

func TestDecodeErrors(t *testing.T) {
	f32 := []byte{0, 0, 128, 63}
	one := func(rec string) string { return `{"t":` + rec + `}` }
	cases := []struct {
		name string
		data []byte
		want string // substring of the error
	}{
		{"empty input", nil, "truncated: 0 bytes"},
		{"short length", []byte{1, 2, 3}, "truncated: 3 bytes"},
		{"huge header length", []byte{0, 0, 0, 0, 0, 0, 0, 1}, "exceeds the limit"},
		{"header past end", append([]byte{100, 0, 0, 0, 0, 0, 0, 0}, "{}"...), "header length is 100 but only 2"},
		{"not utf8", file("{\"\xff\":1}", nil), "not valid UTF-8"},
		{"not an object", file(`[1,2]`, nil), "expected a JSON object, found '['"},
		{"empty header", file(``, nil), "invalid header JSON: EOF"},
		{"null header", file(`null`, nil), "expected a JSON object, found null"},
		{"invalid json", file(`{"t":`, nil), "tensor \"t\""},
		{"trailing json", file(`{}{}`, nil), "unexpected data after"},
		{"trailing comma", file(`{"a":{"dtype":"U8","shape":[],"data_offsets":[0,1]},}`, []byte{1}), "invalid"},
		{"duplicate tensor", file(`{"t":{"dtype":"U8","shape":[],"data_offsets":[0,1]},"t":{"dtype":"U8","shape":[],"data_offsets":[1,2]}}`, []byte{1, 2}), `duplicate key "t"`},
		{"duplicate field", file(one(`{"dtype":"U8","dtype":"U8","shape":[],"data_offsets":[0,1]}`), []byte{1}), `duplicate key "dtype"`},
		{"unknown dtype", file(one(`{"dtype":"F128","shape":[1],"data_offsets":[0,16]}`), make([]byte, 16)), `tensor "t": unknown dtype "F128"`},
		{"lower-case dtype", file(one(`{"dtype":"f32","shape":[1],"data_offsets":[0,4]}`), f32), `unknown dtype "f32"`},
		{"dtype not string", file(one(`{"dtype":4,"shape":[1],"data_offsets":[0,4]}`), f32), "dtype 4 is not a string"},
		{"missing dtype", file(one(`{"shape":[1],"data_offsets":[0,4]}`), f32), `missing "dtype"`},
		{"missing shape", file(one(`{"dtype":"F32","data_offsets":[0,4]}`), f32), `missing "shape"`},
		{"missing offsets", file(one(`{"dtype":"F32","shape":[1]}`), f32), `missing "data_offsets"`},
		{"null shape", file(one(`{"dtype":"F32","shape":null,"data_offsets":[0,4]}`), f32), "shape null"},
		{"negative dim", file(one(`{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}`), f32), "shape [-1]"},
		{"fractional dim", file(one(`{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}`), f32), "shape [1.5]"},
		{"string dim", file(one(`{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}`), f32), `shape ["1"]`},
		{"overflowing shape", file(one(`{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}`), f32), "too large"},
		{"three offsets", file(one(`{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}`), f32), "not a pair"},
		{"negative offset", file(one(`{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}`), f32), "not a pair"},
		{"reversed offsets", file(one(`{"dtype":"F32","shape":[1],"data_offsets":[4,0]}`), f32), "end before they begin"},
		{"size mismatch", file(one(`{"dtype":"F32","shape":[2],"data_offsets":[0,4]}`), f32), "F32 shape [2] needs 8 bytes, but data_offsets [0, 4] give 4"},
		{"hole at start", file(one(`{"dtype":"F32","shape":[1],"data_offsets":[4,8]}`), append(f32, f32...)), "hole"},
		{"hole between", file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}}`, []byte{1, 2, 3}), `tensor "b": data_offsets [2, 3] leave bytes 1 to 2`},
		{"overlap", file(`{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}`, []byte{1, 2, 3}), `overlap tensor "a"`},
		{"same range twice", file(`{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}`, []byte{1, 2}), "overlap"},
		{"truncated data", file(one(`{"dtype":"F32","shape":[2],"data_offsets":[0,8]}`), f32), "only 4 follow"},
		{"huge claimed data", file(one(`{"dtype":"U8","shape":[1000000000000],"data_offsets":[0,1000000000000]}`), f32), "only 4 follow"},
		{"trailing data", file(one(`{"dtype":"F32","shape":[1],"data_offsets":[0,4]}`), append(f32, 0)), "unexpected bytes after"},
		{"metadata not object", file(`{"__metadata__":[1]}`, nil), "__metadata__: expected a JSON object"},
		{"metadata not strings", file(`{"__metadata__":{"epoch":3}}`, nil), `__metadata__: value of "epoch" is not a string`},
		{"metadata duplicate", file(`{"__metadata__":{"a":"1","a":"2"}}`, nil), `__metadata__: duplicate key "a"`},
		{"record not object", file(`{"t":[1]}`, nil), `tensor "t": expected a JSON object`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(bytes.NewReader(c.data))
			if err == nil {
				t.Fatalf("no error, want one containing %q", c.want)
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Errorf("error %v (%T) is not a *FormatError", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
		})
	}
}

func TestDecodeAccepts(t *testing.T) {
	cases := []struct {
		name string
		data []byte
	}{
		{"null metadata", file(`{"__metadata__":null}`, nil)},
		{"padding with spaces", file("{}   \n\t ", nil)},
		{"leading whitespace", file(" \n{}", nil)},
		{"zero-size tensors sharing an offset", file(`{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F64","shape":[3,0],"data_offsets":[0,0]},"c":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`, []byte{9})},
		{"scalar", file(`{"s":{"dtype":"I64","shape":[],"data_offsets":[0,8]}}`, make([]byte, 8))},
		{"empty name", file(`{"":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}`, []byte{1})},
	}
	for _, c := range cases {
		if _, err := Decode(bytes.NewReader(c.data)); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestReadFileErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	data := encode(t, sample(), nil)
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"truncated data", data[:len(data)-3], "truncated: the header describes 61 bytes of tensor data, but the file has 58"},
		{"truncated header", data[:20], "runs past the end of the 20-byte file"},
		{"extra bytes", append(append([]byte{}, data...), 0), "1 unexpected bytes after the 61 bytes"},
		{"bad dtype", file(`{"w":{"dtype":"X","shape":[1],"data_offsets":[0,1]}}`, []byte{1}), `tensor "w": unknown dtype "X"`},
	} {
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFile(path)
		if err == nil || !strings.Contains(err.Error(), path+": ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %s and containing %q", c.name, err, path, c.want)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.safetensors")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want os.ErrNotExist", err)
	}
}

func TestWriteFileReadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpt.safetensors")
	if err := WriteFile(path, sample(), map[string]string{"step": "10"}); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w, ok := f.Get("fc.weight")
	if !ok {
		t.Fatal("fc.weight missing")
	}
	if v, err := w.AsFloat32(); err != nil || !reflect.DeepEqual(v, []float32{1, 2, 3, 4, 5, 6}) {
		t.Errorf("fc.weight = %v, %v", v, err)
	}
	if _, ok := f.Get("nope"); ok {
		t.Error("Get found a tensor that is not there")
	}
	// A failing write leaves the old file in place.
	bad := []Tensor{{Name: "x", DType: F32, Shape: []int{2}, Data: []byte{1}}}
	if err := WriteFile(path, bad, nil); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("WriteFile with a bad tensor: %v", err)
	}
	if _, err := ReadFile(path); err != nil {
		t.Errorf("old file damaged: %v", err)
	}
}

func TestEncodeErrors(t *testing.T) {
	ok := Float32("a", []int{1}, []float32{1})
	cases := []struct {
		name    string
		tensors []Tensor
		meta    map[string]string
		want    string
	}{
		{"duplicate", []Tensor{ok, ok}, nil, `duplicate tensor name "a"`},
		{"empty name", []Tensor{{DType: U8, Shape: []int{1}, Data: []byte{1}}}, nil, "empty name"},
		{"reserved", []Tensor{{Name: "__metadata__", DType: U8, Shape: []int{1}, Data: []byte{1}}}, nil, "reserved"},
		{"unknown dtype", []Tensor{{Name: "x", DType: "F128", Shape: []int{1}, Data: make([]byte, 16)}}, nil, `tensor "x": unknown dtype "F128"`},
		{"short data", []Tensor{{Name: "x", DType: F32, Shape: []int{2, 2}, Data: make([]byte, 12)}}, nil, `tensor "x": F32 shape [2 2] needs 16 bytes, data has 12`},
		{"negative dim", []Tensor{{Name: "x", DType: F32, Shape: []int{-1}}}, nil, "negative"},
		{"bad utf8 name", []Tensor{{Name: "\xff", DType: U8, Shape: []int{}, Data: []byte{1}}}, nil, "UTF-8"},
		{"bad utf8 metadata", nil, map[string]string{"k": "\xff"}, "UTF-8"},
	}
	for _, c := range cases {
		var b bytes.Buffer
		err := Encode(&b, c.tensors, c.meta)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: wrote %d bytes despite the error", c.name, b.Len())
		}
	}
}

func TestConstructorsPanicOnLengthMismatch(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), `tensor "w": shape [2 3] needs 6 values, got 5`) {
			t.Errorf("panic = %v", r)
		}
	}()
	Float32("w", []int{2, 3}, make([]float32, 5))
}

func TestConversions(t *testing.T) {
	f16 := func(bits ...uint16) Tensor {
		b := make([]byte, 2*len(bits))
		for i, x := range bits {
			binary.LittleEndian.PutUint16(b[2*i:], x)
		}
		return Tensor{Name: "h", DType: F16, Shape: []int{len(bits)}, Data: b}
	}
	h := f16(0x3c00, 0xc000, 0x7bff, 0x0001, 0x0000, 0x8000, 0x7c00, 0xfc00, 0x3555)
	got, err := h.AsFloat32()
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{1, -2, 65504, 5.960464477539063e-08, 0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), 0.333251953125}
	for i := range want {
		if got[i] != want[i] || math.Signbit(float64(got[i])) != math.Signbit(float64(want[i])) {
			t.Errorf("f16 %d: got %v, want %v", i, got[i], want[i])
		}
	}
	if v, _ := f16(0x7e00).AsFloat32(); !math.IsNaN(float64(v[0])) {
		t.Errorf("f16 NaN: got %v", v[0])
	}
	bf := Tensor{Name: "b", DType: BF16, Shape: []int{2}, Data: []byte{0x80, 0x3f, 0x20, 0xc0}}
	if v, err := bf.AsFloat64(); err != nil || !reflect.DeepEqual(v, []float64{1, -2.5}) {
		t.Errorf("bf16 = %v, %v", v, err)
	}
	d := Float64("d", []int{2}, []float64{1.5, 1e300})
	if v, err := d.AsFloat32(); err != nil || v[0] != 1.5 || !math.IsInf(float64(v[1]), 1) {
		t.Errorf("f64 as f32 = %v, %v", v, err)
	}
	if _, err := Int64("i", []int{1}, []int64{1}).AsFloat32(); err == nil || !strings.Contains(err.Error(), `tensor "i": cannot read I64 as float32`) {
		t.Errorf("I64 as float32: %v", err)
	}
	if _, err := Int64("i", []int{1}, []int64{1}).AsFloat64(); err == nil {
		t.Error("I64 as float64: no error")
	}
	ints := []struct {
		t    Tensor
		want []int64
	}{
		{Int64("a", []int{2}, []int64{-3, 1 << 40}), []int64{-3, 1 << 40}},
		{Tensor{Name: "b", DType: I8, Shape: []int{2}, Data: []byte{0xff, 2}}, []int64{-1, 2}},
		{Tensor{Name: "c", DType: U8, Shape: []int{2}, Data: []byte{0xff, 2}}, []int64{255, 2}},
		{Tensor{Name: "d", DType: I16, Shape: []int{1}, Data: []byte{0xfe, 0xff}}, []int64{-2}},
		{Tensor{Name: "e", DType: U16, Shape: []int{1}, Data: []byte{0xfe, 0xff}}, []int64{65534}},
		{Tensor{Name: "f", DType: I32, Shape: []int{1}, Data: []byte{0xfd, 0xff, 0xff, 0xff}}, []int64{-3}},
		{Tensor{Name: "g", DType: U32, Shape: []int{1}, Data: []byte{0xfd, 0xff, 0xff, 0xff}}, []int64{1<<32 - 3}},
		{Tensor{Name: "h", DType: BOOL, Shape: []int{2}, Data: []byte{1, 0}}, []int64{1, 0}},
		{Tensor{Name: "k", DType: U64, Shape: []int{1}, Data: []byte{5, 0, 0, 0, 0, 0, 0, 0}}, []int64{5}},
	}
	for _, c := range ints {
		if v, err := c.t.AsInt64(); err != nil || !reflect.DeepEqual(v, c.want) {
			t.Errorf("%s %s: got %v, %v, want %v", c.t.Name, c.t.DType, v, err, c.want)
		}
	}
	big := Tensor{Name: "u", DType: U64, Shape: []int{1}, Data: []byte{0, 0, 0, 0, 0, 0, 0, 0x80}}
	if _, err := big.AsInt64(); err == nil {
		t.Error("U64 2^63 as int64: no error")
	}
	short := Tensor{Name: "s", DType: F32, Shape: []int{2}, Data: make([]byte, 4)}
	for _, err := range []error{errOf(short.AsFloat32()), errOf(short.AsFloat64()), errOf(Tensor{Name: "s", DType: I64, Shape: []int{2}}.AsInt64())} {
		if err == nil || !strings.Contains(err.Error(), `tensor "s"`) {
			t.Errorf("short data: %v", err)
		}
	}
}

func errOf[T any](_ T, err error) error { return err }

// TestLargeStream exercises the growing read of a large data buffer from a
// stream of unknown length, whole and cut short.
func TestLargeStream(t *testing.T) {
	v := make([]float32, 3<<20/4+5)
	for i := range v {
		v[i] = float32(i)
	}
	data := encode(t, []Tensor{Float32("big", []int{len(v)}, v)}, nil)
	f, err := Decode(onlyReader{bytes.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.Tensors[0].AsFloat32()
	if !reflect.DeepEqual(got, v) {
		t.Error("large tensor changed in a round trip")
	}
	if _, err := Decode(onlyReader{bytes.NewReader(data[:len(data)-1])}); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("cut stream: %v", err)
	}
}

// onlyReader hides every method but Read.
type onlyReader struct{ r *bytes.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }
