package text

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
)

// Limits of LoadVectors and ReadVectors.
const (
	MaxLineBytes   = 1 << 20 // longest line (a 300-d GloVe line is about 3 KB)
	MaxDim         = 1 << 16 // largest vector dimension
	MaxMatrixBytes = 1 << 30 // largest matrix, Vocab.Len()×dim float32 values
	MaxWords       = 1 << 24 // most lines (the largest common files have 2-3 million)
)

// Vectors is a matrix of word vectors aligned with a Vocab: row i is the
// vector of the token with id i.
type Vectors struct {
	Data  []float32 // Rows×Dim values, row-major
	Rows  int       // the vocabulary's Len()
	Dim   int       // the vectors' dimension, from the file
	Found int       // rows filled from the file
}

// Row returns the vector of id i (not a copy).
func (m *Vectors) Row(i int) []float32 { return m.Data[i*m.Dim : (i+1)*m.Dim] }

// VectorsOption configures LoadVectors and ReadVectors.
type VectorsOption func(*vectorsConfig)

type vectorsConfig struct {
	zero bool
	seed uint64
}

// ZeroMissing leaves the rows of words not in the file zero, instead of
// drawing them from the standard normal distribution.
func ZeroMissing() VectorsOption { return func(c *vectorsConfig) { c.zero = true } }

// MissingSeed sets the seed of the normal values of missing rows (default
// 0). The values depend only on the seed, the vocabulary's size and the
// dimension, not on which words the file holds.
func MissingSeed(seed uint64) VectorsOption { return func(c *vectorsConfig) { c.seed = seed } }

// VectorsError reports a malformed vectors file.
type VectorsError struct {
	File string // the file's name
	Line int    // the line, counting from 1; 0 for the whole file
	Msg  string
}

// Error returns "text: FILE:LINE: MSG".
func (e *VectorsError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("text: %s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("text: %s:%d: %s", e.File, e.Line, e.Msg)
}

// LoadVectors reads word vectors from the file at path for the tokens of v;
// see ReadVectors.
func LoadVectors(path string, v *Vocab, opts ...VectorsOption) (*Vectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("text: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, &VectorsError{File: path, Msg: "is a directory"}
	}
	return ReadVectors(f, path, v, opts...)
}

// ReadVectors reads word vectors in the common text format and returns the
// matrix [v.Len(), d] whose row i is the vector of v.Token(i); name is used
// in errors.
//
// Each line is a word and its d values, separated by spaces or tabs
// (GloVe's format); a leading UTF-8 byte order mark is skipped. A first line of exactly two positive integers, "count
// d", is word2vec's text header: then d must match and the file must hold
// count vectors. Every line is checked: the same d values each, every value
// a finite number, no word twice (words outside the vocabulary are
// remembered by a 128-bit hash, under 80 bytes each); a violation is a
// [*VectorsError] naming the line.
//
// Rows of vocabulary words the file lacks, UnkToken's included, are drawn
// from the standard normal distribution (as the course's lab does with
// torch.randn), or left zero with ZeroMissing. The PadToken row is always
// zero. Words match exactly, case included.
//
// Memory is the matrix (at most MaxMatrixBytes) plus the hashes of the
// words seen (at most MaxWords), whatever the file's size.
func ReadVectors(r io.Reader, name string, v *Vocab, opts ...VectorsOption) (*Vectors, error) {
	var c vectorsConfig
	for _, o := range opts {
		o(&c)
	}
	fail := func(line int, format string, args ...any) (*Vectors, error) {
		return nil, &VectorsError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		m         *Vectors
		header    = -1 // count declared by a header; -1: none
		words     int  // vector lines read
		firstLine = make([]int32, v.Len())
		seen      = map[[2]uint64]int32{}
		seeds     = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}
		fields    [][]byte
		buf       []byte
	)
	for line := 1; ; line++ {
		b, err := readLine(br, &buf)
		if err == io.EOF {
			break
		}
		if errors.Is(err, errLong) {
			return fail(line, "line longer than %d bytes", MaxLineBytes)
		}
		if err != nil {
			return nil, fmt.Errorf("text: %s: %w", name, err)
		}
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\ufeff")) // a byte order mark
		}
		fields = splitFields(fields[:0], b)
		if len(fields) == 0 {
			return fail(line, "empty line")
		}
		if line == 1 && len(fields) == 2 {
			if n, d, ok := parseHeader(fields); ok {
				if d > MaxDim {
					return fail(line, "dimension %d in the header, more than the limit of %d", d, MaxDim)
				}
				if !wordsWithinLimit(n) {
					return fail(line, "%d words in the header, more than the limit of %d", n, MaxWords)
				}
				header = n
				if m, err = newVectors(v, d, &c); err != nil {
					return fail(line, "%v", err)
				}
				continue
			}
		}
		word, vals := fields[0], fields[1:]
		if m == nil {
			if len(vals) == 0 {
				return fail(line, "word %q has no values", clip(word))
			}
			if len(vals) > MaxDim {
				return fail(line, "%d values, more than the limit of %d", len(vals), MaxDim)
			}
			if m, err = newVectors(v, len(vals), &c); err != nil {
				return fail(line, "%v", err)
			}
		}
		if len(vals) != m.Dim {
			return fail(line, "word %q has %d value%s, want %d", clip(word), len(vals), plural(len(vals)), m.Dim)
		}
		words++
		if !wordsWithinLimit(words) || (header >= 0 && words > header) {
			if header >= 0 && words > header {
				return fail(line, "more vectors than the %d the header declares", header)
			}
			return fail(line, "more than %d words", MaxWords)
		}
		id, inVocab := v.ids[string(word)] // no allocation for the lookup
		if inVocab {
			if firstLine[id] != 0 {
				return fail(line, "word %q again (first on line %d)", clip(word), firstLine[id])
			}
			firstLine[id] = int32(line)
		} else {
			h := [2]uint64{maphash.Bytes(seeds[0], word), maphash.Bytes(seeds[1], word)}
			if first, dup := seen[h]; dup {
				return fail(line, "word %q again (first on line %d)", clip(word), first)
			}
			seen[h] = int32(line)
		}
		var row []float32
		if inVocab && id != PadID {
			row = m.Row(id)
			m.Found++
		}
		for j, f := range vals {
			x, err := strconv.ParseFloat(string(f), 32)
			if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
				return fail(line, "value %d of word %q is %q, not a finite number", j+1, clip(word), clip(f))
			}
			if row != nil {
				row[j] = float32(x)
			}
		}
	}
	if m == nil || words == 0 {
		return fail(0, "no vectors")
	}
	if header >= 0 && words != header {
		return fail(0, "%d vector%s but the header declares %d", words, plural(words), header)
	}
	return m, nil
}

