package kernel

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBiasEmptyDims: each of the four bias kernels does nothing, and does
// not panic, when any one of its sizes is zero (the others positive).
func TestBiasEmptyDims(t *testing.T) {
	x := []float32{1, 2, 3, 4, 5, 6}
	v := []float32{7, 8, 9}
	for _, c := range []struct {
		name string
		run  func()
	}{
		{"AddBiasRows rows 0", func() { AddBiasRows(x, 0, 3, v) }},
		{"AddBiasRows cols 0", func() { AddBiasRows(x, 2, 0, v) }},
		{"SumRows rows 0", func() { SumRows(x, 0, 3, v) }},
		{"SumRows cols 0", func() { SumRows(x, 2, 0, v) }},
		{"AddBiasChannels n 0", func() { AddBiasChannels(x, 0, 3, 2, v) }},
		{"AddBiasChannels c 0", func() { AddBiasChannels(x, 1, 0, 2, v) }},
		{"AddBiasChannels hw 0", func() { AddBiasChannels(x, 1, 3, 0, v) }},
		{"SumChannels n 0", func() { SumChannels(x, 0, 3, 2, v) }},
		{"SumChannels c 0", func() { SumChannels(x, 1, 0, 2, v) }},
		{"SumChannels hw 0", func() { SumChannels(x, 1, 3, 0, v) }},
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic %v", c.name, r)
				}
			}()
			c.run()
		}()
		if !slices.Equal(x, []float32{1, 2, 3, 4, 5, 6}) || !slices.Equal(v, []float32{7, 8, 9}) {
			t.Fatalf("%s: changed its operands: x %v, v %v", c.name, x, v)
		}
	}
}

// TestBiasShortOperands: a bias kernel given an x one element too short
// panics, even when x is the prefix of a longer array (so that slicing
// past its length within its capacity would not), and leaves the array's
// elements past x untouched.
func TestBiasShortOperands(t *testing.T) {
	const rows, cols = 3, 4
	for _, c := range []struct {
		name string
		run  func(x []float64)
	}{
		{"AddBiasRows", func(x []float64) { AddBiasRows(x, rows, cols, make([]float64, cols)) }},
		{"SumRows", func(x []float64) { SumRows(x, rows, cols, make([]float64, cols)) }},
		{"AddBiasChannels", func(x []float64) { AddBiasChannels(x, 1, rows, cols, make([]float64, rows)) }},
		{"SumChannels", func(x []float64) { SumChannels(x, 1, rows, cols, make([]float64, rows)) }},
	} {
		buf := make([]float64, rows*cols+8)
		for i := range buf {
			buf[i] = float64(i)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: x of %d elements for %d×%d: no panic", c.name, rows*cols-1, rows, cols)
				}
			}()
			c.run(buf[:rows*cols-1])
		}()
		for i := rows*cols - 1; i < len(buf); i++ {
			if buf[i] != float64(i) {
				t.Fatalf("%s: element %d past x changed to %v", c.name, i, buf[i])
			}
		}
	}
}

// TestSumRowsBlockEdges: SumRows splits the columns into blocks of 256 and
// hands the blocks to workers (one block each at 200 rows, where a block
// is 51,200 elements); widths just below, at and above block edges against
// a plain loop.
func TestSumRowsBlockEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, cols := range []int{1, 255, 256, 257, 511, 512, 513} {
		const rows = 200
		x := ewRandSlice[float64](rng, rows*cols)
		got, want := make([]float64, cols), make([]float64, cols)
		for r := range rows {
			for j := range cols {
				want[j] += x[r*cols+j]
			}
		}
		SumRows(x, rows, cols, got)
		ewCheckSlices(t, fmt.Sprintf("SumRows, %d columns", cols), got, want)
	}
}
