package text

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
)

// The special tokens and their ids.
const (
	PadToken = "<PAD>" // pads a sentence to the batch's longest
	UnkToken = "<UNK>" // stands for every token not in the vocabulary
	PadID    = 0
	UnkID    = 1
)

// Vocab numbers tokens: PadToken is 0, UnkToken is 1, and the tokens of the
// data it was built from follow in order of descending frequency. Tokens of
// equal frequency keep the order of their first occurrence in the data;
// this is the order Python's Counter.most_common and a stable sort by
// frequency give, as in the course's lab, so both number a data set's
// tokens alike. A Vocab is immutable and safe for concurrent use.
type Vocab struct {
	tokens []string
	freqs  []int
	ids    map[string]int
}

// VocabOption configures NewVocab.
type VocabOption func(*vocabConfig)

type vocabConfig struct{ minFreq, maxSize int }

// MinFreq keeps only tokens that occur at least n times (default 1: all).
func MinFreq(n int) VocabOption { return func(c *vocabConfig) { c.minFreq = n } }

// MaxSize keeps at most n entries, counting PadToken and UnkToken (so at
// most n-2 tokens of the data, the most frequent). The default, 0, sets no
// limit.
func MaxSize(n int) VocabOption { return func(c *vocabConfig) { c.maxSize = n } }

// NewVocab builds a vocabulary from tokenized sentences, normally the
// training set only, so that validation and test tokens unseen in training
// map to UnkToken as they would for new text. Occurrences of the special
// tokens' own strings in the data are not counted; they encode to their
// special ids. It returns an error for MinFreq below 1 or a MaxSize below 2
// other than 0.
func NewVocab(sentences [][]string, opts ...VocabOption) (*Vocab, error) {
	c := vocabConfig{minFreq: 1}
	for _, o := range opts {
		o(&c)
	}
	if c.minFreq < 1 {
		return nil, fmt.Errorf("text.NewVocab: minimum frequency %d, want at least 1", c.minFreq)
	}
	if c.maxSize != 0 && c.maxSize < 2 {
		return nil, fmt.Errorf("text.NewVocab: maximum size %d, want 0 (no limit) or at least 2 (the special tokens)", c.maxSize)
	}
	count := map[string]int{}
	var order []string // tokens by first occurrence
	for _, s := range sentences {
		for _, tok := range s {
			if tok == PadToken || tok == UnkToken {
				continue
			}
			if count[tok] == 0 {
				order = append(order, tok)
			}
			count[tok]++
		}
	}
	slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(count[b], count[a]) })
	v := &Vocab{tokens: []string{PadToken, UnkToken}, freqs: []int{0, 0}}
	for _, tok := range order {
		if count[tok] < c.minFreq || (c.maxSize > 0 && len(v.tokens) >= c.maxSize) {
			break // sorted by frequency: no later token qualifies
		}
		v.tokens = append(v.tokens, tok)
		v.freqs = append(v.freqs, count[tok])
	}
	v.ids = make(map[string]int, len(v.tokens))
	for i, tok := range v.tokens {
		v.ids[tok] = i
	}
	return v, nil
}

// Len returns the number of entries, the special tokens included.
func (v *Vocab) Len() int { return len(v.tokens) }

// ID returns tok's id, UnkID when tok is not in the vocabulary.
func (v *Vocab) ID(tok string) int {
	if id, ok := v.ids[tok]; ok {
		return id
	}
	return UnkID
}

// Contains reports whether tok has an id of its own.
func (v *Vocab) Contains(tok string) bool {
	_, ok := v.ids[tok]
	return ok
}

// Token returns the token of id. It panics unless 0 <= id < Len().
func (v *Vocab) Token(id int) string {
	if id < 0 || id >= len(v.tokens) {
		panic(fmt.Sprintf("text.Vocab.Token: id %d outside 0..%d", id, len(v.tokens)-1))
	}
	return v.tokens[id]
}

// Freq returns how often the token of id occurs in the data the vocabulary
// was built from (0 for the special tokens). It panics unless
// 0 <= id < Len().
func (v *Vocab) Freq(id int) int {
	if id < 0 || id >= len(v.freqs) {
		panic(fmt.Sprintf("text.Vocab.Freq: id %d outside 0..%d", id, len(v.freqs)-1))
	}
	return v.freqs[id]
}

// Tokens returns a copy of all tokens in id order.
func (v *Vocab) Tokens() []string { return slices.Clone(v.tokens) }

// Encode returns the ids of tokens, UnkID for those not in the vocabulary.
func (v *Vocab) Encode(tokens []string) []int {
	ids := make([]int, len(tokens))
	for i, tok := range tokens {
		ids[i] = v.ID(tok)
	}
	return ids
}

// EncodeAll encodes each sentence.
func (v *Vocab) EncodeAll(sentences [][]string) [][]int {
	out := make([][]int, len(sentences))
	for i, s := range sentences {
		out[i] = v.Encode(s)
	}
	return out
}

// Decode returns the tokens of ids. It panics if an id is outside
// 0..Len()-1.
func (v *Vocab) Decode(ids []int) []string {
	toks := make([]string, len(ids))
	for i, id := range ids {
		toks[i] = v.Token(id)
	}
	return toks
}

// Fingerprint returns a digest of the tokens in id order, "sha256:" and 64
// hex digits. Two vocabularies number every token alike exactly when their
// fingerprints match (barring a SHA-256 collision), so a checkpoint can
// store it and a resumed or evaluated run can check that it rebuilt the
// same vocabulary.
func (v *Vocab) Fingerprint() string {
	h := sha256.New()
	var n [8]byte
	for _, tok := range v.tokens {
		binary.LittleEndian.PutUint64(n[:], uint64(len(tok)))
		h.Write(n[:])
		h.Write([]byte(tok))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
