package safetensors

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestOpenReadsHeaderOnly(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.safetensors")
	ts := []Tensor{Float32("b", []int{2}, []float32{1, 2}), Float32("a", []int{2, 2}, []float32{3, 4, 5, 6})}
	if err := WriteFile(p, ts, map[string]string{"epoch": "3"}); err != nil {
		t.Fatal(err)
	}
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Metadata["epoch"] != "3" || len(r.Tensors) != 2 {
		t.Fatalf("metadata %v, tensors %v", r.Metadata, r.Tensors)
	}
	info, ok := r.Info("a")
	if !ok || !slices.Equal(info.Shape, []int{2, 2}) || info.Size != 16 {
		t.Fatalf("info %+v", info)
	}
	a, err := r.Read("a")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := a.AsFloat32()
	if !slices.Equal(v, []float32{3, 4, 5, 6}) {
		t.Fatalf("read %v", v)
	}
	// The tensors are stored in name order: b's data starts 16 bytes after
	// a's, so b is read from a non-zero offset into the data.
	b, err := r.Read("b")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := b.AsFloat32(); !slices.Equal(v, []float32{1, 2}) {
		t.Fatalf("read b %v", v)
	}
	ia, _ := r.Info("a")
	if ib, _ := r.Info("b"); ib.Offset != ia.Offset+16 {
		t.Errorf("offsets a %d, b %d: want b 16 bytes after a", ia.Offset, ib.Offset)
	}
	if _, err := r.Read("zzz"); err == nil {
		t.Fatal("reading a missing tensor succeeded")
	}
}

// TestOpenHugeSparseTensor: a small header describing a 1 GiB tensor in a
// sparse file is opened without reading (or allocating) the tensor.
func TestOpenHugeSparseTensor(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sparse.safetensors")
	hdr := `{"big":{"dtype":"F32","shape":[268435456],"data_offsets":[0,1073741824]}}`
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(hdr)))
	f.Write(n[:])
	f.WriteString(hdr)
	if err := f.Truncate(int64(8 + len(hdr) + 1<<30)); err != nil {
		t.Skip("no sparse files here:", err)
	}
	f.Close()
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if info, _ := r.Info("big"); info.Size != 1<<30 {
		t.Fatalf("info %+v", info)
	}
	// one byte short: rejected from the header and the size alone
	os.Truncate(p, int64(8+len(hdr)+1<<30-1))
	if _, err := Open(p); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("short file: %v", err)
	}
}
