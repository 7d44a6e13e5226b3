// Package data feeds training loops: the [Dataset] interface, an in-memory
// dataset, and a [Loader] that shuffles with a seed and cuts a dataset into
// batches.
//
// Batches are plain float32 slices with a shape (batch first), so this
// package does not depend on the tensor package; wrap a batch's X and Shape
// in a tensor where you need one. Subpackages read data: idx (the IDX file
// format), mnist (MNIST, embedded), cifar (CIFAR-10 from the official
// binary files, which users download) and synth (synthetic 2-D data sets).
package data

import (
	"fmt"
	"slices"
)

// Dataset is an indexed collection of labelled samples of one shape.
type Dataset interface {
	// Len returns the number of samples.
	Len() int
	// SampleShape returns the shape of one sample, such as [1 28 28].
	SampleShape() []int
	// Sample copies sample i into x, whose length is the product of
	// SampleShape, and returns its label.
	Sample(i int, x []float32) int
}

// SampleSize returns the number of values in one sample of ds, the product
// of its SampleShape.
func SampleSize(ds Dataset) int {
	return prod(ds.SampleShape())
}

func prod(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// InMemory is a Dataset held in one contiguous slice.
type InMemory struct {
	x      []float32
	shape  []int
	size   int
	labels []int
}

// NewInMemory returns a Dataset whose sample i is
// x[i*size:(i+1)*size], size being the product of sampleShape, with label
// labels[i]. It keeps x and labels without copying them. It returns an error
// unless every dimension of sampleShape is positive and
// len(x) == len(labels)*size.
func NewInMemory(x []float32, sampleShape []int, labels []int) (*InMemory, error) {
	for _, d := range sampleShape {
		if d <= 0 {
			return nil, fmt.Errorf("data.NewInMemory: sample shape %v has a non-positive dimension", sampleShape)
		}
	}
	size := prod(sampleShape)
	if len(x) != len(labels)*size {
		return nil, fmt.Errorf("data.NewInMemory: %d values for %d labels of shape %v, want %d",
			len(x), len(labels), sampleShape, len(labels)*size)
	}
	return &InMemory{x: x, shape: slices.Clone(sampleShape), size: size, labels: labels}, nil
}

// Len returns the number of samples.
func (d *InMemory) Len() int { return len(d.labels) }

// SampleShape returns a copy of the shape of one sample.
func (d *InMemory) SampleShape() []int { return slices.Clone(d.shape) }

// Sample copies sample i into x and returns its label.
func (d *InMemory) Sample(i int, x []float32) int {
	copy(x[:d.size], d.x[i*d.size:(i+1)*d.size])
	return d.labels[i]
}
