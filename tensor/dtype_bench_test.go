package tensor_test

import (
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// Float paths that the Int64 dtype touches (allocation guard, element
// access, Gather): compare with the same benchmarks before the change.

// BenchmarkAdd_64x512 is a broadcast bias add, forward only.
func BenchmarkAdd_64x512(b *testing.B) {
	x, bias := RandN(NewRand(1), 64, 512), RandN(NewRand(2), 512)
	for b.Loop() {
		Add(x, bias)
	}
}

// BenchmarkAddTiny_4 is dominated by per-op overhead (allocation, dispatch).
func BenchmarkAddTiny_4(b *testing.B) {
	x, y := RandN(NewRand(1), 4), RandN(NewRand(2), 4)
	for b.Loop() {
		Add(x, y)
	}
}

// BenchmarkLinearStep_64x256x128 is a Linear forward and backward.
func BenchmarkLinearStep_64x256x128(b *testing.B) {
	x := RandN(NewRand(1), 64, 256)
	w, bias := RandN(NewRand(2), 128, 256).SetRequiresGrad(true), RandN(NewRand(3), 128).SetRequiresGrad(true)
	for b.Loop() {
		Sum(Linear(x, w, bias)).Backward()
		w.ZeroGrad()
		bias.ZeroGrad()
	}
}

// BenchmarkCrossEntropyStep_128x10 is log-softmax, Gather of the labels and
// the mean, forward and backward (the loss of every classification step).
func BenchmarkCrossEntropyStep_128x10(b *testing.B) {
	x := RandN(NewRand(1), 128, 10).SetRequiresGrad(true)
	labels := make([]int, 128)
	for i := range labels {
		labels[i] = i % 10
	}
	for b.Loop() {
		Neg(Mean(gatherLabels(LogSoftmax(x, 1), labels))).Backward()
		x.ZeroGrad()
	}
}

// BenchmarkMaxStep_128x10 is a max over the class axis with its backward.
func BenchmarkMaxStep_128x10(b *testing.B) {
	x := RandN(NewRand(1), 128, 10).SetRequiresGrad(true)
	for b.Loop() {
		m, _ := Max(x, 1)
		Sum(m).Backward()
		x.ZeroGrad()
	}
}

func gatherLabels(x *Tensor, labels []int) *Tensor { return Gather(x, 1, FromInts(labels)) }
