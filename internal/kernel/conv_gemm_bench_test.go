package kernel

import "testing"

// BenchmarkConvImageGemm times the single-threaded per-image products of
// the image-at-a-time convolution path for the MNIST CNN's two layers, with
// operands warm in cache as they are there.
func BenchmarkConvImageGemm(b *testing.B) {
	cases := []struct {
		name          string
		ta, tb        bool
		m, n, k       int
		lda, ldb, ldc int
	}{
		{"conv1_fwd_NN", false, false, 16, 784, 25, 25, 784, 784},
		{"conv1_dW_NT_dot", false, true, 16, 25, 784, 784, 784, 25},
		{"conv1_dWT_NT", false, true, 25, 16, 784, 784, 784, 16},
		{"conv1_dcols_TN", true, false, 25, 784, 16, 25, 784, 784},
		{"conv2_fwd_NN", false, false, 32, 196, 400, 400, 196, 196},
		{"conv2_dWT_NT", false, true, 400, 32, 196, 196, 196, 32},
		{"conv2_dW_NT_dot", false, true, 32, 400, 196, 196, 196, 400},
		{"conv2_dcols_TN", true, false, 400, 196, 32, 400, 196, 196},
		{"conv2_dx_flip_NN", false, false, 16, 196, 800, 800, 196, 196},
		{"conv2x2_fwd_NN", false, false, 32, 392, 400, 400, 392, 392},
		{"conv2x2_dWT_NT", false, true, 400, 32, 392, 392, 392, 32},
		{"conv2x2_dcols_TN", true, false, 400, 392, 32, 400, 392, 392},
		{"conv1x4_dW_NT_dot", false, true, 16, 25, 3136, 3136, 3136, 25},
		{"conv2_fwdT_TT", true, true, 196, 32, 400, 196, 400, 32},
		{"conv1_fwdT_TT", true, true, 784, 16, 25, 784, 25, 16},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			a := make([]float32, 1<<20)
			bb := make([]float32, 1<<20)
			cc := make([]float32, 1<<20)
			for i := range a {
				a[i], bb[i] = float32(i%7)*0.1, float32(i%5)*0.1
			}
			for i := 0; i < b.N; i++ {
				GemmSerial(c.ta, c.tb, c.m, c.n, c.k, 1, a, c.lda, bb, c.ldb, 0, cc, c.ldc)
			}
			b.ReportMetric(float64(2*c.m*c.n*c.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GF/s")
		})
	}
}
