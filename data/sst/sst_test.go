package sst

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoadCounts(t *testing.T) {
	train, valid, test, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		s              *Set
		name           string
		n, pos, maxLen int
	}{
		// counts measured with an independent Python count of the files
		{train, TrainFile, 6920, 3610, 48},
		{valid, ValidFile, 1821, 909, 52},
		{test, TestFile, 872, 444, 43},
	} {
		if c.s.Name != c.name || c.s.Len() != c.n || len(c.s.Labels) != c.n {
			t.Errorf("%s: got %q with %d sentences, %d labels; want %d", c.name, c.s.Name, c.s.Len(), len(c.s.Labels), c.n)
		}
		pos, maxLen := 0, 0
		for i, l := range c.s.Labels {
			pos += l
			maxLen = max(maxLen, len(c.s.Sentences[i]))
		}
		if pos != c.pos || maxLen != c.maxLen {
			t.Errorf("%s: %d positive, longest %d tokens; want %d, %d", c.name, pos, maxLen, c.pos, c.maxLen)
		}
	}
	want := strings.Fields("yet the act is still charming here")
	if got := train.Sentences[3]; !slices.Equal(got, want) || train.Labels[3] != Positive {
		t.Errorf("train[3] = %q, %d; want %q, positive", got, train.Labels[3], want)
	}
}

func TestParse(t *testing.T) {
	s, err := Parse([]byte("\ufeffa , b c, negative\r\nhello  world ,positive\n"), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 || !slices.Equal(s.Sentences[0], []string{"a", ",", "b", "c"}) ||
		!slices.Equal(s.Sentences[1], []string{"hello", "world"}) || !slices.Equal(s.Labels, []int{Negative, Positive}) {
		t.Errorf("got %q %v", s.Sentences, s.Labels)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "sst: f.csv: no sentences"},
		{"\n", "sst: f.csv: no sentences"},
		{"good, positive\nno label here\n", "sst: f.csv:2: no label"},
		{"good, positive\n\nbad, negative\n", "sst: f.csv:2: empty line"},
		{"good, positive\nbad, neutral\n", `sst: f.csv:2: label "neutral" after the last comma`},
		{"good, positive, fine\n", `sst: f.csv:1: label "fine"`},
		{"good,\n", `sst: f.csv:1: label ""`},
		{"  , negative\n", "sst: f.csv:1: empty sentence before the label"},
		{"ok, positive\nbad \xff, positive\n", "sst: f.csv:2: invalid UTF-8"},
	} {
		_, err := Parse([]byte(c.in), "f.csv")
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Parse(%q): got %v, want %q...", c.in, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q): error of several lines: %q", c.in, err)
		}
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(TrainFile, "a b, positive\nc, negative\n")
	write(ValidFile, "d, negative\n")
	if _, _, _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), TestFile) {
		t.Fatalf("missing test file: got %v", err)
	}
	write(TestFile, "e f g, positive")
	train, valid, test, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 2 || valid.Len() != 1 || test.Len() != 1 || len(test.Sentences[0]) != 3 {
		t.Errorf("got %d %d %d sentences", train.Len(), valid.Len(), test.Len())
	}
	write(ValidFile, "d, negative\ne\n")
	if _, _, _, err := LoadDir(dir); err == nil || err.Error() != "sst: "+filepath.Join(dir, ValidFile)+`:2: no label: want "sentence, positive" or "sentence, negative"` {
		t.Errorf("bad line: got %v", err)
	}
}

// TestReadFileBounded: a file over MaxFileBytes is refused from its size,
// before it is read (here a sparse file).
func TestReadFileBounded(t *testing.T) {
	p := filepath.Join(t.TempDir(), TrainFile)
	if err := os.WriteFile(p, []byte("a, positive\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, MaxFileBytes+1); err != nil {
		t.Skip("no sparse files:", err)
	}
	_, err := ReadFile(p)
	if err == nil || !strings.Contains(err.Error(), "more than the limit") {
		t.Errorf("got %v, want the size limit", err)
	}
	if _, err := ReadFile(filepath.Dir(p)); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: got %v", err)
	}
}

// FuzzParse: Parse never panics, and what it accepts has a label per
// sentence, no empty sentence and no empty token.
func FuzzParse(f *testing.F) {
	b, err := embedded.ReadFile("files/" + TestFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:2000])
	for _, s := range []string{"", "a, positive", "a,b, negative\r\n", ", positive", "x\n\n", "a, positive\nb, neutral"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b, "fuzz")
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of several lines: %q", err)
			}
			return
		}
		if s.Len() == 0 || len(s.Labels) != s.Len() {
			t.Fatalf("%d sentences, %d labels", s.Len(), len(s.Labels))
		}
		for i, toks := range s.Sentences {
			if len(toks) == 0 || (s.Labels[i] != Positive && s.Labels[i] != Negative) {
				t.Fatalf("sentence %d: %q label %d", i, toks, s.Labels[i])
			}
			for _, tok := range toks {
				if tok == "" || strings.ContainsAny(tok, " \n") {
					t.Fatalf("sentence %d: token %q", i, tok)
				}
			}
		}
	})
}
