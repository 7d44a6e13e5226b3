package idx

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestFileSizeCheckedBeforeReading: a raw file's size must be what its
// header declares, and a gzip file may not declare more than deflate can
// produce from its bytes; both are refused from the header alone.
func TestFileSizeCheckedBeforeReading(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	short := write("short", enc(Uint8, []uint32{1000, 28, 28}, seq(100)))
	long := write("long", append(enc(Uint8, []uint32{10}, seq(10)), 1, 2))
	// 2 GiB declared behind a gzip stream of a few dozen bytes: a bomb
	bomb := write("bomb.gz", gz(enc(Uint8, []uint32{2047, 1024, 1024}, nil)))
	for _, c := range []struct {
		path string
		kind error
		want string
	}{
		{short, ErrTruncated, "the file has 116 bytes, but its header declares 784016"},
		{long, ErrTrailing, "the file has 20 bytes, but its header declares 18"},
		{bomb, ErrDims, "more than a"},
	} {
		for _, read := range []func(string) error{
			func(p string) error { _, err := ReadFile(p); return err },
			func(p string) error { _, err := ReadHeader(p); return err },
		} {
			err := read(c.path)
			if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: got %v, want %v containing %q", filepath.Base(c.path), err, c.kind, c.want)
			}
		}
	}
	h, err := ReadHeader(write("ok", enc(Int16, []uint32{3, 2}, seq(12))))
	if err != nil || h.Type != Int16 || h.Size() != 12 || len(h.Dims) != 2 {
		t.Fatalf("header %+v, %v", h, err)
	}
}

// TestReadFileAllocatesOnce: reading a raw file allocates its data once,
// not a growing series of buffers (about 1× the data, not 2–3×).
func TestReadFileAllocatesOnce(t *testing.T) {
	n := 3<<25 + 5 // 96 MiB: above readN's growth chunk
	p := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(p, enc(Uint8, []uint32{uint32(n)}, make([]byte, n)), 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	a, err := ReadFile(p)
	runtime.ReadMemStats(&after)
	if err != nil || len(a.Data) != n {
		t.Fatal(err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > uint64(n)+uint64(n)/8 {
		t.Fatalf("reading %d bytes allocated %d", n, got)
	}
}
