package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
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

// benchPaths compares the kernel paths this CPU has besides generic (avx2,
// avx512) on f in one process: each b.Loop iteration runs 15 rounds that
// alternate the paths, timing a batch of calls of f per path and round,
// and reports each path's best time of one call (µs) and the ratio
// avx2/avx512 ("speedup"). Best-of-rounds and alternation keep the load of
// a shared machine out of the comparison. Without AVX-512 it reports the
// avx2 time only and says so in the log.
func benchPaths(b *testing.B, f func()) {
	prev := cpuActive
	defer setCPUPath(prev)
	paths := []cpuPath{pathAVX2, pathAVX512}
	if cpuBest < pathAVX512 {
		b.Logf("path avx512: this CPU (or build) supports at most %s", cpuBest)
		paths = paths[:1]
	}
	if cpuBest < pathAVX2 {
		b.Skipf("no AVX2: this CPU (or build) supports at most %s", cpuBest)
	}
	// calls per timed batch: about 200 µs of work
	setCPUPath(paths[0])
	t0 := time.Now()
	f()
	reps := max(1, int(200*time.Microsecond/max(time.Since(t0), time.Nanosecond)))
	for b.Loop() {
		best := make([]time.Duration, len(paths))
		for i := range best {
			best[i] = time.Hour
		}
		for range 15 {
			for i, p := range paths {
				setCPUPath(p)
				f() // warm up
				t0 := time.Now()
				for range reps {
					f()
				}
				best[i] = min(best[i], time.Since(t0)/time.Duration(reps))
			}
		}
		for i, p := range paths {
			b.ReportMetric(float64(best[i].Nanoseconds())/1e3, p.String()+"-µs")
		}
		if len(paths) == 2 {
			b.ReportMetric(float64(best[0])/float64(best[1]), "speedup")
		}
	}
}

// BenchmarkIm2colPaths compares Im2colLD and Col2imLD on the avx2 and
// avx512 paths (benchPaths; the avx2 path runs stride 2 in Go) for a batch
// of 50 (MNIST) or 64 (DCGAN) images laid side by side as the convolution
// layers do (ld = n*outH*outW), where the columns matrix outgrows L2 and
// memory traffic dominates, and for one image (n1, ld = outH*outW: the
// kernels' own speed, in cache); the times are per pass over the n images:
//
//	go test ./internal/kernel/ -run '^$' -bench Im2colPaths -benchtime 1x
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
					benchPaths(b, func() {
						for i := 0; i < n; i++ {
							img := imgs[i*chw : (i+1)*chw]
							if op == "Col2imLD" {
								Col2imLD(cols[i*ohw:], ld, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, img)
							} else {
								Im2colLD(img, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, cols[i*ohw:], ld)
							}
						}
					})
				})
			}
		}
	}
}
