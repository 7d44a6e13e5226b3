package nn_test

import (
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestLinearCounts checks Linear's operation counts: in·out multiplications
// per row, (in-1)·out additions per row plus out for the bias, rows taken
// over every leading axis of the input.
func TestLinearCounts(t *testing.T) {
	const in, out int64 = 4, 3
	withBias := nn.NewLinear(tensor.NewRand(1), int(in), int(out))
	noBias := nn.NewLinear(tensor.NewRand(1), int(in), int(out), nn.LinearNoBias())
	for _, shape := range [][]int{{1, int(in)}, {5, int(in)}, {2, 3, int(in)}} {
		rows := int64(1)
		for _, s := range shape[:len(shape)-1] {
			rows *= int64(s)
		}
		c, o := withBias.Counts(shape)
		if c.Unknown != 0 || c.Mul != rows*in*out || c.Add != rows*((in-1)*out+out) {
			t.Errorf("with bias, input %v: %+v, want %d mul, %d add", shape, c, rows*in*out, rows*in*out)
		}
		if len(o) != len(shape) || o[len(o)-1] != int(out) {
			t.Errorf("input %v: output shape %v", shape, o)
		}
		c, _ = noBias.Counts(shape)
		if c.Mul != rows*in*out || c.Add != rows*(in-1)*out {
			t.Errorf("no bias, input %v: %+v, want %d mul, %d add", shape, c, rows*in*out, rows*(in-1)*out)
		}
	}
}
