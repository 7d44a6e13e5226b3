package data

import (
	"slices"
	"testing"
)

// growing is a Dataset whose length changes between epochs (samples
// appended to a list, say); sample i is the value i with label i.
type growing struct{ n int }

func (g *growing) Len() int                      { return g.n }
func (g *growing) SampleShape() []int            { return []int{1} }
func (g *growing) Sample(i int, x []float32) int { x[0] = float32(i); return i }

// TestLoaderFollowsDatasetLength: each epoch covers the samples the dataset
// holds when the epoch starts, after it grew or shrank.
func TestLoaderFollowsDatasetLength(t *testing.T) {
	g := &growing{n: 5}
	l := NewLoader(g, 3, WithShuffle(1))
	for _, n := range []int{5, 8, 4} {
		g.n = n
		var seen []int
		for b := range l.Epoch() {
			for i, x := range b.X {
				if int(x) != b.Labels[i] {
					t.Fatalf("sample %v with label %d", x, b.Labels[i])
				}
				seen = append(seen, b.Labels[i])
			}
		}
		slices.Sort(seen)
		want := make([]int, n)
		for i := range want {
			want[i] = i
		}
		if !slices.Equal(seen, want) {
			t.Errorf("dataset of %d samples: epoch gave %v", n, seen)
		}
	}
}
