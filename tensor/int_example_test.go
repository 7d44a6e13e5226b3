package tensor_test

import (
	"fmt"

	"github.com/duboko/duboko/tensor"
)

// Labels, predictions and indices are Int64 tensors; comparisons give 0/1
// masks in their operands' dtype.
func ExampleArgmax() {
	logits := tensor.FromFloat32([]float32{
		0.1, 2.0, -1,
		3.0, 0.5, 0.2,
		0.0, 0.1, 0.9,
		1.0, 1.5, 0.0,
	}, 4, 3)
	labels := tensor.FromInts([]int{1, 0, 1, 1})
	pred := tensor.Argmax(logits, 1)
	hits := tensor.Equal(pred, labels)
	fmt.Println(pred.Int64s(), hits.Int64s())
	fmt.Println(tensor.Mean(tensor.To(hits, tensor.Float32)).Item())
	// Output:
	// [1 0 2 1] [1 1 0 1]
	// 0.75
}

func ExampleWhere() {
	x := tensor.FromFloat64([]float64{-2, -0.5, 0, 1.5}, 4)
	zero := tensor.ZerosOf(tensor.Float64, 1)
	// a ReLU written with a comparison and a selection
	fmt.Println(tensor.Where(tensor.Greater(x, zero), x, zero).Values())
	// Output: [0 0 0 1.5]
}

func ExampleGather() {
	x := tensor.FromFloat32([]float32{0.1, 0.2, 0.7, 0.5, 0.4, 0.1}, 2, 3)
	fmt.Println(tensor.Gather(x, 1, tensor.FromInts([]int{2, 0})).Values())
	fmt.Println(tensor.OneHot(tensor.Int64, tensor.FromInts([]int{2, 0}), 3))
	// Output:
	// [0.699999988079071 0.5]
	// tensor([2 3], int64)
	// [[0 0 1]
	//  [1 0 0]]
}

func ExampleDTypeError() {
	defer func() { fmt.Println(recover()) }()
	tensor.Exp(tensor.FromInts([]int{1, 2}))
	// Output: Exp: unsupported dtype int64: the operation needs float32 or float64 tensors; convert with tensor.To(x, tensor.Float32)
}
