package sst

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileOfMaxBytes: a file of exactly MaxFileBytes is read to its last
// byte and parsed: ReadFile's and Parse's limits are inclusive. The file is
// one sentence of one long token of zero bytes (sparse, so that writing and
// parsing it is cheap), then the label.
func TestFileOfMaxBytes(t *testing.T) {
	p := filepath.Join(t.TempDir(), TrainFile)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteAt([]byte(", positive"), MaxFileBytes-10)
	if err2 := f.Close(); err == nil {
		err = err2
	}
	if err != nil {
		t.Fatal(err)
	}
	s, err := ReadFile(p)
	if err != nil {
		t.Fatalf("ReadFile of %d bytes: %v", MaxFileBytes, err)
	}
	if s.Len() != 1 || s.Labels[0] != Positive || len(s.Sentences[0][0]) != MaxFileBytes-10 {
		t.Fatalf("ReadFile of %d bytes: %d sentences", MaxFileBytes, s.Len())
	}
}

// TestParseEdgeLines: a line that starts with its comma has a label and
// an empty sentence; labels are quoted whole up to 40 bytes, cut with an
// ellipsis after that.
func TestParseEdgeLines(t *testing.T) {
	l40 := strings.Repeat("x", 40)
	for _, c := range []struct{ in, want string }{
		{",positive\n", "sst: f.csv:1: empty sentence before the label"},
		{"good, " + l40 + "\n", `sst: f.csv:1: label "` + l40 + `" after the last comma`},
		{"good, " + l40 + "yz\n", `sst: f.csv:1: label "` + l40 + `…" after the last comma`},
	} {
		_, err := Parse([]byte(c.in), "f.csv")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Parse(%q): got %v, want %q...", c.in, err, c.want)
		}
	}
}
