package text

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// smallVocab: <PAD> <UNK> the cat sat on mat
func smallVocab(t testing.TB) *Vocab {
	v, err := NewVocab(split("the cat sat on the mat the cat"))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func writeFile(t *testing.T, text string) string {
	p := filepath.Join(t.TempDir(), "vectors.txt")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadVectorsGloVe(t *testing.T) {
	v := smallVocab(t) // <PAD> <UNK> the cat sat on mat
	p := writeFile(t, "\ufeffdog 9 9 9\nthe 1 2 3\ncat\t-0.5 1e-1  2.5e+2 \r\n<PAD> 7 7 7\nmat 0 0 -1")
	m, err := LoadVectors(p, v, MissingSeed(7))
	if err != nil {
		t.Fatal(err)
	}
	if m.Rows != 7 || m.Dim != 3 || len(m.Data) != 21 || m.Found != 3 {
		t.Fatalf("Rows %d Dim %d len %d Found %d", m.Rows, m.Dim, len(m.Data), m.Found)
	}
	for id, want := range map[int][]float32{PadID: {0, 0, 0}, v.ID("the"): {1, 2, 3}, v.ID("cat"): {-0.5, 0.1, 250}, v.ID("mat"): {0, 0, -1}} {
		if !slices.Equal(m.Row(id), want) {
			t.Errorf("row %d (%s) = %v, want %v", id, v.Token(id), m.Row(id), want)
		}
	}
	// missing rows (<UNK>, sat, on) are normal draws that depend on the seed
	// only, not on the file's words
	other, err := ReadVectors(strings.NewReader("sparrow 1 1 1\n"), "other", v, MissingSeed(7))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int{UnkID, v.ID("sat"), v.ID("on")} {
		if !slices.Equal(m.Row(id), other.Row(id)) || slices.Equal(m.Row(id), []float32{0, 0, 0}) {
			t.Errorf("row %d: %v and %v", id, m.Row(id), other.Row(id))
		}
	}
	reseeded, _ := ReadVectors(strings.NewReader("sparrow 1 1 1\n"), "other", v, MissingSeed(8))
	if slices.Equal(reseeded.Data, other.Data) {
		t.Error("another seed gave the same rows")
	}
	zero, err := LoadVectors(p, v, ZeroMissing())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int{PadID, UnkID, v.ID("sat"), v.ID("on")} {
		if !slices.Equal(zero.Row(id), []float32{0, 0, 0}) {
			t.Errorf("ZeroMissing: row %d = %v", id, zero.Row(id))
		}
	}
	if !slices.Equal(zero.Row(v.ID("cat")), m.Row(v.ID("cat"))) {
		t.Error("ZeroMissing changed a found row")
	}
}

func TestLoadVectorsWord2VecHeader(t *testing.T) {
	v := smallVocab(t)
	m, err := ReadVectors(strings.NewReader("\ufeff2 2\non 1 2\nsat 3 4\n"), "w2v.txt", v, ZeroMissing())
	if err != nil {
		t.Fatal(err)
	}
	if m.Dim != 2 || m.Found != 2 || !slices.Equal(m.Row(v.ID("sat")), []float32{3, 4}) {
		t.Errorf("%+v", m)
	}
}

// TestMissingRowsStandardNormal: missing rows follow N(0, 1), as
// torch.randn in the lab.
func TestMissingRowsStandardNormal(t *testing.T) {
	var words []string
	for i := range 1000 {
		words = append(words, fmt.Sprint("w", i))
	}
	v, _ := NewVocab([][]string{words})
	m, err := ReadVectors(strings.NewReader("w0"+strings.Repeat(" 0.5", 50)), "f", v)
	if err != nil {
		t.Fatal(err)
	}
	var s, s2 float64
	n := 0 // values of the missing word rows (not <PAD>, <UNK>, w0)
	for i := 2; i < m.Rows; i++ {
		if i == v.ID("w0") {
			continue
		}
		for _, x := range m.Row(i) {
			s += float64(x)
			s2 += float64(x) * float64(x)
			n++
		}
	}
	mean := s / float64(n)
	std := math.Sqrt(s2/float64(n) - mean*mean)
	if math.Abs(mean) > 0.02 || math.Abs(std-1) > 0.02 { // 49,950 draws: standard error 0.0045
		t.Errorf("missing rows: mean %.4f std %.4f, want 0 and 1", mean, std)
	}
}

func TestVectorsErrors(t *testing.T) {
	v := smallVocab(t)
	long := "the " + strings.Repeat("1 ", MaxLineBytes/2+1)
	for _, c := range []struct{ in, want string }{
		{"", "text: f: no vectors"},
		{"\n", "text: f:1: empty line"},
		{"the 1 2\n\ncat 1 2\n", "text: f:2: empty line"},
		{"the\n", `text: f:1: word "the" has no values`},
		{"the 1 2\ncat 1 2 3\n", `text: f:2: word "cat" has 3 values, want 2`},
		{"the 1 2\ncat 1\n", `text: f:2: word "cat" has 1 value, want 2`},
		{"the 1 2\ncat 1 x\n", `text: f:2: value 2 of word "cat" is "x", not a finite number`},
		{"the 1 NaN\n", `text: f:1: value 2 of word "the" is "NaN", not a finite number`},
		{"the 1 -inf\n", `text: f:1: value 2 of word "the" is "-inf", not a finite number`},
		{"the 1 1e39\n", `text: f:1: value 2 of word "the" is "1e39", not a finite number`},
		{"the 1 2\ncat 1 2\nthe 3 4\n", `text: f:3: word "the" again (first on line 1)`},
		{"dog 1 2\ncat 1 2\ndog 3 4\n", `text: f:3: word "dog" again (first on line 1)`},
		{"2 3\nthe 1 2 3\n", "text: f: 1 vector but the header declares 2"},
		{"1 3\nthe 1 2 3\ncat 1 2 3\n", "text: f:3: more vectors than the 1 the header declares"},
		{"1 3\nthe 1 2\n", `text: f:2: word "the" has 2 values, want 3`},
		{"1 70000\n", "text: f:1: dimension 70000 in the header, more than the limit of 65536"},
		{"20000000 3\n", "text: f:1: 20000000 words in the header, more than the limit of 16777216"},
		{"the" + strings.Repeat(" 1", MaxDim+1), "text: f:1: 65537 values, more than the limit of 65536"},
		{long, fmt.Sprintf("text: f:1: line longer than %d bytes", MaxLineBytes)},
		{"the 1 2\n" + long, fmt.Sprintf("text: f:2: line longer than %d bytes", MaxLineBytes)},
	} {
		_, err := ReadVectors(strings.NewReader(c.in), "f", v)
		var ve *VectorsError
		if !errors.As(err, &ve) || err.Error() != c.want {
			t.Errorf("ReadVectors(%.30q): got %v, want %s", c.in, err, c.want)
		}
	}
}

// TestVectorsMatrixBound: a vocabulary and dimension whose matrix would
// pass MaxMatrixBytes are refused before anything is allocated.
func TestVectorsMatrixBound(t *testing.T) {
	words := make([]string, 5000)
	for i := range words {
		words[i] = fmt.Sprint(i)
	}
	v, _ := NewVocab([][]string{words})
	_, err := ReadVectors(strings.NewReader("1 60000\n"), "f", v)
	want := fmt.Sprintf("text: f:1: 5002 words × 60000 values need more than the limit of %d bytes", MaxMatrixBytes)
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestLoadVectorsFileErrors(t *testing.T) {
	v := smallVocab(t)
	dir := t.TempDir()
	if _, err := LoadVectors(dir, v); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	if _, err := LoadVectors(filepath.Join(dir, "none.txt"), v); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzReadVectors: ReadVectors never panics, errors are one line, and an
// accepted file gives a finite matrix of the vocabulary's size with a zero
// <PAD> row.
func FuzzReadVectors(f *testing.F) {
	for _, s := range []string{"the 1 2\ncat 3 4\n", "2 2\non 1 2\nsat 3 4", "the 1\r\n", "a b c", "1 1\n1 1\n", "the 1 2\nthe 1 2"} {
		f.Add([]byte(s))
	}
	v := smallVocab(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ReadVectors(strings.NewReader(string(b)), "fuzz", v)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of several lines: %q", err)
			}
			return
		}
		if m.Rows != v.Len() || m.Dim < 1 || len(m.Data) != m.Rows*m.Dim || m.Found > m.Rows-1 {
			t.Fatalf("Rows %d Dim %d len %d Found %d", m.Rows, m.Dim, len(m.Data), m.Found)
		}
		for i, x := range m.Data {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) || (i < m.Dim && x != 0) {
				t.Fatalf("value %d is %v", i, x)
			}
		}
	})
}
