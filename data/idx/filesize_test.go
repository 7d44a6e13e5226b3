package idx

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFileSize: a regular file's size is known; a directory's is not (-1),
// so its length is never compared with a header.
func TestFileSize(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a")
	if err := os.WriteFile(p, make([]byte, 5), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		want int64
	}{{p, 5}, {dir, -1}} {
		f, err := os.Open(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fileSize(f); got != c.want {
			t.Errorf("fileSize(%s) = %d, want %d", c.path, got, c.want)
		}
		f.Close()
	}
}
