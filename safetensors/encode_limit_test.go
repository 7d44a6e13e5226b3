package safetensors

import (
	"strings"
	"testing"
)

// TestCheckHeaderLen: the writer accepts a header of exactly MaxHeaderSize
// bytes, the most the reader takes, and refuses one byte more, naming both
// lengths. (A real header at the limit is 100 MB of JSON, too slow for the
// suite: Encode's path to this check is covered by the smaller headers of
// the other tests.)
func TestCheckHeaderLen(t *testing.T) {
	if err := checkHeaderLen(MaxHeaderSize); err != nil {
		t.Errorf("header of MaxHeaderSize bytes: %v", err)
	}
	err := checkHeaderLen(MaxHeaderSize + 1)
	if err == nil || !strings.Contains(err.Error(), "100000001") || !strings.Contains(err.Error(), "100000000") {
		t.Errorf("header of MaxHeaderSize+1 bytes: %v, want an error naming both lengths", err)
	}
}
