package models

import (
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func TestModels(t *testing.T) {
	want := map[string]struct {
		params int
		names  []string
	}{
		// conv1 16·25+16, conv2 32·400+32, fc3 1568·512+512, logits 512·10+10
		"cnn": {416 + 12832 + 803328 + 5130, []string{"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc3.weight", "fc3.bias", "logits.weight", "logits.bias"}},
		// conv1 16·75+16, conv2 32·400+32, fc3 1568·256+256, fc4 256·128+128, logits 128·10+10
		"cifar": {1216 + 12832 + 401664 + 32896 + 1290, []string{"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias", "logits.weight", "logits.bias"}},
		"mlp":   {784*512 + 512 + 5130, []string{"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}},
	}
	for _, name := range Names() {
		m, in, err := New(name, tensor.NewRand(1))
		if err != nil {
			t.Fatal(err)
		}
		if got := nn.NumParams(m); got != want[name].params {
			t.Errorf("%s: %d parameters, want %d", name, got, want[name].params)
		}
		for i, p := range m.Params() {
			if p.Name != want[name].names[i] {
				t.Errorf("%s: parameter %d named %q, want %q", name, i, p.Name, want[name].names[i])
			}
		}
		y := m.Forward(tensor.Zeros(append([]int{3}, in...)...))
		if s := y.Shape(); len(s) != 2 || s[0] != 3 || s[1] != 10 {
			t.Errorf("%s: output shape %v", name, s)
		}
	}
	if _, _, err := New("resnet", tensor.NewRand(1)); err == nil {
		t.Fatal("unknown model accepted")
	}
}
