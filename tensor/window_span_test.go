package tensor_test

import (
	"testing"

	"github.com/duboko/duboko/tensor"
)

// TestWindowSpan checks a window's extent in input pixels, (k−1)·d+1 per
// axis, with a zero dilation read as 1.
func TestWindowSpan(t *testing.T) {
	for _, c := range []struct {
		w    tensor.Window
		want [2]int
	}{
		{tensor.Window{Kernel: [2]int{3, 2}, Dilation: [2]int{2, 3}}, [2]int{5, 4}},
		{tensor.Window{Kernel: [2]int{5, 1}, Dilation: [2]int{1, 4}}, [2]int{5, 1}},
		{tensor.Window{Kernel: [2]int{2, 3}}, [2]int{2, 3}},
	} {
		if got := c.w.Span(); got != c.want {
			t.Errorf("%+v: span %v, want %v", c.w, got, c.want)
		}
	}
}
