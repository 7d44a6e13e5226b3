package optim

import (
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// benchParams returns float32 parameters shaped like the course's MNIST
// CNN (conv 16@5x5, conv 32@5x5, fc 1568→512, fc 512→10: 821,802 values)
// with gradients set.
func benchParams() []nn.Param {
	rng := tensor.NewRand(1)
	shapes := [][]int{{16, 1, 5, 5}, {16}, {32, 16, 5, 5}, {32}, {512, 1568}, {512}, {10, 512}, {10}}
	var ps []nn.Param
	for _, sh := range shapes {
		p := tensor.RandN(rng, sh...)
		p.SetGrad(tensor.RandN(rng, sh...))
		ps = append(ps, nn.Param{Name: "p", Tensor: p})
	}
	return ps
}

// benchStep times opt.Step after a first step has allocated the state;
// bytes are the float32 parameter bytes per step.
func benchStep(b *testing.B, opt Optimizer, params []nn.Param) {
	n := 0
	for _, p := range params {
		n += p.Tensor.Len()
	}
	b.SetBytes(int64(n) * 4)
	b.ReportAllocs()
	opt.Step() // allocate state
	b.ResetTimer()
	for range b.N {
		opt.Step()
	}
}

func BenchmarkSGDStep_MNISTCNN_820k(b *testing.B) {
	ps := benchParams()
	benchStep(b, NewSGD(ps, SGDConfig{LR: 1e-6}), ps)
}

func BenchmarkSGDMomentumStep_MNISTCNN_820k(b *testing.B) {
	ps := benchParams()
	benchStep(b, NewSGD(ps, SGDConfig{LR: 1e-6, Momentum: 0.9, WeightDecay: 1e-4}), ps)
}

func BenchmarkAdamStep_MNISTCNN_820k(b *testing.B) {
	ps := benchParams()
	benchStep(b, NewAdam(ps, AdamConfig{LR: 1e-6}), ps)
}

// BenchmarkAdamStep_SSTEmbedding_4M times Adam on the SST models' dense
// embedding (14,806 × 300 float32), the bulk of an SST training step.
func BenchmarkAdamStep_SSTEmbedding_4M(b *testing.B) {
	rng := tensor.NewRand(1)
	p := tensor.RandN(rng, 14806, 300)
	p.SetGrad(tensor.RandN(rng, 14806, 300))
	ps := []nn.Param{{Name: "embedding.weight", Tensor: p}}
	benchStep(b, NewAdam(ps, AdamConfig{LR: 1e-6}), ps)
}
