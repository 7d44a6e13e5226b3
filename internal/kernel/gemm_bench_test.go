package kernel

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// gemmShape is a benchmarked product.
type gemmShape struct {
	name           string
	transA, transB bool
	m, n, k        int
}

// mnistShapes are the GEMMs of the MNIST CNN (conv 5×5×16, pool, conv
// 5×5×32, pool, FC 512) at batch 50: the forward products and the two
// backward ones (weights, data) for each layer, convolutions through
// im2col with the whole batch side by side (n = 50·H·W).
var mnistShapes = []gemmShape{
	{"fc_fwd_50x784x512", false, true, 50, 512, 784},        // X·Wᵀ
	{"fc_bwd_data_50x512x784", false, false, 50, 784, 512},  // dY·W
	{"fc_bwd_weight_512x50x784", true, false, 512, 784, 50}, // dYᵀ·X
	{"conv1_fwd_16x25x39200", false, false, 16, 39200, 25},  // W·cols
	{"conv1_bwd_weight_16x39200x25", false, true, 16, 25, 39200},
	{"conv1_bwd_data_25x16x39200", true, false, 25, 39200, 16},
	{"conv2_fwd_32x400x9800", false, false, 32, 9800, 400},
	{"conv2_bwd_weight_32x9800x400", false, true, 32, 400, 9800},
	{"conv2_bwd_data_400x32x9800", true, false, 400, 9800, 32},
}

func benchGemm[T float32 | float64](b *testing.B, s gemmShape, run func(transA, transB bool, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int)) {
	rng := rand.New(rand.NewPCG(1, 1))
	a, bm, c := make([]T, s.m*s.k), make([]T, s.k*s.n), make([]T, s.m*s.n)
	for i := range a {
		a[i] = T(rng.Float64())
	}
	for i := range bm {
		bm[i] = T(rng.Float64())
	}
	lda, ldb := s.k, s.n
	if s.transA {
		lda = s.m
	}
	if s.transB {
		ldb = s.k
	}
	for b.Loop() {
		run(s.transA, s.transB, s.m, s.n, s.k, a, lda, bm, ldb, c, s.n)
	}
	b.ReportMetric(2*float64(s.m)*float64(s.n)*float64(s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func sgemmRun(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	Sgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, ldc)
}

func dgemmRun(transA, transB bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	Dgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, ldc)
}

var benchSizes = []int{64, 128, 256, 512, 1024, 2048}

func square(n int) gemmShape { return gemmShape{name: fmt.Sprint(n), m: n, n: n, k: n} }

// BenchmarkSgemm: square float32 products on all cores.
func BenchmarkSgemm(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchGemm(b, square(n), sgemmRun) })
	}
}

// oneThread sets GOMAXPROCS to 1 until the (sub-)benchmark ends. It must
// be called in the leaf benchmark: the testing package resets GOMAXPROCS
// (to the -cpu value) before running each one.
func oneThread(b *testing.B) {
	b.Cleanup(func(prev int) func() { return func() { runtime.GOMAXPROCS(prev) } }(runtime.GOMAXPROCS(1)))
}

// BenchmarkSgemm1T: square float32 products with GOMAXPROCS = 1.
func BenchmarkSgemm1T(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) { oneThread(b); benchGemm(b, square(n), sgemmRun) })
	}
}

// BenchmarkSgemmGo1T: the pure-Go kernel on one core (the purego path).
func BenchmarkSgemmGo1T(b *testing.B) {
	for _, n := range []int{64, 256, 512, 1024} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			oneThread(b)
			benchGemm(b, square(n), func(transA, transB bool, m, n, k int, a []float32, lda int, bm []float32, ldb int, c []float32, ldc int) {
				gemmSerial(sgemmGo, transA, transB, m, n, k, 1, a, lda, bm, ldb, 0, c, ldc, nil)
			})
		})
	}
}

// BenchmarkSgemmNaive: the reference triple loop on one core, the
// baseline for the pure-Go kernel.
func BenchmarkSgemmNaive(b *testing.B) {
	for _, n := range []int{64, 256, 512, 1024} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			oneThread(b)
			benchGemm(b, square(n), func(transA, transB bool, m, n, k int, a []float32, lda int, bm []float32, ldb int, c []float32, ldc int) {
				gemmNaive(transA, transB, m, n, k, 1, a, lda, bm, ldb, 0, c, ldc)
			})
		})
	}
}

// BenchmarkDgemm: square float64 products on all cores.
func BenchmarkDgemm(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchGemm(b, square(n), dgemmRun) })
	}
}

// BenchmarkDgemm1T: square float64 products with GOMAXPROCS = 1.
func BenchmarkDgemm1T(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) { oneThread(b); benchGemm(b, square(n), dgemmRun) })
	}
}

// BenchmarkSgemmMNIST: the MNIST CNN's GEMMs at batch 50, on all cores.
func BenchmarkSgemmMNIST(b *testing.B) {
	for _, s := range mnistShapes {
		b.Run(s.name, func(b *testing.B) { benchGemm(b, s, sgemmRun) })
	}
}

// BenchmarkSgemmMNIST1T: the MNIST CNN's GEMMs on one core.
func BenchmarkSgemmMNIST1T(b *testing.B) {
	for _, s := range mnistShapes {
		b.Run(s.name, func(b *testing.B) { oneThread(b); benchGemm(b, s, sgemmRun) })
	}
}

// BenchmarkSgemmBatchedConv: the convolutions' forward GEMMs one image at
// a time through SgemmBatched (weights broadcast with strideA = 0).
func BenchmarkSgemmBatchedConv(b *testing.B) {
	for _, s := range []struct {
		name    string
		m, n, k int
	}{{"conv1_50x16x25x784", 16, 784, 25}, {"conv2_50x32x400x196", 32, 196, 400}} {
		b.Run(s.name, func(b *testing.B) {
			const batch = 50
			a := make([]float32, s.m*s.k)
			bm := make([]float32, batch*s.k*s.n)
			c := make([]float32, batch*s.m*s.n)
			for i := range bm {
				bm[i] = float32(i%7) * 0.1
			}
			for b.Loop() {
				SgemmBatched(false, false, batch, s.m, s.n, s.k, 1, a, s.k, 0, bm, s.n, s.k*s.n, 0, c, s.n, s.m*s.n)
			}
			b.ReportMetric(2*batch*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkSgemmTasksPerWorker times the parallel split with one and with
// two grid blocks of C per worker (gemmTasksPerWorker) on the square and
// MNIST shapes, on the path in use and all cores (at least two). Compare
// the pairs with -count and benchstat, on a quiet machine and a loaded one.
func BenchmarkSgemmTasksPerWorker(b *testing.B) {
	if Workers() < 2 {
		b.Skip("needs GOMAXPROCS >= 2")
	}
	shapes := append([]gemmShape{square(128), square(256), square(512)}, mnistShapes...)
	for _, tasks := range []int{1, 2} {
		for _, s := range shapes {
			b.Run(fmt.Sprintf("tasks%d/%s", tasks, s.name), func(b *testing.B) {
				b.Cleanup(func(prev int) func() { return func() { gemmTasksPerWorker = prev } }(gemmTasksPerWorker))
				gemmTasksPerWorker = tasks
				benchGemm(b, s, sgemmRun)
			})
		}
	}
}
