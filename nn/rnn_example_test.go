package nn_test

import (
	"fmt"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// The exam's question: a 2-unit RNN with the logistic sigmoid,
// h_t = σ(W_hh h_{t−1} + W_xh x_t + b), h_0 = 0; compute h_2. The weights
// are set by hand (one bias, so bias_hh is zero). By hand:
// h_1 = σ([1, −1]) = [0.7311, 0.2689] and
// h_2 = σ(0.5·h_1 + 2·[1, −1]) = σ([2.3655, −1.8655]) = [0.9142, 0.1341].
func ExampleRNN_sigmoid() {
	rnn := nn.NewRNN(tensor.NewRand(1), 1, 2, nn.RNNActivation(tensor.ActSigmoid))
	set := func(name string, v ...float64) {
		for _, p := range rnn.Params() {
			if p.Name == name {
				_ = nn.SetValues(p.Tensor, v...)
			}
		}
	}
	set("weight_ih_l0", 1, -1)          // W_xh, [2, 1]
	set("weight_hh_l0", 0.5, 0, 0, 0.5) // W_hh, [2, 2]
	set("bias_ih_l0", 0, 0)
	set("bias_hh_l0", 0, 0)
	x := tensor.FromFloat32([]float32{1, 2}, 2, 1, 1) // T=2, N=1, I=1
	ys := rnn.ForwardN(x)
	fmt.Printf("h1 = %.4f\n", ys[0].Values()[:2])
	fmt.Printf("h2 = %.4f\n", ys[1].Values())
	// Output:
	// h1 = [0.7311 0.2689]
	// h2 = [0.9142 0.1341]
}
