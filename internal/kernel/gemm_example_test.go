package kernel_test

import (
	"fmt"

	"github.com/duboko/duboko/internal/kernel"
)

// Multiply a 2×3 matrix by a 3×2 matrix, then add the transposed product.
func ExampleSgemm() {
	a := []float32{
		1, 2, 3,
		4, 5, 6,
	}
	b := []float32{
		7, 8,
		9, 10,
		11, 12,
	}
	c := make([]float32, 2*2)
	kernel.Sgemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2)
	fmt.Println(c)

	// C += (A·B)ᵀ, computed as Bᵀ·Aᵀ from the same stored slices.
	kernel.Sgemm(true, true, 2, 2, 3, 1, b, 2, a, 3, 1, c, 2)
	fmt.Println(c)
	// Output:
	// [58 64 139 154]
	// [116 203 203 308]
}

// Run one small product per image with a shared weight matrix (strideA = 0),
// as a convolution through im2col does.
func ExampleSgemmBatched() {
	w := []float32{1, -1} // 1×2 weights, broadcast to every image
	cols := []float32{
		3, 4, 5, // image 0: 2×3 columns
		1, 1, 1,
		10, 20, 30, // image 1
		1, 2, 3,
	}
	out := make([]float32, 2*3)
	kernel.SgemmBatched(false, false, 2, 1, 3, 2, 1, w, 2, 0, cols, 3, 6, 0, out, 3, 3)
	fmt.Println(out)
	// Output:
	// [2 3 4 9 18 27]
}
