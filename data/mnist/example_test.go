package mnist_test

import (
	"fmt"

	"github.com/duboko/duboko/data/mnist"
)

func ExampleLoad() {
	train, test, err := mnist.Load()
	if err != nil {
		panic(err)
	}
	train, val := mnist.Split(train, 5000)
	fmt.Println(train.N, val.N, test.N, train.H, train.W)
	fmt.Println("first label:", train.Labels[0])
	// Output:
	// 55000 5000 10000 28 28
	// first label: 5
}
