package text

import (
	"fmt"
	"slices"

	"github.com/duboko/duboko/data"
)

// maxExactID bounds the ids a Dataset holds: its samples carry ids as
// float32, which represents every integer up to 2^24 exactly.
const maxExactID = 1 << 24

// Dataset is a labelled set of encoded sentences of varying length. Collate
// pads a batch of them to the batch's longest sentence.
//
// A *Dataset is also a [data.Dataset], so that a data.Loader, and the
// trainer, can shuffle and batch it: sample i is a row of 1+MaxLen() values
// holding the sentence's length, its ids, then PadID up to MaxLen() (ids as
// float32 are exact, see NewDataset). [Unpad] turns such a batch back into
// a [Padded] batch cut to its longest sentence.
type Dataset struct {
	ids    [][]int
	labels []int
	maxLen int
}

// NewDataset returns a Dataset of sentences ids[i] with labels[i]. It keeps
// the slices without copying them. It returns an error unless there is one
// label per sentence, no sentence is empty, and every id is in 0..2^24-1.
func NewDataset(ids [][]int, labels []int) (*Dataset, error) {
	if len(ids) != len(labels) {
		return nil, fmt.Errorf("text.NewDataset: %d sentences but %d labels", len(ids), len(labels))
	}
	maxLen := 0
	for i, s := range ids {
		if len(s) == 0 {
			return nil, fmt.Errorf("text.NewDataset: sentence %d is empty", i)
		}
		for _, id := range s {
			if id < 0 || id >= maxExactID {
				return nil, fmt.Errorf("text.NewDataset: sentence %d holds id %d, outside 0..%d", i, id, maxExactID-1)
			}
		}
		maxLen = max(maxLen, len(s))
	}
	return &Dataset{ids: ids, labels: labels, maxLen: maxLen}, nil
}

// Len returns the number of sentences.
func (d *Dataset) Len() int { return len(d.ids) }

// MaxLen returns the length of the longest sentence.
func (d *Dataset) MaxLen() int { return d.maxLen }

// Sentence returns the ids of sentence i (not a copy).
func (d *Dataset) Sentence(i int) []int { return d.ids[i] }

// Label returns the label of sentence i.
func (d *Dataset) Label(i int) int { return d.labels[i] }

// SampleShape returns [1+MaxLen()]: a length, then the padded ids.
func (d *Dataset) SampleShape() []int { return []int{1 + d.maxLen} }

// Sample writes sentence i as [length, ids..., PadID...] into x, which
// holds 1+MaxLen() values, and returns its label.
func (d *Dataset) Sample(i int, x []float32) int {
	s := d.ids[i]
	x = x[:1+d.maxLen]
	x[0] = float32(len(s))
	for j, id := range s {
		x[1+j] = float32(id)
	}
	clear(x[1+len(s):])
	return d.labels[i]
}

// Padded is a batch of sentences padded with PadID to the longest, T.
type Padded struct {
	IDs     []int64 // N×T token ids, row-major; row i is PadID from Lengths[i] on
	N, T    int     // batch size and padded length
	Lengths []int   // the N sentences' lengths, each in 1..T
	Labels  []int   // the N labels
}

// Shape returns the shape of IDs, [N, T].
func (p *Padded) Shape() []int { return []int{p.N, p.T} }

// Collate returns the sentences idx as a batch padded to the longest of
// them, in the order given. It panics if idx is empty or an index is out of
// range.
func (d *Dataset) Collate(idx []int) *Padded {
	if len(idx) == 0 {
		panic("text.Dataset.Collate: no sentences")
	}
	p := &Padded{N: len(idx), Lengths: make([]int, len(idx)), Labels: make([]int, len(idx))}
	for j, i := range idx {
		p.Lengths[j] = len(d.ids[i])
		p.Labels[j] = d.labels[i]
		p.T = max(p.T, p.Lengths[j])
	}
	p.IDs = make([]int64, p.N*p.T) // PadID is 0
	for j, i := range idx {
		row := p.IDs[j*p.T:]
		for k, id := range d.ids[i] {
			row[k] = int64(id)
		}
	}
	return p
}

// Unpad returns the Padded batch of a batch that a data.Loader cut from a
// *Dataset (rows of [length, ids..., PadID...]), cut to its longest
// sentence. It returns an error if b does not have that layout.
func Unpad(b *data.Batch) (*Padded, error) {
	if len(b.Shape) != 2 || b.Shape[0] != b.Size() || b.Shape[0] < 1 || b.Shape[1] < 2 || len(b.X) != b.Shape[0]*b.Shape[1] {
		return nil, fmt.Errorf("text.Unpad: batch of shape %v with %d values and %d labels is not a batch of a text.Dataset", b.Shape, len(b.X), b.Size())
	}
	n, w := b.Shape[0], b.Shape[1]
	p := &Padded{N: n, Lengths: make([]int, n), Labels: slices.Clone(b.Labels)}
	for i := range n {
		l := b.X[i*w]
		if l < 1 || l > float32(w-1) || l != float32(int(l)) {
			return nil, fmt.Errorf("text.Unpad: row %d of the batch has length %v, want an integer in 1..%d", i, l, w-1)
		}
		p.Lengths[i] = int(l)
		p.T = max(p.T, int(l))
	}
	p.IDs = make([]int64, n*p.T)
	for i := range n {
		row := b.X[i*w+1 : i*w+1+p.Lengths[i]]
		for k, v := range row {
			if v < 0 || v >= maxExactID || v != float32(int(v)) {
				return nil, fmt.Errorf("text.Unpad: row %d of the batch holds id %v", i, v)
			}
			p.IDs[i*p.T+k] = int64(v)
		}
	}
	return p, nil
}
