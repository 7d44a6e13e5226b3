package nn_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestRecurrentArguments checks the constructors' argument ranges: sizes
// and layer counts from 1, inter-layer dropout in [0, 1] with both ends
// allowed (as in PyTorch); anything else is a LayerError.
func TestRecurrentArguments(t *testing.T) {
	ok := []func(){
		func() { nn.NewGRU(tensor.NewRand(1), 1, 1, nn.NumLayers(1)) },
		func() { nn.NewGRUCell(tensor.NewRand(1), 1, 1) },
		func() { nn.NewLSTM(tensor.NewRand(1), 2, 3, nn.NumLayers(2), nn.InterLayerDropout(0)) },
		func() { nn.NewLSTM(tensor.NewRand(1), 2, 3, nn.NumLayers(2), nn.InterLayerDropout(1)) },
	}
	for i, f := range ok {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("valid case %d refused: %v", i, r)
				}
			}()
			f()
		}()
	}
	bad := map[string]func(){
		"input 0":       func() { nn.NewRNN(tensor.NewRand(1), 0, 3) },
		"hidden 0":      func() { nn.NewRNN(tensor.NewRand(1), 2, 0) },
		"0 layers":      func() { nn.NewRNN(tensor.NewRand(1), 2, 3, nn.NumLayers(0)) },
		"dropout 1.5":   func() { nn.NewGRU(tensor.NewRand(1), 2, 3, nn.InterLayerDropout(1.5)) },
		"dropout -0.1":  func() { nn.NewGRU(tensor.NewRand(1), 2, 3, nn.InterLayerDropout(-0.1)) },
		"cell input 0":  func() { nn.NewLSTMCell(tensor.NewRand(1), 0, 3) },
		"cell hidden 0": func() { nn.NewRNNCell(tensor.NewRand(1), 2, 0) },
	}
	for name, f := range bad {
		func() {
			defer func() {
				if _, ok := recover().(*nn.LayerError); !ok {
					t.Errorf("%s: want a LayerError", name)
				}
			}()
			f()
		}()
	}
}

// TestRecurrentDrawsOnlyItsWeights checks that a recurrent layer without
// inter-layer dropout takes from the generator exactly one draw per weight,
// so layers built after it from the same generator are reproducible; with
// dropout (and more than one layer) it takes one more, its own generator's
// seed.
func TestRecurrentDrawsOnlyItsWeights(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func(rng *rand.Rand) nn.ParamLister
		extra int
	}{
		{"1 layer, dropout 0.5", func(rng *rand.Rand) nn.ParamLister {
			return nn.NewGRU(rng, 2, 3, nn.InterLayerDropout(0.5))
		}, 0},
		{"2 layers, no dropout", func(rng *rand.Rand) nn.ParamLister { return nn.NewLSTM(rng, 2, 3, nn.NumLayers(2)) }, 0},
		{"2 layers, dropout 0.5", func(rng *rand.Rand) nn.ParamLister {
			return nn.NewLSTM(rng, 2, 3, nn.NumLayers(2), nn.InterLayerDropout(0.5))
		}, 1},
	} {
		rng := tensor.NewRand(3)
		m := c.build(rng)
		ref := tensor.NewRand(3)
		for range nn.NumParams(m) + c.extra {
			ref.Uint64()
		}
		if got, want := rng.Uint64(), ref.Uint64(); got != want {
			t.Errorf("%s: the generator moved other than %d weights + %d", c.name, nn.NumParams(m), c.extra)
		}
	}
}

// TestRecurrentInputErrors checks the messages of a recurrent layer given
// too many inputs or initial states of the wrong shape: they name the
// accepted count and the expected shape.
func TestRecurrentInputErrors(t *testing.T) {
	l := nn.NewLSTM(tensor.NewRand(1), 2, 3, nn.NumLayers(3), nn.Bidirectional())
	x := tensor.ZerosOf(tensor.Float32, 5, 4, 2)
	for want, inputs := range map[string][]*tensor.Tensor{
		"takes x and up to 3 optional inputs, got 5": {x, nil, nil, nil, nil},
		"initial states must be [6, 4, 3]":           {x, tensor.ZerosOf(tensor.Float32, 2, 4, 3)},
	} {
		func() {
			defer func() {
				err, _ := recover().(error)
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("recovered %v, want a message with %q", err, want)
				}
			}()
			l.ForwardN(inputs...)
		}()
	}
}

// TestInterLayerDropoutOnlyBetweenLayers checks where a multi-layer
// recurrent layer applies its dropout in training: between layers, not
// after the last. With p = 1 the second layer sees zeros whatever x is, so
// the output is the same for any x, and not zero (its biases act).
func TestInterLayerDropoutOnlyBetweenLayers(t *testing.T) {
	rng := tensor.NewRand(2)
	l := nn.NewLSTM(rng, 2, 3, nn.NumLayers(2), nn.InterLayerDropout(1))
	l.SetTraining(true)
	a := l.ForwardN(tensor.RandN(rng, 4, 1, 2))[0].Values()
	b := l.ForwardN(tensor.RandN(rng, 4, 1, 2))[0].Values()
	nonzero := false
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("output depends on x although the second layer's input is dropped: %v vs %v", a, b)
		}
		nonzero = nonzero || a[i] != 0
	}
	if !nonzero {
		t.Fatal("output all zero: dropout applied after the last layer")
	}
}

// TestNoDropoutTrainingEqualsEval checks that a 2-layer layer without
// inter-layer dropout gives the same output in training as in evaluation.
func TestNoDropoutTrainingEqualsEval(t *testing.T) {
	rng := tensor.NewRand(6)
	l := nn.NewGRU(rng, 2, 3, nn.NumLayers(2))
	x := tensor.RandN(rng, 4, 2, 2)
	l.SetTraining(true)
	a := l.ForwardN(x)[0].Values()
	l.SetTraining(false)
	b := l.ForwardN(x)[0].Values()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("training %v, evaluation %v", a, b)
		}
	}
}
