package kernel

import (
	"fmt"
	"testing"
)

func benchVec(n int) (x, y []float32) {
	x, y = make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = float32(i%13) - 6
		y[i] = float32(i%7) - 3
	}
	return x, y
}

func BenchmarkAxpy_25600(b *testing.B) {
	x, y := benchVec(25600)
	b.SetBytes(4 * 25600)
	for b.Loop() {
		Axpy(0.5, x, y)
	}
}

func BenchmarkAxpy_25600_Float64(b *testing.B) {
	x, y := make([]float64, 25600), make([]float64, 25600)
	b.SetBytes(8 * 25600)
	for b.Loop() {
		Axpy(0.5, x, y)
	}
}

func BenchmarkDot_25600(b *testing.B) {
	x, y := benchVec(25600)
	b.SetBytes(4 * 25600)
	var s float32
	for b.Loop() {
		s += Dot(x, y)
	}
	_ = s
}

func BenchmarkRelu_50x512(b *testing.B) {
	x, y := benchVec(50 * 512)
	b.SetBytes(4 * 50 * 512)
	for b.Loop() {
		Relu(x, y)
	}
}

func BenchmarkReluBackward_50x512(b *testing.B) {
	x, g := benchVec(50 * 512)
	dst := make([]float32, len(x))
	b.SetBytes(4 * 50 * 512)
	for b.Loop() {
		ReluBackward(x, g, dst)
	}
}

func BenchmarkRelu_50x16x28x28(b *testing.B) {
	x, y := benchVec(50 * 16 * 784)
	b.SetBytes(4 * 50 * 16 * 784)
	for b.Loop() {
		Relu(x, y)
	}
}

func BenchmarkSumChannels_50x16x28x28(b *testing.B) {
	x, dst := benchVec(50 * 16 * 784)
	b.SetBytes(4 * 50 * 16 * 784)
	for b.Loop() {
		SumChannels(x, 50, 16, 784, dst[:16])
	}
}

// BenchmarkElementwisePaths compares the float32 loops on the avx2 and
// avx512 paths (benchPaths) at an in-cache size with a tail (1000), the
// MLP's hidden layer (50×512) and the CNN's first activation (50×16×28×28,
// beyond L2: memory-bound):
//
//	go test ./internal/kernel/ -run '^$' -bench ElementwisePaths -benchtime 1x -cpu 1
func BenchmarkElementwisePaths(b *testing.B) {
	for _, n := range []int{1000, 50 * 512, 50 * 16 * 784} {
		x, y := benchVec(n)
		dst := make([]float32, n)
		var sink float32
		for _, op := range []struct {
			name string
			f    func()
		}{
			{"Relu", func() { Relu(x, dst) }},
			{"ReluBackward", func() { ReluBackward(x, y, dst) }},
			{"LeakyRelu", func() { LeakyRelu(0.2, x, y, dst) }},
			{"LeakyReluGo", func() { leakyReluGo(0.2, x, y, dst) }},
			{"Add", func() { Add(x, y, dst) }},
			{"Axpy", func() { Axpy(0.5, x, dst) }},
			{"Dot", func() { sink += Dot(x, y) }},
			{"Sum", func() { sink += Sum(x) }},
		} {
			b.Run(fmt.Sprintf("%s/n%d", op.name, n), func(b *testing.B) { benchPaths(b, op.f) })
		}
		_ = sink
	}
}