// wordsWithinLimit reports whether a file of n words is within MaxWords.
func wordsWithinLimit(n int) bool { return n <= MaxWords }

// matrixWithinLimit reports whether a rows×dim float32 matrix is within
// MaxMatrixBytes.
func matrixWithinLimit(rows, dim int) bool { return int64(rows)*int64(dim)*4 <= MaxMatrixBytes }

// newVectors allocates the matrix for v and dimension d and fills the
// missing rows.
func newVectors(v *Vocab, d int, c *vectorsConfig) (*Vectors, error) {
	if !matrixWithinLimit(v.Len(), d) {
		return nil, fmt.Errorf("%d words × %d values need more than the limit of %d bytes", v.Len(), d, MaxMatrixBytes)
	}
	m := &Vectors{Data: make([]float32, v.Len()*d), Rows: v.Len(), Dim: d}
	if !c.zero {
		rng := rand.New(rand.NewPCG(c.seed, 0))
		for i := d; i < len(m.Data); i++ { // row PadID stays zero
			m.Data[i] = float32(rng.NormFloat64())
		}
	}
	return m, nil
}

var errLong = errors.New("line too long")

// readLine returns the next line without its "\n" or "\r\n", or io.EOF
// after the last one. It returns errLong for a line over MaxLineBytes.
func readLine(br *bufio.Reader, buf *[]byte) ([]byte, error) {
	*buf = (*buf)[:0]
	for {
		part, err := br.ReadSlice('\n')
		if len(*buf)+len(part) > MaxLineBytes+2 {
			return nil, errLong
		}
		if err == bufio.ErrBufferFull {
			*buf = append(*buf, part...)
			continue
		}
		var b []byte
		if len(*buf) > 0 {
			*buf = append(*buf, part...)
			b = *buf
		} else {
			b = part
		}
		if err == io.EOF && len(b) == 0 {
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		b = bytes.TrimSuffix(b, []byte("\n"))
		b = bytes.TrimSuffix(b, []byte("\r"))
		if len(b) > MaxLineBytes {
			return nil, errLong
		}
		return b, nil
	}
}

// splitFields appends the fields of b, separated by runs of spaces and
// tabs, to dst.
func splitFields(dst [][]byte, b []byte) [][]byte {
	start := -1
	for i, c := range b {
		if c == ' ' || c == '\t' {
			if start >= 0 {
				dst = append(dst, b[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		dst = append(dst, b[start:])
	}
	return dst
}

// parseHeader parses word2vec's "count dim" header.
func parseHeader(f [][]byte) (n, d int, ok bool) {
	n, err1 := strconv.Atoi(string(f[0]))
	d, err2 := strconv.Atoi(string(f[1]))
	return n, d, err1 == nil && err2 == nil && n > 0 && d > 0
}

// clip returns b as a string shortened for an error message.
func clip[T ~string | ~[]byte](b T) string {
	const max = 40
	if len(b) <= max {
		return string(b)
	}
	return string(bytes.ToValidUTF8([]byte(b[:max]), nil)) + "…"
}

// plural returns "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
