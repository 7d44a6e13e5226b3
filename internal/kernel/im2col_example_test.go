package kernel_test

import (
	"fmt"

	"github.com/duboko/duboko/internal/kernel"
)

// A 3×3 single-channel image, a 2×2 kernel, no padding, stride 1: each of
// the 4 rows of the columns matrix is one kernel tap, each of the 4 columns
// one output position.
func ExampleIm2col() {
	img := []float32{
		1, 2, 3,
		4, 5, 6,
		7, 8, 9,
	}
	outH := kernel.ConvOutSize(3, 2, 0, 1, 1)
	outW := kernel.ConvOutSize(3, 2, 0, 1, 1)
	cols := make([]float32, 1*2*2*outH*outW)
	kernel.Im2col(img, 1, 3, 3, 2, 2, 0, 0, 1, 1, 1, 1, cols)
	for r := 0; r < 4; r++ {
		fmt.Println(cols[r*outH*outW : (r+1)*outH*outW])
	}
	// Output:
	// [1 2 4 5]
	// [2 3 5 6]
	// [4 5 7 8]
	// [5 6 8 9]
}
