package text

import (
	"slices"
	"strings"
	"testing"

	"github.com/duboko/duboko/data"
)

func TestCollate(t *testing.T) {
	d, err := NewDataset([][]int{{5, 6, 7}, {8}, {9, 10}}, []int{1, 0, 1})
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 3 || d.MaxLen() != 3 || !slices.Equal(d.SampleShape(), []int{4}) {
		t.Fatalf("Len %d MaxLen %d SampleShape %v", d.Len(), d.MaxLen(), d.SampleShape())
	}
	p := d.Collate([]int{2, 1})
	if p.N != 2 || p.T != 2 || !slices.Equal(p.Shape(), []int{2, 2}) ||
		!slices.Equal(p.IDs, []int64{9, 10, 8, PadID}) || !slices.Equal(p.Lengths, []int{2, 1}) || !slices.Equal(p.Labels, []int{1, 0}) {
		t.Errorf("Collate([2 1]) = %+v", p)
	}
	p = d.Collate([]int{1, 0, 2})
	want := []int64{8, 0, 0, 5, 6, 7, 9, 10, 0}
	if p.T != 3 || !slices.Equal(p.IDs, want) || !slices.Equal(p.Lengths, []int{1, 3, 2}) {
		t.Errorf("Collate([1 0 2]) = %+v", p)
	}
}

// TestUnpadThroughLoader: a shuffled data.Loader over a Dataset, each batch
// unpadded, gives the same batches as Collate of the loader's indices.
func TestUnpadThroughLoader(t *testing.T) {
	var ids [][]int
	var labels []int
	for i := range 23 {
		s := make([]int, 1+i*7%11)
		for j := range s {
			s[j] = 2 + (i*31+j*17)%50
		}
		ids = append(ids, s)
		labels = append(labels, i%2)
	}
	ids[5] = []int{1 << 20} // a large id survives the float32 round trip
	d, err := NewDataset(ids, labels)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for b := range data.NewLoader(d, 5, data.WithShuffle(3)).Epoch() {
		p, err := Unpad(b)
		if err != nil {
			t.Fatal(err)
		}
		q := d.Collate(b.Indices)
		if p.N != q.N || p.T != q.T || !slices.Equal(p.IDs, q.IDs) || !slices.Equal(p.Lengths, q.Lengths) || !slices.Equal(p.Labels, q.Labels) {
			t.Fatalf("Unpad %+v, Collate %+v", p, q)
		}
		n += p.N
	}
	if n != 23 {
		t.Errorf("%d sentences in an epoch", n)
	}
}

func TestDatasetErrors(t *testing.T) {
	for _, c := range []struct {
		ids    [][]int
		labels []int
		want   string
	}{
		{[][]int{{1}}, []int{0, 1}, "1 sentences but 2 labels"},
		{[][]int{{1}, {}}, []int{0, 1}, "sentence 1 is empty"},
		{[][]int{{-1}}, []int{0}, "holds id -1"},
		{[][]int{{1 << 24}}, []int{0}, "holds id 16777216"},
	} {
		if _, err := NewDataset(c.ids, c.labels); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewDataset(%v, %v): got %v, want %q", c.ids, c.labels, err, c.want)
		}
	}
	for _, b := range []*data.Batch{
		{X: []float32{0, 2, 3}, Shape: []int{1, 3}, Labels: []int{0}},    // length 0
		{X: []float32{3, 2, 3}, Shape: []int{1, 3}, Labels: []int{0}},    // length past the row
		{X: []float32{1.5, 2, 3}, Shape: []int{1, 3}, Labels: []int{0}},  // fractional length
		{X: []float32{1, -2, 3}, Shape: []int{1, 3}, Labels: []int{0}},   // negative id
		{X: []float32{1, 2, 3}, Shape: []int{1, 3, 1}, Labels: []int{0}}, // not 2-D
		{X: []float32{1, 2}, Shape: []int{1, 3}, Labels: []int{0}},       // too few values
	} {
		if _, err := Unpad(b); err == nil || !strings.HasPrefix(err.Error(), "text.Unpad: ") {
			t.Errorf("Unpad(%v %v): got %v", b.X, b.Shape, err)
		}
	}
}
