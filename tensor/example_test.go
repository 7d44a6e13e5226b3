package tensor_test

import (
	"fmt"

	"github.com/duboko/duboko/tensor"
)

func Example() {
	w := tensor.FromFloat32([]float32{1, 2, 3, 4}, 2, 2).SetRequiresGrad(true)
	x := tensor.FromFloat32([]float32{1, -1}, 2, 1)
	loss := tensor.Sum(tensor.ReLU(tensor.MatMul(w, x)))
	loss.Backward()
	fmt.Println(loss.Item())
	fmt.Println(w.Grad())
	// Output:
	// 0
	// tensor([2 2], float32)
	// [[0 0]
	//  [0 0]]
}

func ExampleSoftmax() {
	x := tensor.FromFloat64([]float64{1, 2, 3}, 1, 3)
	fmt.Printf("%.4f\n", tensor.Softmax(x, 1).Values())
	// Output: [0.0900 0.2447 0.6652]
}

func ExampleLinearReLU() {
	// relu(x·Wᵀ + b) for one input row, with the bias and ReLU applied by
	// the matrix product itself.
	x := tensor.FromFloat32([]float32{1, 2}, 1, 2)
	w := tensor.FromFloat32([]float32{1, 1, 1, -1}, 2, 2)
	b := tensor.FromFloat32([]float32{0.5, 0.5}, 2)
	fmt.Println(tensor.LinearReLU(x, w, b).Values())

	// Inference can reuse one result buffer across calls.
	out := tensor.Zeros(1, 2)
	tensor.NoGrad(func() { tensor.LinearReLUInto(out, x, w, b) })
	fmt.Println(out.Values())
	// Output:
	// [3.5 0]
	// [3.5 0]
}
