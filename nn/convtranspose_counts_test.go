package nn_test

import (
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestConvTransposeCountsEmptyOutput checks that a transposed convolution
// whose padding leaves an output of size 0 is counted as unknown, never as
// zero operations, in either spatial axis; an output of size 1 is counted.
func TestConvTransposeCountsEmptyOutput(t *testing.T) {
	// Output size (in-1)·stride - 2·pad + (k-1) + 1 = 2 - 2·pad for in = 1, k = 2.
	c := nn.NewConvTranspose2d(tensor.NewRand(1), 2, 3, 2, nn.ConvTransposePadding(1))
	for _, in := range [][]int{{1, 2, 1, 3}, {1, 2, 3, 1}} {
		counts, out := c.Counts(in)
		if counts.Unknown == 0 || out != nil {
			t.Fatalf("input %v: counts %+v, output %v; want unknown", in, counts, out)
		}
	}
	counts, out := c.Counts([]int{1, 2, 2, 2}) // output 2 - 2 + 1 = 1
	if counts.Unknown != 0 || len(out) != 4 || out[2] != 1 || out[3] != 1 || counts.Mul == 0 {
		t.Fatalf("output 1×1: counts %+v, shape %v", counts, out)
	}
}
