package nn_test

import (
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// benchExplicit times one forward pass and the explicit backward pass
// (BackwardInputsN and BackwardParamsN: BPTT written out step by step) of
// a recurrent layer on x [T, N, I], to compare with benchRecurrent's
// autodiff through the fused op on the same sizes.
func benchExplicit(b *testing.B, kind string, T, N, I, H, L int) {
	rng := tensor.NewRand(1)
	var m nn.MultiModule
	if kind == "LSTM" {
		m = nn.NewLSTM(rng, I, H, nn.NumLayers(L))
	} else {
		m = nn.NewGRU(rng, I, H, nn.NumLayers(L))
	}
	x := tensor.RandN(rng, T, N, I)
	gs := []*tensor.Tensor{tensor.RandN(rng, T, N, H), nil}
	if kind == "LSTM" {
		gs = append(gs, nil)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.ForwardN(x)
		m.BackwardInputsN(gs)
		m.BackwardParamsN(gs)
	}
}

func BenchmarkExplicitGRU_T50_B32_I300_H150_L2(b *testing.B) {
	benchExplicit(b, "GRU", 50, 32, 300, 150, 2)
}
func BenchmarkExplicitLSTM_T50_B32_I300_H150_L2(b *testing.B) {
	benchExplicit(b, "LSTM", 50, 32, 300, 150, 2)
}
