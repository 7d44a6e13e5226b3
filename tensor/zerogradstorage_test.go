package tensor_test

import (
	"testing"

	"github.com/duboko/duboko/tensor"
)

// TestZeroGradStorageAfterZeroGrad: a custom op's backward that adds into
// ZeroGradStorage gets zeros every time, also when the storage is the
// gradient ZeroGrad cleared (handed back without a copy), so a second
// backward pass gives the second pass's gradient, not the sum of both.
func TestZeroGradStorageAfterZeroGrad(t *testing.T) {
	w := tensor.Zeros(2, 3).SetRequiresGrad(true)
	pass := func(v float32) []float32 {
		out := tensor.Custom("fill", tensor.Zeros(1), []*tensor.Tensor{w}, func(grad *tensor.Tensor) []*tensor.Tensor {
			g := w.ZeroGradStorage()
			for i, x := range g.Float32s() {
				if x != 0 {
					t.Fatalf("pass %v: storage element %d is %v, want 0", v, i, x)
				}
			}
			s := g.Float32s()
			for i := range s {
				s[i] += v
			}
			return []*tensor.Tensor{g}
		})
		tensor.Sum(out).Backward()
		return w.Grad().Float32s()
	}
	first := pass(5)
	firstStorage := &first[0]
	w.ZeroGrad()
	second := pass(1)
	for i, x := range second {
		if x != 1 {
			t.Fatalf("after ZeroGrad, gradient element %d = %v, want 1 (the second pass only)", i, x)
		}
	}
	if &second[0] != firstStorage {
		t.Error("the second pass did not reuse the storage ZeroGrad cleared")
	}
}
