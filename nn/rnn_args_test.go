package nn_test

import (
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
		"input 0":      func() { nn.NewRNN(tensor.NewRand(1), 0, 3) },
		"hidden 0":     func() { nn.NewRNN(tensor.NewRand(1), 2, 0) },
		"0 layers":     func() { nn.NewRNN(tensor.NewRand(1), 2, 3, nn.NumLayers(0)) },
		"dropout 1.5":  func() { nn.NewGRU(tensor.NewRand(1), 2, 3, nn.InterLayerDropout(1.5)) },
		"dropout -0.1": func() { nn.NewGRU(tensor.NewRand(1), 2, 3, nn.InterLayerDropout(-0.1)) },
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
