package kernel

import "testing"

// benchIm2col times Im2col (col2im=false) or Col2im on one image.
func benchIm2col(b *testing.B, g im2colCase, col2im bool) {
	outH := ConvOutSize(g.h, g.kh, g.padH, g.strideH, g.dilH)
	outW := ConvOutSize(g.w, g.kw, g.padW, g.strideW, g.dilW)
	img := make([]float32, g.c*g.h*g.w)
	cols := make([]float32, g.c*g.kh*g.kw*outH*outW)
	for i := range img {
		img[i] = float32(i%17) - 8
	}
	b.SetBytes(int64(4 * len(cols)))
	for b.Loop() {
		if col2im {
			Col2im(cols, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, img)
		} else {
			Im2col(img, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, cols)
		}
	}
}

var (
	benchConv1 = im2colCase{1, 28, 28, 5, 5, 2, 2, 1, 1, 1, 1}  // MNIST conv1
	benchConv2 = im2colCase{16, 14, 14, 5, 5, 2, 2, 1, 1, 1, 1} // MNIST conv2
	benchConvS = im2colCase{64, 56, 56, 3, 3, 1, 1, 2, 2, 1, 1} // strided 3×3
)

func BenchmarkIm2col_C1_28x28_K5P2(b *testing.B)  { benchIm2col(b, benchConv1, false) }
func BenchmarkIm2col_C16_14x14_K5P2(b *testing.B) { benchIm2col(b, benchConv2, false) }
func BenchmarkIm2col_C64_56x56_K3P1S2(b *testing.B) {
	benchIm2col(b, benchConvS, false)
}
func BenchmarkCol2im_C1_28x28_K5P2(b *testing.B)  { benchIm2col(b, benchConv1, true) }
func BenchmarkCol2im_C16_14x14_K5P2(b *testing.B) { benchIm2col(b, benchConv2, true) }
func BenchmarkCol2im_C64_56x56_K3P1S2(b *testing.B) {
	benchIm2col(b, benchConvS, true)
}
