package tensor_test

import (
	"testing"

	"github.com/duboko/duboko/tensor"
)

// BenchmarkRecordSmallOps times a chain of small recorded ops and its
// backward pass, where the cost of recording each op (the node and its
// record) is largest relative to the arithmetic.
func BenchmarkRecordSmallOps(b *testing.B) {
	rng := tensor.NewRand(1)
	x := tensor.RandN(rng, 4, 8).SetRequiresGrad(true)
	w := tensor.RandN(rng, 8, 8).SetRequiresGrad(true)
	b.ReportAllocs()
	for b.Loop() {
		h := tensor.ReLU(tensor.MatMul(x, w))
		h = tensor.Sigmoid(tensor.Add(h, tensor.MulScalar(h, 0.5)))
		l := tensor.Sum(tensor.Softmax(tensor.Mean(tensor.Reshape(h, 4, 2, 4), 1), 1))
		l.Backward()
		x.ZeroGrad()
		w.ZeroGrad()
	}
}

// BenchmarkLinearStep times a fully connected layer's forward and
// backward pass on the MNIST MLP's first-layer shape, batch 50.
func BenchmarkLinearStep(b *testing.B) {
	rng := tensor.NewRand(1)
	x := tensor.RandN(rng, 50, 784)
	w := tensor.RandN(rng, 512, 784).SetRequiresGrad(true)
	bias := tensor.RandN(rng, 512).SetRequiresGrad(true)
	b.ReportAllocs()
	for b.Loop() {
		tensor.Sum(tensor.LinearReLU(x, w, bias)).Backward()
		w.ZeroGrad()
		bias.ZeroGrad()
	}
}

// BenchmarkConv2dStep times a recorded convolution's forward and backward
// pass on the MNIST CNN's conv2 shape, batch 50.
func BenchmarkConv2dStep(b *testing.B) {
	rng := tensor.NewRand(1)
	x := tensor.RandN(rng, 50, 16, 14, 14)
	w := tensor.RandN(rng, 32, 16, 5, 5).SetRequiresGrad(true)
	bias := tensor.RandN(rng, 32).SetRequiresGrad(true)
	one := [2]int{1, 1}
	b.ReportAllocs()
	for b.Loop() {
		tensor.Sum(tensor.Conv2d(x, w, bias, one, [2]int{2, 2}, one)).Backward()
		w.ZeroGrad()
		bias.ZeroGrad()
	}
}
