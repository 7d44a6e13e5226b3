package kernel

import (
	"fmt"
	"testing"
)

// benchPoolSetup allocates float32 input, output and argmax for a 2×2/2
// pool of [n, c, h, w].
func benchPoolSetup(n, c, h, w int) (src, dst []float32, am []int32) {
	src = make([]float32, n*c*h*w)
	for i := range src {
		src[i] = float32((i*7919)%101) - 50
	}
	dst = make([]float32, n*c*(h/2)*(w/2))
	return src, dst, make([]int32, len(dst))
}

func benchMaxPool(b *testing.B, n, c, h, w int) {
	src, dst, am := benchPoolSetup(n, c, h, w)
	b.SetBytes(int64(4 * len(src)))
	for b.Loop() {
		MaxPool2d(src, n, c, h, w, 2, 2, 2, 2, 0, 0, dst, am)
	}
}

func benchMaxPoolBackward(b *testing.B, n, c, h, w int) {
	src, dst, am := benchPoolSetup(n, c, h, w)
	MaxPool2d(src, n, c, h, w, 2, 2, 2, 2, 0, 0, dst, am)
	gradIn := make([]float32, len(src))
	b.SetBytes(int64(4 * len(src)))
	for b.Loop() {
		clear(gradIn)
		MaxPool2dBackward(dst, am, n, c, h, w, h/2, w/2, gradIn)
	}
}

func benchAvgPool(b *testing.B, n, c, h, w int) {
	src, dst, _ := benchPoolSetup(n, c, h, w)
	b.SetBytes(int64(4 * len(src)))
	for b.Loop() {
		AvgPool2d(src, n, c, h, w, 2, 2, 2, 2, 0, 0, dst)
	}
}

func BenchmarkMaxPool2d_50x16x28x28_K2S2(b *testing.B) { benchMaxPool(b, 50, 16, 28, 28) }
func BenchmarkMaxPool2d_50x32x14x14_K2S2(b *testing.B) { benchMaxPool(b, 50, 32, 14, 14) }
func BenchmarkMaxPool2dBackward_50x16x28x28_K2S2(b *testing.B) {
	benchMaxPoolBackward(b, 50, 16, 28, 28)
}
func BenchmarkMaxPool2dBackward_50x32x14x14_K2S2(b *testing.B) {
	benchMaxPoolBackward(b, 50, 32, 14, 14)
}
func BenchmarkAvgPool2d_50x16x28x28_K2S2(b *testing.B) { benchAvgPool(b, 50, 16, 28, 28) }

func BenchmarkAvgPool2dBackward_50x16x28x28_K2S2(b *testing.B) {
	src, dst, _ := benchPoolSetup(50, 16, 28, 28)
	b.SetBytes(int64(4 * len(src)))
	for b.Loop() {
		AvgPool2dBackward(dst, 50, 16, 28, 28, 2, 2, 2, 2, 0, 0, src)
	}
}

func BenchmarkMaxPool2d_50x16x28x28_K3S2P1(b *testing.B) {
	src, dst, am := benchPoolSetup(50, 16, 28, 28)
	b.SetBytes(int64(4 * len(src)))
	for b.Loop() {
		MaxPool2d(src, 50, 16, 28, 28, 3, 3, 2, 2, 1, 1, dst, am)
	}
}

func BenchmarkGlobalAvgPool_50x64x7x7(b *testing.B) {
	src := make([]float32, 50*64*49)
	dst := make([]float32, 50*64)
	b.SetBytes(int64(4 * len(src)))
	for b.Loop() {
		GlobalAvgPool(src, 50, 64, 49, dst)
	}
}

// BenchmarkMaxPool2dPaths compares the 2×2 stride-2 max pooling with
// argmax (as in training) on the avx2 and avx512 paths (benchPaths) at the
// MNIST CNN's two pooling layers (batch 50, and 2 or 4 images that stay in
// L1/L2), GOMAXPROCS planes in parallel as MaxPool2d splits them:
//
//	go test ./internal/kernel/ -run '^$' -bench MaxPool2dPaths -benchtime 1x -cpu 1
func BenchmarkMaxPool2dPaths(b *testing.B) {
	for _, s := range [][4]int{{50, 16, 28, 28}, {50, 32, 14, 14}, {2, 16, 28, 28}, {4, 32, 14, 14}} {
		n, c, h, w := s[0], s[1], s[2], s[3]
		src, dst, am := benchPoolSetup(n, c, h, w)
		b.Run(fmt.Sprintf("%dx%dx%dx%d", n, c, h, w), func(b *testing.B) {
			benchPaths(b, func() {
				MaxPool2d(src, n, c, h, w, 2, 2, 2, 2, 0, 0, dst, am)
			})
		})
	}
}
