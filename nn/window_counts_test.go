package nn_test

import (
	"slices"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// counter is a layer that declares its operation counts.
type counter interface {
	nn.Module
	Counts(in []int) (tensor.Counts, []int)
}

// TestWindowCountsShapes checks the output shape that convolution and
// pooling layers declare for their counts against the shape their Forward
// really gives, over strides, paddings, dilations and odd sizes, and that
// an input smaller than the window is counted as unknown.
func TestWindowCountsShapes(t *testing.T) {
	rng := tensor.NewRand(3)
	layers := map[string]counter{
		"conv k3":          nn.NewConv2d(rng, 2, 3, 3),
		"conv k3 s2 p1":    nn.NewConv2d(rng, 2, 3, 3, nn.ConvStride(2), nn.ConvPadding(1)),
		"conv k2 d2 s3":    nn.NewConv2d(rng, 2, 3, 2, nn.ConvDilation(2), nn.ConvStride(3)),
		"conv k5 p2":       nn.NewConv2d(rng, 2, 3, 5, nn.ConvPadding(2)),
		"maxpool k3 s2":    nn.NewMaxPool2d(3, nn.PoolStride(2)),
		"maxpool k2 s2 p1": nn.NewMaxPool2d(2, nn.PoolStride(2), nn.PoolPadding(1)),
		"avgpool k3 s1 p1": nn.NewAvgPool2d(3, nn.PoolStride(1), nn.PoolPadding(1)),
		"avgpool k2 (s=k)": nn.NewAvgPool2d(2),
	}
	for name, l := range layers {
		for _, hw := range [][2]int{{7, 9}, {8, 5}, {6, 11}, {1, 1}, {2, 3}} {
			in := []int{2, 2, hw[0], hw[1]}
			c, out := l.Counts(in)
			want := forwardShape(l, tensor.RandN(rng, in...))
			if want == nil { // the window does not fit: Forward refuses it
				if c.Unknown == 0 || out != nil {
					t.Errorf("%s on %v (Forward refuses it): counts %+v, shape %v; want unknown", name, in, c, out)
				}
				continue
			}
			if c.Unknown != 0 || !slices.Equal(out, want) {
				t.Errorf("%s on %v: counts %+v, shape %v; Forward gives %v", name, in, c, out, want)
			}
		}
	}
}

// forwardShape returns the shape of l.Forward(x), or nil when Forward
// panics.
func forwardShape(l nn.Module, x *tensor.Tensor) (shape []int) {
	defer func() {
		if recover() != nil {
			shape = nil
		}
	}()
	return l.Forward(x).Shape()
}

// TestConvCountsBias checks that the bias adds one addition per output
// element.
func TestConvCountsBias(t *testing.T) {
	in := []int{2, 3, 8, 8}
	with, out := nn.NewConv2d(tensor.NewRand(1), 3, 4, 3).Counts(in)
	without, _ := nn.NewConv2d(tensor.NewRand(1), 3, 4, 3, nn.ConvNoBias()).Counts(in)
	n := int64(out[0] * out[1] * out[2] * out[3])
	if with.Mul != without.Mul || with.Add-without.Add != n {
		t.Fatalf("with bias %+v, without %+v: want %d more additions", with, without, n)
	}
	if want := n * 3 * 3 * 3; with.Mul != want {
		t.Fatalf("mul %d, want %d", with.Mul, want)
	}
}
