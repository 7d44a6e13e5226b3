package data

import (
	"slices"
	"strings"
	"testing"
)

// seqSet returns n samples of shape [2 3]; sample i holds values
// 100*i+0..5 and has label i%7.
func seqSet(t testing.TB, n int) *InMemory {
	t.Helper()
	x := make([]float32, n*6)
	labels := make([]int, n)
	for i := range n {
		for j := range 6 {
			x[i*6+j] = float32(100*i + j)
		}
		labels[i] = i % 7
	}
	ds, err := NewInMemory(x, []int{2, 3}, labels)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestNewInMemoryErrors(t *testing.T) {
	tests := []struct {
		name   string
		x      []float32
		shape  []int
		labels []int
		want   string
	}{
		{"too few values", make([]float32, 5), []int{2, 3}, []int{0}, "5 values for 1 labels of shape [2 3], want 6"},
		{"too many values", make([]float32, 13), []int{2, 3}, []int{0, 1}, "want 12"},
		{"zero dim", nil, []int{0, 3}, nil, "non-positive"},
		{"negative dim", nil, []int{-1}, nil, "non-positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewInMemory(tc.x, tc.shape, tc.labels)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
	// A scalar sample shape and an empty dataset are fine.
	if _, err := NewInMemory([]float32{1, 2}, nil, []int{0, 1}); err != nil {
		t.Fatal(err)
	}
	if ds, err := NewInMemory(nil, []int{3}, nil); err != nil || ds.Len() != 0 {
		t.Fatal(err)
	}
}

func TestInMemory(t *testing.T) {
	ds := seqSet(t, 4)
	if ds.Len() != 4 || !slices.Equal(ds.SampleShape(), []int{2, 3}) || SampleSize(ds) != 6 {
		t.Fatal("Len/SampleShape")
	}
	ds.SampleShape()[0] = 99 // must not change ds
	x := make([]float32, 6)
	if l := ds.Sample(2, x); l != 2 || x[0] != 200 || x[5] != 205 {
		t.Fatalf("Sample(2) = %d, %v", l, x)
	}
	if !slices.Equal(ds.SampleShape(), []int{2, 3}) {
		t.Fatal("SampleShape aliased")
	}
}

func TestLoaderBatches(t *testing.T) {
	tests := []struct {
		name      string
		n, bs     int
		last      LastBatch
		wantSizes []int
	}{
		{"exact", 6, 3, Keep, []int{3, 3}},
		{"keep partial", 7, 3, Keep, []int{3, 3, 1}},
		{"drop partial", 7, 3, Drop, []int{3, 3}},
		{"drop all", 2, 3, Drop, nil},
		{"keep small", 2, 3, Keep, []int{2}},
		{"empty", 0, 4, Keep, nil},
		{"batch 1", 3, 1, Keep, []int{1, 1, 1}},
	}
	for _, tc := range tests {
		for _, shuffle := range []bool{false, true} {
			opts := []Option{WithLast(tc.last)}
			if shuffle {
				opts = append(opts, WithShuffle(42))
			}
			l := NewLoader(seqSet(t, tc.n), tc.bs, opts...)
			if l.NumBatches() != len(tc.wantSizes) {
				t.Errorf("%s: NumBatches %d, want %d", tc.name, l.NumBatches(), len(tc.wantSizes))
			}
			var sizes []int
			seen := map[int]bool{}
			for b := range l.Epoch() {
				sizes = append(sizes, b.Size())
				if b.Shape[0] != b.Size() || len(b.Shape) != 3 || b.Shape[1] != 2 || b.Shape[2] != 3 ||
					len(b.X) != b.Size()*6 || len(b.Indices) != b.Size() {
					t.Fatalf("%s: batch shape %v, %d values, %d labels", tc.name, b.Shape, len(b.X), len(b.Labels))
				}
				for j, i := range b.Indices {
					if seen[i] {
						t.Fatalf("%s: sample %d twice", tc.name, i)
					}
					seen[i] = true
					if b.Labels[j] != i%7 || b.X[j*6] != float32(100*i) || b.X[j*6+5] != float32(100*i+5) {
						t.Fatalf("%s: batch row %d does not hold sample %d", tc.name, j, i)
					}
				}
			}
			if !slices.Equal(sizes, tc.wantSizes) {
				t.Errorf("%s shuffle=%v: batch sizes %v, want %v", tc.name, shuffle, sizes, tc.wantSizes)
			}
			if !shuffle && tc.n > 0 && len(tc.wantSizes) > 0 && !seen[0] {
				t.Errorf("%s: in-order epoch skipped sample 0", tc.name)
			}
		}
	}
}

func epochOrder(l *Loader) []int {
	var order []int
	for b := range l.Epoch() {
		order = append(order, b.Indices...)
	}
	return order
}

func TestLoaderDeterministic(t *testing.T) {
	ds := seqSet(t, 50)
	a := NewLoader(ds, 8, WithShuffle(7))
	b := NewLoader(ds, 8, WithShuffle(7))
	c := NewLoader(ds, 8, WithShuffle(8))
	a0, a1 := epochOrder(a), epochOrder(a)
	b0, b1 := epochOrder(b), epochOrder(b)
	c0 := epochOrder(c)
	if !slices.Equal(a0, b0) || !slices.Equal(a1, b1) {
		t.Fatal("same seed gave different orders")
	}
	if slices.Equal(a0, a1) {
		t.Fatal("epochs 0 and 1 have the same order")
	}
	if slices.Equal(a0, c0) {
		t.Fatal("seeds 7 and 8 gave the same order")
	}
	if slices.Equal(a0, NewLoader(ds, 8).Order(0)) {
		t.Fatal("shuffled order is the identity")
	}
	if !slices.Equal(a.Order(1), a1) || a.Epochs() != 2 {
		t.Fatal("Order(1) differs from epoch 1")
	}
	// Resuming at epoch 1 replays epoch 1, even after an aborted epoch.
	for range b.Epoch() {
		break
	}
	b.SetEpoch(1)
	if !slices.Equal(epochOrder(b), a1) {
		t.Fatal("SetEpoch(1) does not replay epoch 1")
	}
	// Unshuffled: identity every epoch.
	u := NewLoader(ds, 8)
	for range 2 {
		if o := epochOrder(u); !slices.Equal(o, u.Order(0)) || o[0] != 0 || o[49] != 49 {
			t.Fatal("unshuffled order")
		}
	}
}

func TestLoaderReusesBuffers(t *testing.T) {
	l := NewLoader(seqSet(t, 10), 4, WithShuffle(1))
	var first *Batch
	var p *float32
	for b := range l.Epoch() {
		if first == nil {
			first, p = b, &b.X[0]
		} else if b != first || &b.X[0] != p {
			t.Fatal("batch not reused")
		}
	}
	allocs := testing.AllocsPerRun(20, func() {
		for range l.Epoch() {
		}
	})
	if allocs > 4 {
		t.Errorf("%v allocations per epoch", allocs)
	}
}

func TestNewLoaderPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "batch size 0") {
			t.Fatalf("recover() = %v", r)
		}
	}()
	NewLoader(seqSet(t, 3), 0)
}

func BenchmarkLoaderEpoch784(b *testing.B) {
	n, size := 10000, 784
	ds, _ := NewInMemory(make([]float32, n*size), []int{1, 28, 28}, make([]int, n))
	l := NewLoader(ds, 64, WithShuffle(1))
	for b.Loop() {
		for range l.Epoch() {
		}
	}
}
