package kernel

import "testing"

// TestCopyRows8Empty checks that copying no rows, or rows of no values,
// touches nothing and accepts empty slices on every path (the assembly
// kernels take &dst[0], which an empty slice does not have).
func TestCopyRows8Empty(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		copyRows8(nil, 8, nil, 8, 5, 0) // no rows
		copyRows8(nil, 0, nil, 0, 0, 3) // rows of no values
		dst := []float32{7, 7}
		copyRows8(dst[:0], 0, []float32{1, 2}, 0, 0, 2)
		if dst[0] != 7 || dst[1] != 7 {
			t.Fatalf("an empty copy wrote %v", dst)
		}
	})
}
