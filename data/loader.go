package data

import (
	"fmt"
	"iter"
	"math/rand/v2"
)

// LastBatch says what a Loader does with a last batch smaller than the batch
// size.
type LastBatch int

const (
	// Keep yields the smaller last batch.
	Keep LastBatch = iota
	// Drop leaves the smaller last batch out of the epoch.
	Drop
)

// Batch is one batch of samples.
//
// A Loader reuses one Batch and its slices for every batch it yields: a
// batch is valid only until the loop asks for the next one. Copy what must
// outlive that.
type Batch struct {
	X       []float32 // samples, row-major, len = product of Shape
	Shape   []int     // [batch size, sample shape...]
	Labels  []int     // label of each sample
	Indices []int     // dataset index of each sample
}

// Size returns the number of samples in the batch, Shape[0].
func (b *Batch) Size() int { return len(b.Labels) }

// Loader cuts a Dataset into batches, in order or shuffled with a seed.
//
// With shuffling on, the order of epoch k depends only on the seed and k:
// the same seed gives the same sequence of epochs, and each epoch is shuffled
// afresh. A Loader is not safe for concurrent use.
type Loader struct {
	ds        Dataset
	batchSize int
	last      LastBatch
	shuffle   bool
	seed      uint64
	epoch     int

	src   *rand.PCG
	rng   *rand.Rand
	order []int
	batch Batch
	size  int // values per sample
}

// Option configures a Loader.
type Option func(*Loader)

// WithShuffle makes the Loader shuffle the samples each epoch, seeded by
// seed.
func WithShuffle(seed uint64) Option {
	return func(l *Loader) { l.shuffle, l.seed = true, seed }
}

// WithLast sets what happens to a smaller last batch; the default is Keep.
func WithLast(p LastBatch) Option {
	return func(l *Loader) { l.last = p }
}

// NewLoader returns a Loader over ds yielding batches of batchSize samples,
// in dataset order unless WithShuffle is given. It panics if batchSize < 1.
func NewLoader(ds Dataset, batchSize int, opts ...Option) *Loader {
	if batchSize < 1 {
		panic(fmt.Sprintf("data.NewLoader: batch size %d, want at least 1", batchSize))
	}
	l := &Loader{ds: ds, batchSize: batchSize}
	for _, o := range opts {
		o(l)
	}
	l.src = rand.NewPCG(0, 0)
	l.rng = rand.New(l.src)
	shape := ds.SampleShape()
	l.size = prod(shape)
	l.order = make([]int, ds.Len())
	l.batch = Batch{
		X:       make([]float32, batchSize*l.size),
		Shape:   append([]int{batchSize}, shape...),
		Labels:  make([]int, batchSize),
		Indices: make([]int, batchSize),
	}
	return l
}

// BatchSize returns the (full) batch size.
func (l *Loader) BatchSize() int { return l.batchSize }

// NumBatches returns the number of batches in one epoch.
func (l *Loader) NumBatches() int {
	n := l.ds.Len()
	if l.last == Drop {
		return n / l.batchSize
	}
	return (n + l.batchSize - 1) / l.batchSize
}

// Epochs returns the number of epochs started so far; the next call to
// Epoch starts epoch number Epochs().
func (l *Loader) Epochs() int { return l.epoch }

// SetEpoch makes the next call to Epoch start epoch k, for example to resume
// training with the same shuffles as an interrupted run.
func (l *Loader) SetEpoch(k int) { l.epoch = k }

// Order returns the sample order of epoch k without advancing the Loader.
func (l *Loader) Order(k int) []int {
	order := make([]int, l.ds.Len())
	l.fillOrder(order, k)
	return order
}

// fillOrder writes the sample order of epoch k into order.
func (l *Loader) fillOrder(order []int, k int) {
	for i := range order {
		order[i] = i
	}
	if l.shuffle {
		l.src.Seed(l.seed, uint64(k))
		l.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
}

// Epoch starts the next epoch and returns an iterator over its batches:
//
//	for b := range loader.Epoch() {
//		// use b.X, b.Shape, b.Labels before the next iteration
//	}
//
// Every yielded batch is the same reused *Batch; see [Batch].
func (l *Loader) Epoch() iter.Seq[*Batch] {
	k := l.epoch
	l.epoch++
	return func(yield func(*Batch) bool) {
		if n := l.ds.Len(); len(l.order) != n {
			l.order = make([]int, n)
		}
		l.fillOrder(l.order, k)
		nb := l.NumBatches()
		for i := range nb {
			lo := i * l.batchSize
			hi := min(lo+l.batchSize, len(l.order))
			if !yield(l.fill(l.order[lo:hi])) {
				return
			}
		}
	}
}

// fill loads the samples idx into the reused batch.
func (l *Loader) fill(idx []int) *Batch {
	b, n := &l.batch, len(idx)
	b.X = b.X[:cap(b.X)][:n*l.size]
	b.Labels = b.Labels[:cap(b.Labels)][:n]
	b.Indices = b.Indices[:cap(b.Indices)][:n]
	b.Shape[0] = n
	for j, i := range idx {
		b.Indices[j] = i
		b.Labels[j] = l.ds.Sample(i, b.X[j*l.size:(j+1)*l.size])
	}
	return b
}
