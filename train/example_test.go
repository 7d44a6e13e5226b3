package train_test

import (
	"context"
	"fmt"

	"github.com/duboko/duboko/train"
)

// A short run of the MLP on the first 2,000 MNIST training images; no
// files are written because OutDir is empty.
func ExampleRun() {
	res, err := train.Run(context.Background(), train.Config{
		Model: "mlp", Epochs: 1, MaxTrain: 2000, ValSize: 500, LR: 0.1,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(res.History), res.Test.Accuracy > 0.8)
	// Output: 1 true
}
