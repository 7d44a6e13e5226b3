package nn_test

import (
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// distinct returns a float64 tensor of distinct values (no ties, so finite
// differences never move an argmax).
func distinct(seed uint64, shape ...int) *tensor.Tensor {
	n := 1
	for _, s := range shape {
		n *= s
	}
	v := make([]float64, n)
	for i, p := range tensor.NewRand(seed).Perm(n) {
		v[i] = 0.1 * float64(p-n/2)
	}
	return tensor.FromFloat64(v, shape...)
}

func TestPoolLayers(t *testing.T) {
	cases := []struct {
		name string
		m    nn.Module
		x    *tensor.Tensor
	}{
		{"MaxPool2d 2x2", nn.NewMaxPool2d(2), distinct(1, 2, 3, 6, 4)},
		{"MaxPool2d 3x3 s2 p1", nn.NewMaxPool2d(3, nn.PoolStride(2), nn.PoolPadding(1)), distinct(2, 2, 2, 7, 7)},
		{"AvgPool2d 2x2", nn.NewAvgPool2d(2), rnd(3, 2, 3, 6, 4)},
		{"AvgPool2d 3x3 s2 p1", nn.NewAvgPool2d(3, nn.PoolStride(2), nn.PoolPadding(1)), rnd(4, 2, 2, 7, 7)},
		{"GlobalMaxPool2d", nn.NewGlobalMaxPool2d(), distinct(5, 3, 2, 4, 3)},
		{"GlobalAvgPool2d", nn.NewGlobalAvgPool2d(), rnd(6, 3, 2, 4, 3)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkExplicit(t, c.m, c.x) })
	}
}

func TestPoolBackwardBeforeForward(t *testing.T) {
	for _, m := range []nn.Layer{nn.NewMaxPool2d(2), nn.NewAvgPool2d(2), nn.NewGlobalMaxPool2d(), nn.NewGlobalAvgPool2d()} {
		func() {
			defer func() {
				if _, ok := recover().(*nn.LayerError); !ok {
					t.Errorf("%T: want a *LayerError panic", m)
				}
			}()
			m.BackwardInputs(tensor.Zeros(1, 1, 1, 1))
		}()
	}
}
