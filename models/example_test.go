package models_test

import (
	"fmt"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func ExampleNew() {
	m, input, err := models.New("cnn", tensor.NewRand(1))
	if err != nil {
		panic(err)
	}
	fmt.Println(input, nn.NumParams(m), m.Names)
	// Output: [1 28 28] 821706 [conv1 pool1 relu1 conv2 pool2 relu2 flatten fc3 relu3 logits]
}
