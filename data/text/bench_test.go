package text

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/data/sst"
)

// BenchmarkReadVectors_20000x300: a GloVe-style file of 20,000 words of 300
// values, half of them in a
// 10,000-word vocabulary.
func BenchmarkReadVectors_20000x300(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var buf bytes.Buffer
	var vocabWords []string
	for i := range 20000 {
		w := fmt.Sprint("w", i)
		if i%2 == 0 {
			vocabWords = append(vocabWords, w)
		}
		buf.WriteString(w)
		for range 300 {
			fmt.Fprintf(&buf, " %.5f", rng.NormFloat64())
		}
		buf.WriteByte('\n')
	}
	v, _ := NewVocab([][]string{vocabWords})
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := ReadVectors(bytes.NewReader(buf.Bytes()), "bench", v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSSTEpochBatches_10: one epoch of the SST training set in
// shuffled batches of 10, as the trainer makes them, each unpadded.
func BenchmarkSSTEpochBatches_10(b *testing.B) {
	train, _, _, err := sst.Load()
	if err != nil {
		b.Fatal(err)
	}
	v, _ := NewVocab(train.Sentences)
	d, err := NewDataset(v.EncodeAll(train.Sentences), train.Labels)
	if err != nil {
		b.Fatal(err)
	}
	l := data.NewLoader(d, 10, data.WithShuffle(1))
	for b.Loop() {
		for batch := range l.Epoch() {
			if _, err := Unpad(batch); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkNewVocabSST: the SST training vocabulary.
func BenchmarkNewVocabSST(b *testing.B) {
	train, _, _, err := sst.Load()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		NewVocab(train.Sentences)
	}
}
