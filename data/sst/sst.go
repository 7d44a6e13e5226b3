// Package sst loads the sentence-level, binary Stanford Sentiment Treebank
// (SST-2) in the form of the deep learning course's lab 3: three CSV files
// of 6,920 training, 1,821 validation and 872 test sentences, which ship
// embedded in this package so that programs run offline.
//
// Each line of a file is one sentence, already tokenized (tokens separated
// by spaces, case kept, clitics split as in "does n't"), then a comma, then
// the label "positive" or "negative":
//
//	yet the act is still charming here, positive
//
// The label follows the line's last comma, so a sentence may itself hold
// commas. Spaces around the label are ignored, as are a line's trailing
// carriage return, the file's final newline and a leading UTF-8 byte order
// mark. A line without a comma, with
// another label, with no tokens before the comma, or with invalid UTF-8 is an
// error (a [*ParseError] naming the file and line); so is a file without
// sentences or larger than [MaxFileBytes].
//
// Labels are [Negative] (0) and [Positive] (1), the targets of a binary
// cross-entropy with logits. (The course's lab builds its label vocabulary
// by frequency and so maps positive to 0 and negative to 1; accuracy is the
// same either way, but an F1 score reported by the lab is computed for the
// other class.)
//
// Token strings share the memory of the file's text: a loaded set takes
// about the file's size plus 16 bytes per token.
//
// See README.md in this folder for the source of the files, their terms and
// a note on the names of the splits.
package sst

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// The file names of the three splits, as the course names them.
const (
	TrainFile = "sst_train_raw.csv"
	ValidFile = "sst_valid_raw.csv"
	TestFile  = "sst_test_raw.csv"
)

// The labels.
const (
	Negative = 0
	Positive = 1
)

// NumClasses is the number of label values.
const NumClasses = 2

// LabelNames are the labels' names as written in the files, indexed by
// label.
var LabelNames = [NumClasses]string{Negative: "negative", Positive: "positive"}

// MaxFileBytes bounds the size of one file that LoadDir and ReadFile read
// (64 MiB, about 60 times the SST training file). The size is checked
// before the file is read, and reading stops at the bound if the file
// grows meanwhile.
const MaxFileBytes = 64 << 20

//go:embed files/*.csv
var embedded embed.FS

// Set is a labelled set of tokenized sentences.
type Set struct {
	Name      string     // the file it was read from
	Sentences [][]string // the tokens of each sentence, none empty
	Labels    []int      // Negative or Positive, one per sentence
}

// Len returns the number of sentences.
func (s *Set) Len() int { return len(s.Sentences) }

// ParseError reports a malformed line or file.
type ParseError struct {
	File string // the file's name
	Line int    // the line, counting from 1; 0 for the whole file
	Msg  string
}

// Error returns "sst: FILE:LINE: MSG".
func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("sst: %s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("sst: %s:%d: %s", e.File, e.Line, e.Msg)
}

// Load returns the embedded training, validation and test sets (6,920,
// 1,821 and 872 sentences).
func Load() (train, valid, test *Set, err error) {
	return load(func(name string) (*Set, error) {
		b, err := embedded.ReadFile("files/" + name)
		if err != nil {
			return nil, err
		}
		return Parse(b, name)
	})
}

// LoadDir reads the three files named by TrainFile, ValidFile and TestFile
// from dir, with the checks of ReadFile.
func LoadDir(dir string) (train, valid, test *Set, err error) {
	return load(func(name string) (*Set, error) {
		return ReadFile(filepath.Join(dir, name))
	})
}

func load(read func(name string) (*Set, error)) (train, valid, test *Set, err error) {
	if train, err = read(TrainFile); err != nil {
		return nil, nil, nil, err
	}
	if valid, err = read(ValidFile); err != nil {
		return nil, nil, nil, err
	}
	if test, err = read(TestFile); err != nil {
		return nil, nil, nil, err
	}
	return train, valid, test, nil
}

// ReadFile reads and parses one file of sentences. A file larger than
// MaxFileBytes is refused before it is read.
func ReadFile(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sst: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("sst: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, &ParseError{File: path, Msg: "not a regular file"}
	}
	if st.Size() > MaxFileBytes {
		return nil, &ParseError{File: path, Msg: fmt.Sprintf("%d bytes, more than the limit of %d", st.Size(), MaxFileBytes)}
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("sst: %w", err)
	}
	if len(b) > MaxFileBytes {
		return nil, &ParseError{File: path, Msg: fmt.Sprintf("grew past the limit of %d bytes while being read", MaxFileBytes)}
	}
	return Parse(b, path)
}

// Parse parses the text of one file; name is used in errors and as the
// Set's Name. See the package documentation for the format.
func Parse(b []byte, name string) (*Set, error) {
	if len(b) > MaxFileBytes {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("%d bytes, more than the limit of %d", len(b), MaxFileBytes)}
	}
	text := string(b)                         // one copy; every token is a substring of it
	text = strings.TrimPrefix(text, "\ufeff") // a byte order mark some editors write
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil, &ParseError{File: name, Msg: "no sentences"}
	}
	n := strings.Count(text, "\n") + 1
	s := &Set{Name: name, Sentences: make([][]string, 0, n), Labels: make([]int, 0, n)}
	line := 0
	for l := range strings.SplitSeq(text, "\n") {
		line++
		toks, label, msg := parseLine(strings.TrimSuffix(l, "\r"))
		if msg != "" {
			return nil, &ParseError{File: name, Line: line, Msg: msg}
		}
		s.Sentences = append(s.Sentences, toks)
		s.Labels = append(s.Labels, label)
	}
	return s, nil
}

// parseLine splits one line into tokens and label, or returns why it
// cannot.
func parseLine(l string) (toks []string, label int, msg string) {
	if !utf8.ValidString(l) {
		return nil, 0, "invalid UTF-8"
	}
	i := strings.LastIndexByte(l, ',')
	if i < 0 {
		if strings.TrimSpace(l) == "" {
			return nil, 0, "empty line"
		}
		return nil, 0, `no label: want "sentence, positive" or "sentence, negative"`
	}
	switch lab := strings.Trim(l[i+1:], " \t"); lab {
	case "positive":
		label = Positive
	case "negative":
		label = Negative
	default:
		return nil, 0, fmt.Sprintf("label %q after the last comma, want positive or negative", clip(lab))
	}
	toks = strings.Fields(l[:i])
	if len(toks) == 0 {
		return nil, 0, "empty sentence before the label"
	}
	return toks, label, ""
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	return string(bytes.ToValidUTF8([]byte(s[:max]), nil)) + "…"
}
