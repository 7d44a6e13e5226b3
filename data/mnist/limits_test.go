package mnist

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sparseIDX writes a raw uint8 IDX file of the given dims whose data is a
// hole (a sparse file: nothing is written or read).
func sparseIDX(t *testing.T, p string, dims ...int) {
	t.Helper()
	head := []byte{0, 0, 8, byte(len(dims))}
	size := int64(1)
	for _, d := range dims {
		head = binary.BigEndian.AppendUint32(head, uint32(d))
		size *= int64(d)
	}
	if err := os.WriteFile(p, head, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, int64(len(head))+size); err != nil {
		t.Skip("no sparse files:", err)
	}
}

// TestLoadDirLimitInclusive: four files declaring exactly MaxBytes together
// pass the size limit; here the next check, from the headers too, refuses
// them (training images 1×(MaxBytes−4), test images 2×1).
func TestLoadDirLimitInclusive(t *testing.T) {
	dir := t.TempDir()
	sparseIDX(t, filepath.Join(dir, TrainImagesFile), 1, 1, MaxBytes-4)
	sparseIDX(t, filepath.Join(dir, TrainLabelsFile), 1)
	sparseIDX(t, filepath.Join(dir, TestImagesFile), 1, 2, 1)
	sparseIDX(t, filepath.Join(dir, TestLabelsFile), 1)
	_, _, err := LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), "training images are 1×1073741820 but test images are 2×1") {
		t.Fatalf("got %v, want the image sizes refused, not the size limit", err)
	}
	// One byte more is over the limit.
	sparseIDX(t, filepath.Join(dir, TestImagesFile), 1, 2, 1)
	sparseIDX(t, filepath.Join(dir, TrainImagesFile), 1, 1, MaxBytes-3)
	_, _, err = LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), "declare 1073741825 bytes of data, more than the limit of 1073741824") {
		t.Fatalf("got %v, want the size limit", err)
	}
}

// TestSplitAll: the whole set can be held out for validation.
func TestSplitAll(t *testing.T) {
	s := &Set{Pixels: make([]byte, 3*4), Labels: []int{1, 2, 3}, N: 3, H: 2, W: 2}
	tr, val := Split(s, 3)
	if tr.N != 0 || val.N != 3 || len(tr.Labels) != 0 || len(val.Pixels) != 12 || val.Labels[2] != 3 {
		t.Fatalf("Split(s, N): train %d, val %d", tr.N, val.N)
	}
}
