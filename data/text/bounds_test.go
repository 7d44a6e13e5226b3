package text

import (
	"slices"
	"strings"
	"testing"

	"github.com/duboko/duboko/data"
)

// TestDatasetIDRange: ids 0 (PadID) and 2^24−1 are valid in a sentence;
// the error for 2^24 names the valid range.
func TestDatasetIDRange(t *testing.T) {
	d, err := NewDataset([][]int{{0, 1<<24 - 1}}, []int{1})
	if err != nil {
		t.Fatalf("ids 0 and 2^24-1: %v", err)
	}
	if p := d.Collate([]int{0}); !slices.Equal(p.IDs, []int64{0, 1<<24 - 1}) {
		t.Errorf("Collate: %v", p.IDs)
	}
	_, err = NewDataset([][]int{{3}, {1, 1 << 24}}, []int{0, 1})
	if err == nil || err.Error() != "text.NewDataset: sentence 1 holds id 16777216, outside 0..16777215" {
		t.Errorf("id 2^24: %v", err)
	}
}

// TestUnpadSmallest: a batch of one row, of sentences of one token (rows
// of width 2), holding the ids 0 and 2^24−1, is unpadded; an id of 2^24 is
// refused, and the error for a bad length names the valid range.
func TestUnpadSmallest(t *testing.T) {
	for _, id := range []float32{0, 1<<24 - 1} {
		p, err := Unpad(&data.Batch{X: []float32{1, id}, Shape: []int{1, 2}, Labels: []int{1}})
		if err != nil {
			t.Fatalf("row [1 %v]: %v", id, err)
		}
		if p.N != 1 || p.T != 1 || !slices.Equal(p.IDs, []int64{int64(id)}) || !slices.Equal(p.Labels, []int{1}) {
			t.Errorf("row [1 %v]: %+v", id, p)
		}
	}
	_, err := Unpad(&data.Batch{X: []float32{1, 1 << 24}, Shape: []int{1, 2}, Labels: []int{1}})
	if err == nil || !strings.Contains(err.Error(), "holds id 1.6777216e+07") {
		t.Errorf("id 2^24: %v", err)
	}
	_, err = Unpad(&data.Batch{X: []float32{3, 5, 6}, Shape: []int{1, 3}, Labels: []int{1}})
	if err == nil || err.Error() != "text.Unpad: row 0 of the batch has length 3, want an integer in 1..2" {
		t.Errorf("length 3 in a row of width 3: %v", err)
	}
}

// TestUnpadRows: the ids of every row land in that row.
func TestUnpadRows(t *testing.T) {
	p, err := Unpad(&data.Batch{X: []float32{2, 7, 8, 0, 3, 4, 5, 6}, Shape: []int{2, 4}, Labels: []int{0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if p.T != 3 || !slices.Equal(p.IDs, []int64{7, 8, 0, 4, 5, 6}) || !slices.Equal(p.Lengths, []int{2, 3}) {
		t.Errorf("got %+v", p)
	}
}
