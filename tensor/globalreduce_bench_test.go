package tensor_test

import (
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// BenchmarkAmaxPlanes compares Amax over the planes of a [32,64,16,16]
// batch with GlobalMaxPool2d, which computes the same values with a
// plane-wise kernel, both recorded for autodiff.
func BenchmarkAmaxPlanes(b *testing.B) {
	x := RandN(NewRand(1), 32, 64, 16, 16).SetRequiresGrad(true)
	b.Run("Amax_32x64x16x16", func(b *testing.B) {
		for b.Loop() {
			Amax(x, 2, 3)
		}
	})
	b.Run("GlobalMaxPool2d_32x64x16x16", func(b *testing.B) {
		for b.Loop() {
			GlobalMaxPool2d(x)
		}
	})
}
