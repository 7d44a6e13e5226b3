package kernel

import "testing"

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
