package safetensors_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/duboko/duboko/safetensors"
)

// TestDTypeSizes pins every element size to the Go type of the same
// layout (complex64 is two float32: 8 bytes, as in the reference
// implementation and torch.complex64), so that a wrong entry in the table
// cannot pass unnoticed.
func TestDTypeSizes(t *testing.T) {
	want := map[safetensors.DType]uintptr{
		safetensors.BOOL:   unsafe.Sizeof(false),
		safetensors.U8:     unsafe.Sizeof(uint8(0)),
		safetensors.I8:     unsafe.Sizeof(int8(0)),
		safetensors.F8E5M2: 1,
		safetensors.F8E4M3: 1,
		safetensors.F8E8M0: 1,
		safetensors.I16:    unsafe.Sizeof(int16(0)),
		safetensors.U16:    unsafe.Sizeof(uint16(0)),
		safetensors.F16:    unsafe.Sizeof(uint16(0)),
		safetensors.BF16:   unsafe.Sizeof(uint16(0)),
		safetensors.I32:    unsafe.Sizeof(int32(0)),
		safetensors.U32:    unsafe.Sizeof(uint32(0)),
		safetensors.F32:    unsafe.Sizeof(float32(0)),
		safetensors.C64:    unsafe.Sizeof(complex64(0)),
		safetensors.F64:    unsafe.Sizeof(float64(0)),
		safetensors.I64:    unsafe.Sizeof(int64(0)),
		safetensors.U64:    unsafe.Sizeof(uint64(0)),
	}
	for d, size := range want {
		if !d.Valid() || d.Size() != int(size) {
			t.Errorf("%s: Valid %v, Size %d, want %d", d, d.Valid(), d.Size(), size)
		}
	}
	for _, d := range []safetensors.DType{"C128", "F4", "f32", ""} {
		if d.Valid() || d.Size() != 0 {
			t.Errorf("%q: Valid %v, Size %d, want unknown", d, d.Valid(), d.Size())
		}
	}
}

// TestC64RoundTrip writes and reads a complex64 tensor: two elements are
// 16 bytes, and a header that gives them 8 or 32 bytes is refused.
func TestC64RoundTrip(t *testing.T) {
	data := make([]byte, 16)
	for i, v := range []complex64{complex(1, -2), complex(0.5, 3)} {
		binary.LittleEndian.PutUint32(data[8*i:], math.Float32bits(real(v)))
		binary.LittleEndian.PutUint32(data[8*i+4:], math.Float32bits(imag(v)))
	}
	var buf bytes.Buffer
	if err := safetensors.Encode(&buf, []safetensors.Tensor{{Name: "z", DType: safetensors.C64, Shape: []int{2}, Data: data}}, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"z":{"dtype":"C64","shape":[2],"data_offsets":[0,16]}`) {
		t.Fatalf("header: %q", buf.String())
	}
	f, err := safetensors.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if z, ok := f.Get("z"); !ok || !bytes.Equal(z.Data, data) {
		t.Fatalf("read back %+v", z)
	}
	for _, n := range []int{8, 32} {
		err := safetensors.Encode(&bytes.Buffer{}, []safetensors.Tensor{{Name: "z", DType: safetensors.C64, Shape: []int{2}, Data: make([]byte, n)}}, nil)
		if err == nil {
			t.Errorf("encoding 2 complex64 values in %d bytes: no error", n)
		}
		if _, err := safetensors.Decode(bytes.NewReader(rawFile(`{"z":{"dtype":"C64","shape":[2],"data_offsets":[0,`+strconv.Itoa(n)+`]}}`, n))); err == nil {
			t.Errorf("decoding 2 complex64 values stored in %d bytes: no error", n)
		}
	}
}

// rawFile builds a safetensors file from a header and n zero data bytes.
func rawFile(header string, n int) []byte {
	for len(header)%8 != 0 {
		header += " "
	}
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	out = append(out, header...)
	return append(out, make([]byte, n)...)
}
