package text

import (
	"errors"
	"testing"
)

// TestLoadVectorsDirectoryChecked: a directory is refused by LoadVectors's
// own check, before any read, with exactly its message (a read of the
// directory would fail too, but with the operating system's words).
func TestLoadVectorsDirectoryChecked(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadVectors(dir, smallVocab(t))
	var ve *VectorsError
	if !errors.As(err, &ve) || ve.File != dir || ve.Msg != "is a directory" {
		t.Errorf("directory: %#v (%v), want a VectorsError of %s with the message \"is a directory\"", err, err, dir)
	}
}
