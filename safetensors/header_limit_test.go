package safetensors_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/duboko/duboko/safetensors"
)

// TestHeaderLengthLimit: a header of exactly MaxHeaderSize bytes is
// allowed (this one is then cut short), one byte more is refused.
func TestHeaderLengthLimit(t *testing.T) {
	for _, c := range []struct {
		n    uint64
		want string
	}{
		{safetensors.MaxHeaderSize, "truncated"},
		{safetensors.MaxHeaderSize + 1, "exceeds the limit"},
	} {
		_, err := safetensors.Decode(bytes.NewReader(binary.LittleEndian.AppendUint64(nil, c.n)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("header length %d: %v, want an error saying %q", c.n, err, c.want)
		}
	}
}

// TestNoTensorData: a file whose header (metadata only, no tensors) ends
// exactly at the end of the file is complete, read from disk (size known)
// or from a stream.
func TestNoTensorData(t *testing.T) {
	path := t.TempDir() + "/meta.safetensors"
	if err := safetensors.WriteFile(path, nil, map[string]string{"epoch": "3"}); err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.ReadFile(path)
	if err != nil || len(f.Tensors) != 0 || f.Metadata["epoch"] != "3" {
		t.Fatalf("ReadFile: %+v, %v", f, err)
	}
}

// TestLargeHeaderStream decodes, from a stream that hands out a few bytes
// at a time, a file whose header (1.5 MB of metadata) and data both exceed
// the 1 MiB reading chunk.
func TestLargeHeaderStream(t *testing.T) {
	meta := map[string]string{"history": strings.Repeat("x", 3<<19)}
	data := make([]byte, 3<<19)
	for i := range data {
		data[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	if err := safetensors.Encode(&buf, []safetensors.Tensor{{Name: "b", DType: safetensors.U8, Shape: []int{len(data)}, Data: data}}, meta); err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.Decode(iotest.HalfReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := f.Get("b"); !ok || !bytes.Equal(b.Data, data) || f.Metadata["history"] != meta["history"] {
		t.Fatal("large header or data read back wrong")
	}
}

// TestDataSizeLimit: tensor data may reach math.MaxInt bytes (this file is
// then cut short); one byte more is refused before anything is read.
func TestDataSizeLimit(t *testing.T) {
	const max = "9223372036854775807"
	for _, c := range []struct {
		header, want string
	}{
		{`{"a":{"dtype":"U8","shape":[` + max + `],"data_offsets":[0,` + max + `]}}`, "truncated"},
		{`{"a":{"dtype":"U8","shape":[` + max + `],"data_offsets":[0,` + max + `]},"b":{"dtype":"U8","shape":[1],"data_offsets":[` + max + `,9223372036854775808]}}`, "too large"},
	} {
		_, err := safetensors.Decode(bytes.NewReader(rawFile(c.header, 0)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.header, err, c.want)
		}
	}
}

// TestU64ToInt64Limit: a U64 value of math.MaxInt64 converts, one more
// does not.
func TestU64ToInt64Limit(t *testing.T) {
	data := binary.LittleEndian.AppendUint64(nil, math.MaxInt64)
	got, err := safetensors.Tensor{Name: "u", DType: safetensors.U64, Shape: []int{1}, Data: data}.AsInt64()
	if err != nil || got[0] != math.MaxInt64 {
		t.Fatalf("MaxInt64: %v, %v", got, err)
	}
	data = binary.LittleEndian.AppendUint64(nil, math.MaxInt64+1)
	if _, err := (safetensors.Tensor{Name: "u", DType: safetensors.U64, Shape: []int{1}, Data: data}).AsInt64(); err == nil {
		t.Fatal("MaxInt64+1 converted")
	}
}
