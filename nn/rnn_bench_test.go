package nn_test

import (
	"math"
	"testing"
	"time"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// benchRecurrent times one forward and backward pass (autodiff) of a
// recurrent layer on x [T, N, I], as bench/rnn/torch_rnn.py does for
// torch.nn.LSTM/GRU. Besides wall time per pass it reports the process's
// CPU time per pass (cpu-ms/op: user + system, all threads), which a
// loaded shared machine disturbs far less than wall time.
func benchRecurrent(b *testing.B, kind string, T, N, I, H, L int) {
	rng := tensor.NewRand(1)
	var m nn.MultiModule
	switch kind {
	case "LSTM":
		m = nn.NewLSTM(rng, I, H, nn.NumLayers(L))
	case "GRU":
		m = nn.NewGRU(rng, I, H, nn.NumLayers(L))
	case "RNN":
		m = nn.NewRNN(rng, I, H, nn.NumLayers(L))
	case "RNNCustom": // tanh given as a user function: the per-element float64 path
		m = nn.NewRNN(rng, I, H, nn.NumLayers(L), nn.RNNActivation(tensor.Activation{Name: "mytanh",
			F: func(x float64) float64 { return math.Tanh(x) }, D: func(_, y float64) float64 { return 1 - y*y }}))
	}
	x := tensor.RandN(rng, T, N, I).SetRequiresGrad(true)
	g := tensor.RandN(rng, T, N, H)
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		nn.ZeroGrad(m)
		x.ZeroGrad()
		m.ForwardN(x)[0].BackwardWith(g)
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

func BenchmarkLSTM_T50_B32_I300_H150_L2(b *testing.B) { benchRecurrent(b, "LSTM", 50, 32, 300, 150, 2) }
func BenchmarkGRU_T50_B32_I300_H150_L2(b *testing.B)  { benchRecurrent(b, "GRU", 50, 32, 300, 150, 2) }
func BenchmarkLSTM_T100_B64_I256_H512_L1(b *testing.B) {
	benchRecurrent(b, "LSTM", 100, 64, 256, 512, 1)
}
func BenchmarkGRU_T100_B64_I256_H512_L1(b *testing.B) { benchRecurrent(b, "GRU", 100, 64, 256, 512, 1) }

// The plain tanh RNN on the first shape: fused (tensor.ActTanh, the
// float32 kernels) and the same function given as a custom activation.
func BenchmarkRNN_T50_B32_I300_H150_L2(b *testing.B) { benchRecurrent(b, "RNN", 50, 32, 300, 150, 2) }
func BenchmarkRNNCustom_T50_B32_I300_H150_L2(b *testing.B) {
	benchRecurrent(b, "RNNCustom", 50, 32, 300, 150, 2)
}
