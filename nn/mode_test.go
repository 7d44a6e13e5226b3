package nn

import (
	"testing"

	"github.com/duboko/duboko/tensor"
)

func TestIsTraining(t *testing.T) {
	rng := tensor.NewRand(1)
	seq := NewSequential(NewLinear(rng, 3, 4), NewDropout(rng, 0.5), NewReLU())
	check := func(what string, m any, wantTraining, wantKnown bool) {
		t.Helper()
		tr, known := IsTraining(m)
		if tr != wantTraining || known != wantKnown {
			t.Errorf("%s: IsTraining = %v, %v; want %v, %v", what, tr, known, wantTraining, wantKnown)
		}
	}
	check("new Sequential with Dropout", seq, true, true)
	seq.SetTraining(false)
	check("Sequential after SetTraining(false)", seq, false, true)
	check("Linear (no mode)", NewLinear(rng, 2, 2), false, false)
	check("Sequential without a moded layer", NewSequential(NewLinear(rng, 2, 2), NewTanh()), false, false)

	// A model struct holding its parts in exported fields (as models.Recurrent).
	type model struct {
		Enc *Sequential
		RNN MultiModule
		bn  *BatchNorm // unexported: not looked at
	}
	gru := NewGRU(rng, 3, 4)
	m := &model{Enc: NewSequential(NewLinear(rng, 2, 3)), RNN: gru, bn: NewBatchNorm2d(2)}
	check("struct with a GRU in training mode", m, true, true)
	gru.SetTraining(false)
	check("struct with a GRU in evaluation mode", m, false, true)
	bn := NewBatchNorm2d(2)
	bn.SetTraining(false)
	check("BatchNorm in evaluation mode", bn, false, true)
	check("wrapped BatchNorm", Wrap(bn), false, true)
	bn.SetTraining(true)
	check("wrapped BatchNorm in training mode", Wrap(bn), true, true)
}
