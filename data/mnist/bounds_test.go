package mnist

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadDirChecksHeadersFirst: files whose headers together declare more
// than MaxBytes are refused before any data is read (here a sparse 1.5 GB
// images file, which would take seconds and gigabytes to read).
func TestLoadDirChecksHeadersFirst(t *testing.T) {
	dir := t.TempDir()
	writeSet(t, dir, validFiles(), false)
	n := 2_000_000
	p := filepath.Join(dir, TrainImagesFile)
	head := []byte{0, 0, 8, 3}
	for _, d := range []int{n, 28, 28} {
		head = binary.BigEndian.AppendUint32(head, uint32(d))
	}
	if err := os.WriteFile(p, head, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, int64(len(head)+n*28*28)); err != nil {
		t.Skip("no sparse files:", err)
	}
	_, _, err := LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), "has 2000000 images but") {
		t.Fatalf("got %v, want the label count mismatch from the headers", err)
	}
	// with matching labels the total size is over the limit
	lp := filepath.Join(dir, TrainLabelsFile)
	lh := binary.BigEndian.AppendUint32([]byte{0, 0, 8, 1}, uint32(n))
	os.WriteFile(lp, lh, 0o644)
	os.Truncate(lp, int64(len(lh)+n))
	_, _, err = LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), "more than the limit") {
		t.Fatalf("got %v, want the size limit", err)
	}
}
