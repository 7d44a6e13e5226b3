package idx

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestGzipRatioAtTheLimit: a gzip file of n bytes may declare exactly
// MaxGzipRatio×n data bytes, and not one more (its header alone is read).
func TestGzipRatioAtTheLimit(t *testing.T) {
	dir := t.TempDir()
	// write stores the gzip of a 1-D uint8 header declaring s bytes.
	write := func(s uint32) (string, int64) {
		var raw bytes.Buffer
		raw.Write([]byte{0, 0, 0x08, 1})
		binary.Write(&raw, binary.BigEndian, s)
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(raw.Bytes())
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprint(s, ".gz"))
		if err := os.WriteFile(p, z.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p, int64(z.Len())
	}
	// The compressed length hardly depends on s: settle s = ratio × length.
	s := uint32(1000)
	for range 10 {
		_, n := write(s)
		if uint32(MaxGzipRatio*n) == s {
			break
		}
		s = uint32(MaxGzipRatio * n)
	}
	p, n := write(s)
	if int64(s) != MaxGzipRatio*n {
		t.Fatalf("no fixed point: %d bytes declared, gzip of %d bytes", s, n)
	}
	if _, err := ReadHeader(p); err != nil {
		t.Errorf("declaring exactly %d× the gzip file's %d bytes: %v", MaxGzipRatio, n, err)
	}
	p, n1 := write(s + 1)
	if n1 != n {
		t.Fatalf("the gzip length changed with the size: %d, %d", n, n1)
	}
	if _, err := ReadHeader(p); !errors.Is(err, ErrDims) {
		t.Errorf("declaring one byte more than %d× the gzip file's %d bytes: %v, want ErrDims", MaxGzipRatio, n, err)
	}
}
