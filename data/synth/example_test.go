package synth_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/data/synth"
)

func ExampleSampleGauss2D() {
	rng := rand.New(rand.NewPCG(100, 0))
	X, Y := synth.SampleGauss2D(rng, 3, 100) // 3 classes, 100 points each
	fmt.Println(len(X)/2, "points,", "labels", Y[0], Y[100], Y[299])

	// Feed them to a Loader.
	ds, err := data.NewInMemory(synth.Float32(X), []int{2}, Y)
	if err != nil {
		panic(err)
	}
	l := data.NewLoader(ds, 32, data.WithShuffle(1))
	fmt.Println(l.NumBatches(), "batches per epoch")
	// Output:
	// 300 points, labels 0 1 2
	// 10 batches per epoch
}

func ExampleSampleGMM2D() {
	rng := rand.New(rand.NewPCG(100, 0))
	X, Y := synth.SampleGMM2D(rng, 6, 2, 10) // 6 components, 2 classes
	fmt.Println(len(X), len(Y))
	// Output:
	// 120 60
}
