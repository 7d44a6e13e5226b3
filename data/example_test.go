package data_test

import (
	"fmt"
	"slices"

	"github.com/duboko/duboko/data"
)

func ExampleLoader() {
	// Five samples of shape [2]; sample i is (i, 10*i) with label i%2.
	x := []float32{0, 0, 1, 10, 2, 20, 3, 30, 4, 40}
	ds, err := data.NewInMemory(x, []int{2}, []int{0, 1, 0, 1, 0})
	if err != nil {
		panic(err)
	}
	l := data.NewLoader(ds, 2, data.WithLast(data.Keep))
	fmt.Println("batches per epoch:", l.NumBatches())
	for b := range l.Epoch() {
		fmt.Println(b.Shape, b.X, b.Labels, b.Indices)
	}
	// Output:
	// batches per epoch: 3
	// [2 2] [0 0 1 10] [0 1] [0 1]
	// [2 2] [2 20 3 30] [0 1] [2 3]
	// [1 2] [4 40] [0] [4]
}

func ExampleWithShuffle() {
	ds, _ := data.NewInMemory(make([]float32, 6), []int{1}, make([]int, 6))
	a := data.NewLoader(ds, 3, data.WithShuffle(1))
	b := data.NewLoader(ds, 3, data.WithShuffle(1))
	// Same seed, same orders; each epoch shuffled afresh.
	fmt.Println(slices.Equal(a.Order(0), b.Order(0)), slices.Equal(a.Order(1), b.Order(1)))
	fmt.Println(slices.Equal(a.Order(0), a.Order(1)))
	// Output:
	// true true
	// false
}
