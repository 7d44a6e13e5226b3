package nn_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestLayerDTypeHints feeds float32 layers float64 and int64 inputs and
// wants a *tensor.DTypeError naming the layer and the fix: nn.To for the
// model (or tensor.To for the input); after nn.To the model runs.
func TestLayerDTypeHints(t *testing.T) {
	rng := tensor.NewRand(1)
	for _, c := range []struct {
		name  string
		layer nn.Module
		shape []int
	}{
		{"Linear", nn.NewLinear(rng, 3, 2), []int{2, 3}},
		{"Conv2d", nn.NewConv2d(rng, 1, 2, 3), []int{1, 1, 4, 4}},
		{"BatchNorm2d", nn.NewBatchNorm2d(2), []int{2, 2, 3, 3}},
		{"Sequential", nn.NewSequential(nn.NewLinear(rng, 4, 2), nn.NewReLU()), []int{2, 4}},
	} {
		op := c.name
		if op == "Sequential" {
			op = "Linear"
		}
		for _, in := range []struct {
			x    *tensor.Tensor
			want string
		}{
			{tensor.ZerosOf(tensor.Float64, c.shape...), op + ": dtype mismatch float64" + fmt.Sprint(c.shape) + " vs float32"},
			{tensor.ZerosOf(tensor.Float64, c.shape...), "convert the model with nn.To(model, tensor.Float64) or the input with tensor.To(x, tensor.Float32)"},
			{tensor.ZerosOf(tensor.Int64, c.shape...), "the input is int64 but the layer's parameters are float32: convert the input with tensor.To(x, tensor.Float32)"},
		} {
			err := recoverErr(func() { c.layer.Forward(in.x) })
			var de *tensor.DTypeError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), in.want) {
				t.Errorf("%s on %v: error %v, want a DTypeError containing %q", c.name, in.x.DType(), err, in.want)
			}
		}
		nn.To(c.layer, tensor.Float64)
		if y := c.layer.Forward(tensor.ZerosOf(tensor.Float64, c.shape...)); y.DType() != tensor.Float64 {
			t.Errorf("%s after nn.To: %v output", c.name, y.DType())
		}
	}
}

// recoverErr runs f and returns the error it panics with (nil if none).
func recoverErr(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err, _ = r.(error)
		}
	}()
	f()
	return nil
}
