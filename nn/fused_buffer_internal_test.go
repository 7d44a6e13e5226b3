package nn

import (
	"testing"

	"github.com/duboko/duboko/tensor"
)

// TestSequentialFusedBuffer checks the inference path of a Sequential
// Linear → ReLU → Linear: outputs equal to running the layers one by one,
// for batches that change size and dtype between calls; the fused pair's
// buffer is reused while batch and dtype stay, and replaced when either
// changes.
func TestSequentialFusedBuffer(t *testing.T) {
	rng := tensor.NewRand(4)
	s := (&Sequential{}).Add("fc1", NewLinear(rng, 3, 5)).Add("relu", NewReLU()).Add("fc2", NewLinear(rng, 5, 2))
	var prev *tensor.Tensor
	for i, c := range []struct {
		n     int
		dt    tensor.DType
		reuse bool
	}{{4, tensor.Float32, false}, {4, tensor.Float32, true}, {6, tensor.Float32, false}, {6, tensor.Float32, true}, {6, tensor.Float64, false}} {
		if c.dt == tensor.Float64 {
			To(s, tensor.Float64)
		}
		x := tensor.To(tensor.RandN(rng, c.n, 3), c.dt)
		var got, want *tensor.Tensor
		tensor.NoGrad(func() {
			got = s.Forward(x)
			want = s.Layers[2].Forward(s.Layers[1].Forward(s.Layers[0].Forward(x)))
		})
		for j, v := range want.Values() {
			if g := got.Values()[j]; g != v {
				t.Fatalf("call %d: fused output %v, layer by layer %v", i, got.Values(), want.Values())
			}
		}
		buf := s.scratch[0]
		if buf == nil || buf.DType() != c.dt || buf.Dim(0) != c.n {
			t.Fatalf("call %d: buffer %v, want [%d 5] %v", i, buf, c.n, c.dt)
		}
		if (buf == prev) != c.reuse {
			t.Fatalf("call %d (batch %d, %v): buffer reused %v, want %v", i, c.n, c.dt, buf == prev, c.reuse)
		}
		prev = buf
	}
}
