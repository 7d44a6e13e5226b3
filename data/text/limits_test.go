package text

import (
	"fmt"
	"strings"
	"testing"
)

// TestVocabTokenRange: Token and Freq accept ids 0..Len()-1 and panic
// outside, naming the range.
func TestVocabTokenRange(t *testing.T) {
	v := smallVocab(t) // 7 entries
	if v.Token(6) != "mat" || v.Freq(6) != 1 {
		t.Errorf("id 6: %q, %d", v.Token(6), v.Freq(6))
	}
	for _, id := range []int{-1, 7} {
		for name, f := range map[string]func(int){"Token": func(i int) { v.Token(i) }, "Freq": func(i int) { v.Freq(i) }} {
			func() {
				defer func() {
					r, _ := recover().(string)
					if want := fmt.Sprintf("id %d outside 0..6", id); !strings.Contains(r, want) {
						t.Errorf("%s(%d): panic %q, want %q", name, id, r, want)
					}
				}()
				f(id)
			}()
		}
	}
}

// TestVectorsAtLimits: a header of MaxDim and MaxWords, and a line of
// MaxDim values, are accepted; a header "0 3" or "3 0" is not a header but
// a word with one value.
func TestVectorsAtLimits(t *testing.T) {
	v := smallVocab(t)
	row := strings.Repeat(" 0.5", MaxDim)
	for _, in := range []string{
		fmt.Sprintf("1 %d\nthe%s\n", MaxDim, row),
		"the" + row + "\n",
	} {
		m, err := ReadVectors(strings.NewReader(in), "f", v, ZeroMissing())
		if err != nil || m.Dim != MaxDim || m.Row(v.ID("the"))[MaxDim-1] != 0.5 {
			t.Errorf("%.20q: %v", in, err)
		}
	}
	_, err := ReadVectors(strings.NewReader(fmt.Sprintf("%d 2\nthe 1 2\n", MaxWords)), "f", v)
	if err == nil || err.Error() != "text: f: 1 vector but the header declares 16777216" {
		t.Errorf("header of MaxWords: %v", err)
	}
	for _, h := range []string{"0 3", "3 0"} {
		m, err := ReadVectors(strings.NewReader(h+"\nthe 1\n"), "f", v)
		if err != nil || m.Dim != 1 {
			t.Errorf("%q read as a header: %+v, %v", h, m, err)
		}
	}
}

// TestVectorsLongLines: a line of exactly MaxLineBytes is read, one byte
// more is refused; words are quoted whole up to 40 bytes in errors.
func TestVectorsLongLines(t *testing.T) {
	v := smallVocab(t)
	ok := "the 1 " + strings.Repeat("0", MaxLineBytes-len("the 1 "))
	for _, end := range []string{"", "\n", "\r\n"} {
		if _, err := ReadVectors(strings.NewReader(ok+end), "f", v); err != nil {
			t.Errorf("line of %d bytes ending %q: %v", len(ok), end, err)
		}
		_, err := ReadVectors(strings.NewReader(ok+"0"+end), "f", v)
		if err == nil || !strings.Contains(err.Error(), "line longer than") {
			t.Errorf("line of %d bytes ending %q: %v", len(ok)+1, end, err)
		}
	}
	w40 := strings.Repeat("w", 40)
	_, err := ReadVectors(strings.NewReader(w40+"\n"), "f", v)
	if err == nil || err.Error() != `text: f:1: word "`+w40+`" has no values` {
		t.Errorf("word of 40 bytes: %v", err)
	}
	_, err = ReadVectors(strings.NewReader(w40+"x\n"), "f", v)
	if err == nil || err.Error() != `text: f:1: word "`+w40+`…" has no values` {
		t.Errorf("word of 41 bytes: %v", err)
	}
}

// TestLimitPredicates: the word count and the matrix size are accepted up
// to their limits exactly and refused one past them (a file of 2²⁴ lines or
// a 1 GiB matrix would be too costly to build in a test; the readers call
// these predicates).
func TestLimitPredicates(t *testing.T) {
	if !wordsWithinLimit(MaxWords) || wordsWithinLimit(MaxWords+1) {
		t.Errorf("words: MaxWords %v, MaxWords+1 %v", wordsWithinLimit(MaxWords), wordsWithinLimit(MaxWords+1))
	}
	// 2^18 rows × 2^10 values × 4 bytes = 2^30 bytes exactly.
	if !matrixWithinLimit(1<<18, 1<<10) || matrixWithinLimit(1<<18+1, 1<<10) || matrixWithinLimit(1<<18, 1<<10+1) {
		t.Errorf("matrix: at the limit %v, one row more %v, one column more %v",
			matrixWithinLimit(1<<18, 1<<10), matrixWithinLimit(1<<18+1, 1<<10), matrixWithinLimit(1<<18, 1<<10+1))
	}
}
