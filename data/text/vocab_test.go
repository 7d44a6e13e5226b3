package text

import (
	"slices"
	"strings"
	"testing"

	"github.com/duboko/duboko/data/sst"
)

func split(ss ...string) [][]string {
	out := make([][]string, len(ss))
	for i, s := range ss {
		out[i] = strings.Fields(s)
	}
	return out
}

func TestVocabOrder(t *testing.T) {
	// frequencies: b 3, a 2, c 2, d 1, e 1; a occurs before c, e before d
	v, err := NewVocab(split("e a b c", "b c a d", "b <UNK> <PAD>"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{PadToken, UnkToken, "b", "a", "c", "e", "d"}
	if got := v.Tokens(); !slices.Equal(got, want) {
		t.Errorf("tokens %q, want %q", got, want)
	}
	if v.Len() != 7 || v.Freq(2) != 3 || v.Freq(6) != 1 || v.Freq(PadID) != 0 {
		t.Errorf("Len %d, Freq(2) %d, Freq(6) %d", v.Len(), v.Freq(2), v.Freq(6))
	}
	ids := v.Encode(strings.Fields("a zebra <PAD> d <UNK>"))
	if !slices.Equal(ids, []int{3, UnkID, PadID, 6, UnkID}) {
		t.Errorf("Encode: %v", ids)
	}
	if got := v.Decode(ids); !slices.Equal(got, strings.Fields("a <UNK> <PAD> d <UNK>")) {
		t.Errorf("Decode: %q", got)
	}
	if v.Contains("zebra") || !v.Contains("e") || v.ID("zebra") != UnkID || v.ID("c") != 4 {
		t.Error("Contains/ID wrong")
	}
}

func TestVocabOptions(t *testing.T) {
	data := split("e a b c", "b c a d", "b")
	for _, c := range []struct {
		opts []VocabOption
		want []string
	}{
		{[]VocabOption{MinFreq(2)}, []string{PadToken, UnkToken, "b", "a", "c"}},
		{[]VocabOption{MinFreq(4)}, []string{PadToken, UnkToken}},
		{[]VocabOption{MaxSize(4)}, []string{PadToken, UnkToken, "b", "a"}},
		{[]VocabOption{MaxSize(2)}, []string{PadToken, UnkToken}},
		{[]VocabOption{MaxSize(100), MinFreq(3)}, []string{PadToken, UnkToken, "b"}},
	} {
		v, err := NewVocab(data, c.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Tokens(); !slices.Equal(got, c.want) {
			t.Errorf("tokens %q, want %q", got, c.want)
		}
	}
	for _, o := range []VocabOption{MinFreq(0), MaxSize(1), MaxSize(-1)} {
		if _, err := NewVocab(data, o); err == nil || !strings.HasPrefix(err.Error(), "text.NewVocab: ") {
			t.Errorf("bad option: got %v", err)
		}
	}
}

// TestVocabSST: the course's lab says its SST training vocabulary has
// 14,804 tokens: the distinct tokens of the training file, to which the two
// special tokens add 2 entries.
func TestVocabSST(t *testing.T) {
	train, valid, _, err := sst.Load()
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVocab(train.Sentences)
	if err != nil {
		t.Fatal(err)
	}
	if v.Len() != 14804+2 {
		t.Errorf("Len %d, want 14806", v.Len())
	}
	// ids as the lab numbers them: ['<PAD>', '<UNK>'] followed by Python's
	// Counter(train tokens).most_common(), which keeps ties in order of
	// first occurrence (values printed by Python 3)
	for id, tok := range map[int]string{2: "the", 3: "a", 4: "and", 5: "of", 6: "to", 1000: "terrible",
		5000: "amari", 7122: "snooze", 7123: "jean-claud", 14805: "dissing"} {
		if v.Token(id) != tok {
			t.Errorf("Token(%d) = %q, want %q", id, v.Token(id), tok)
		}
	}
	if v.Freq(2) != 5954 || v.Freq(1000) != 13 || v.Freq(7122) != 2 || v.Freq(7123) != 1 {
		t.Errorf("frequencies %d %d %d %d", v.Freq(2), v.Freq(1000), v.Freq(7122), v.Freq(7123))
	}
	for i := 3; i < v.Len(); i++ {
		if v.Freq(i) > v.Freq(i-1) {
			t.Fatalf("Freq(%d) = %d > Freq(%d) = %d", i, v.Freq(i), i-1, v.Freq(i-1))
		}
	}
	// validation tokens unseen in training become <UNK>
	unk := 0
	for _, s := range valid.Sentences {
		for _, id := range v.Encode(s) {
			if id == UnkID {
				unk++
			}
		}
	}
	if unk == 0 {
		t.Error("no unknown validation token")
	}
	// 7,121 training tokens occur at least twice (Python count)
	if v2, _ := NewVocab(train.Sentences, MinFreq(2)); v2.Len() != 7121+2 || v2.Token(7122) != "snooze" {
		t.Errorf("MinFreq(2): %d entries", v2.Len())
	}
}

func TestFingerprint(t *testing.T) {
	a, _ := NewVocab(split("a b b", "c"))
	b, _ := NewVocab(split("b a b c")) // same frequencies, another order of first occurrence
	c, _ := NewVocab(split("c", "a b b"))
	d, _ := NewVocab(split("a b b", "c"), MinFreq(2))
	e, _ := NewVocab(split("ab", "c")) // token boundaries count
	f, _ := NewVocab(split("a b", "c"))
	fa := a.Fingerprint()
	if !strings.HasPrefix(fa, "sha256:") || len(fa) != 7+64 {
		t.Fatalf("fingerprint %q", fa)
	}
	if b.Fingerprint() != fa {
		t.Errorf("same numbering, other fingerprint: %q %q", a.Tokens(), b.Tokens())
	}
	for _, o := range []*Vocab{c, d} {
		if o.Fingerprint() == fa {
			t.Errorf("%q and %q share a fingerprint", a.Tokens(), o.Tokens())
		}
	}
	if e.Fingerprint() == f.Fingerprint() {
		t.Errorf("%q and %q share a fingerprint", e.Tokens(), f.Tokens())
	}
}
