//go:build !amd64 || purego

package kernel

import "testing"

// TestIm2colRowStrideGeneric pins the strides the pure-Go build sends to
// the row kernels: 1 and 2, as on the AVX-512 path, and no others.
func TestIm2colRowStrideGeneric(t *testing.T) {
	for s, want := range map[int]bool{1: true, 2: true, 3: false, 4: false, 0: false} {
		if got := im2colRowStride(s); got != want {
			t.Errorf("im2colRowStride(%d) = %v, want %v", s, got, want)
		}
	}
}
