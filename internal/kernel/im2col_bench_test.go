package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

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

// benchPaths runs f as one sub-benchmark per kernel path this CPU has
// besides generic ("avx2", "avx512"), switching the path around it, so the
// paths are compared in one process. A path the CPU lacks is skipped and
// says so.
func benchPaths(b *testing.B, f func(b *testing.B)) {
	for p := pathAVX2; p < numPaths; p++ {
		b.Run(p.String(), func(b *testing.B) {
			if p > cpuBest {
				b.Skipf("path %s: this CPU (or build) supports at most %s", p, cpuBest)
			}
			prev := cpuActive
			setCPUPath(p)
			defer setCPUPath(prev)
			f(b)
		})
	}
}

// BenchmarkIm2colPaths times Im2colLD and Col2imLD on each kernel path
// (AVX2 and AVX-512 row kernels; the AVX2 path runs stride 2 in Go) for a
// batch of 50 (MNIST) or 64 (DCGAN) images laid side by side as the
// convolution layers do (ld = n*outH*outW), where the columns matrix
// outgrows L2 and memory traffic dominates, and for one image (n1, ld =
// outH*outW: the kernels' own speed, in cache); ns/img is the time per
// image:
//
//	go test ./internal/kernel/ -run '^$' -bench Im2colPaths -count 5
func BenchmarkIm2colPaths(b *testing.B) {
	for _, s := range []struct {
		name  string
		g     im2colCase
		batch int
	}{
		{"mnist_conv1_c1_28x28_k5p2", benchConv1, 50},
		{"mnist_conv2_c16_14x14_k5p2", benchConv2, 50},
		{"dcgan_c1_28x28_k4s2p1", im2colCase{1, 28, 28, 4, 4, 1, 1, 2, 2, 1, 1}, 64},
		{"dcgan_c32_14x14_k4s2p1", im2colCase{32, 14, 14, 4, 4, 1, 1, 2, 2, 1, 1}, 64},
		{"dcgan_c64_7x7_k7", im2colCase{64, 7, 7, 7, 7, 0, 0, 1, 1, 1, 1}, 64},
	} {
		g, n := s.g, s.batch
		outH := ConvOutSize(g.h, g.kh, g.padH, g.strideH, g.dilH)
		outW := ConvOutSize(g.w, g.kw, g.padW, g.strideW, g.dilW)
		ohw, rows, chw := outH*outW, g.c*g.kh*g.kw, g.c*g.h*g.w
		rng := rand.New(rand.NewPCG(1, 2))
		imgs := make([]float32, n*chw)
		randF32(rng, imgs)
		cols := make([]float32, rows*n*ohw)
		randF32(rng, cols)
		for _, n := range []int{1, n} {
			ld := n * ohw
			for _, op := range []string{"Im2colLD", "Col2imLD"} {
				b.Run(fmt.Sprintf("%s/%s/n%d", op, s.name, n), func(b *testing.B) {
					benchPaths(b, func(b *testing.B) {
						for b.Loop() {
							for i := 0; i < n; i++ {
								img := imgs[i*chw : (i+1)*chw]
								if op == "Col2imLD" {
									Col2imLD(cols[i*ohw:], ld, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, img)
								} else {
									Im2colLD(img, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, cols[i*ohw:], ld)
								}
							}
						}
						b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/img")
					})
				})
			}
		}
	}
}
