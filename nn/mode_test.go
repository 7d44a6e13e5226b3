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

// TestIsTrainingDeepAndCyclic checks that IsTraining finds a reporter at
// any depth (here inside 40 nested Sequentials and 40 wrapped layers), that
// it ends on structures that refer to themselves through a slice, a map or
// a pointer, with the reporter placed after the cycle, and that a pointer
// to a struct's first field is not taken for the struct (same address).
func TestIsTrainingDeepAndCyclic(t *testing.T) {
	rng := tensor.NewRand(1)
	drop := NewDropout(rng, 0.5)
	var seq Module = drop
	for range 40 {
		seq = NewSequential(NewReLU(), seq)
	}
	var wrapped Module = drop
	for range 40 {
		wrapped = Wrap(NewSequential(wrapped))
	}
	loop := []any{nil, drop}
	loop[0] = loop
	ring := map[string]any{}
	ring["a"] = ring
	ring["b"] = drop
	type node struct {
		Next *node
		D    *Dropout
	}
	n := &node{D: drop}
	n.Next = n
	type inner struct{ D *Dropout }
	type outer struct {
		in inner // unexported: reached only through P, which has outer's own address
		P  *inner
	}
	o := &outer{in: inner{D: drop}}
	o.P = &o.in
	for _, c := range []struct {
		name string
		m    any
	}{{"40 nested Sequentials", seq}, {"40 wrapped Sequentials", wrapped}, {"a slice holding itself", loop},
		{"a map holding itself", ring}, {"a pointer cycle", n}, {"a pointer to the first field", o}} {
		for _, training := range []bool{true, false} {
			drop.SetTraining(training)
			if tr, known := IsTraining(c.m); tr != training || !known {
				t.Errorf("%s: IsTraining = %v, %v; want %v, true", c.name, tr, known, training)
			}
		}
	}
}
