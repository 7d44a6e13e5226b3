package cifar

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestStatFileAtTheLimit: a file of exactly the official size (a sparse
// file: only its size is read) holds FileRecords records; one record more
// is too big.
func TestStatFileAtTheLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "data_batch_1.bin")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, MaxFileBytes); err != nil {
		t.Fatal(err)
	}
	if n, err := statFile(p); err != nil || n != FileRecords {
		t.Fatalf("a file of exactly %d bytes: %d records, %v; want %d", MaxFileBytes, n, err, FileRecords)
	}
	if err := os.Truncate(p, MaxFileBytes+RecordSize); err != nil {
		t.Fatal(err)
	}
	if _, err := statFile(p); !errors.Is(err, ErrTooBig) {
		t.Fatalf("a file one record too big: %v, want ErrTooBig", err)
	}
}
