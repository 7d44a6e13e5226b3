package tensor_test

import (
	"fmt"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// The convolutions of the 32×32 DCGAN at width 32 and batch 64 (issue 12's
// default): the discriminator's four and the generator's four transposed
// ones, each as one training step's work (forward, then the gradients of
// input, weight and bias through the recorded op), with the image-at-a-time
// path allowed ("auto") and disabled ("batched").
var dcgan32Convs = []struct {
	name      string
	x, w      []int
	s, p      [2]int
	transpose bool
}{
	{"D1_1x32x32_to_32x16x16", []int{64, 1, 32, 32}, []int{32, 1, 4, 4}, [2]int{2, 2}, [2]int{1, 1}, false},
	{"D2_32x16x16_to_64x8x8", []int{64, 32, 16, 16}, []int{64, 32, 4, 4}, [2]int{2, 2}, [2]int{1, 1}, false},
	{"D3_64x8x8_to_128x4x4", []int{64, 64, 8, 8}, []int{128, 64, 4, 4}, [2]int{2, 2}, [2]int{1, 1}, false},
	{"D4_128x4x4_to_1x1x1", []int{64, 128, 4, 4}, []int{1, 128, 4, 4}, [2]int{1, 1}, [2]int{0, 0}, false},
	{"G1_100x1x1_to_128x4x4", []int{64, 100, 1, 1}, []int{100, 128, 4, 4}, [2]int{1, 1}, [2]int{0, 0}, true},
	{"G2_128x4x4_to_64x8x8", []int{64, 128, 4, 4}, []int{128, 64, 4, 4}, [2]int{2, 2}, [2]int{1, 1}, true},
	{"G3_64x8x8_to_32x16x16", []int{64, 64, 8, 8}, []int{64, 32, 4, 4}, [2]int{2, 2}, [2]int{1, 1}, true},
	{"G4_32x16x16_to_1x32x32", []int{64, 32, 16, 16}, []int{32, 1, 4, 4}, [2]int{2, 2}, [2]int{1, 1}, true},
	{"X28D2_32x14x14_to_64x7x7", []int{64, 32, 14, 14}, []int{64, 32, 4, 4}, [2]int{2, 2}, [2]int{1, 1}, false},
	{"XLeNetC3_6x14x14_to_16x10x10", []int{64, 6, 14, 14}, []int{16, 6, 5, 5}, [2]int{1, 1}, [2]int{0, 0}, false},
	{"XCifar_32x16x16_to_64x16x16", []int{64, 32, 16, 16}, []int{64, 32, 3, 3}, [2]int{1, 1}, [2]int{1, 1}, false},
	{"XCifar_64x8x8_to_128x8x8", []int{64, 64, 8, 8}, []int{128, 64, 3, 3}, [2]int{1, 1}, [2]int{1, 1}, false},
}

func BenchmarkDCGAN32ConvStep(b *testing.B) {
	for _, bc := range dcgan32Convs {
		for _, off := range []bool{false, true} {
			mode := "auto"
			if off {
				mode = "batched"
			}
			b.Run(fmt.Sprintf("%s/%s", bc.name, mode), func(b *testing.B) {
				SetConvFusedOff(off)
				defer SetConvFusedOff(false)
				nb := bc.w[0]
				if bc.transpose {
					nb = bc.w[1]
				}
				benchConvStep(b, bc.x, bc.w, nb, func(x, w, bias *Tensor) *Tensor {
					if bc.transpose {
						return ConvTranspose2d(x, w, bias, bc.s, bc.p, [2]int{}, [2]int{1, 1})
					}
					return Conv2d(x, w, bias, bc.s, bc.p, [2]int{1, 1})
				})
			})
		}
	}
}
