package graph_test

import (
	"fmt"
	"os"

	"github.com/duboko/duboko/graph"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// The exam's plain RNN with the logistic sigmoid, h_t = σ(W_hh h_{t−1} +
// W_xh x_t), h_0 = 0, run step by step: the trace shows each step's
// pre-activation and state, and the unrolled graph has one node per
// weight, read by both steps.
func ExampleTraceSteps() {
	rnn := nn.NewRNN(tensor.NewRand(1), 1, 2, nn.RNNActivation(tensor.ActSigmoid), nn.OneBiasPerGate())
	nn.To(rnn, tensor.Float64)
	w := rnn.Weights[0][0]
	_ = nn.SetValues(w.WeightIH, 1, -1)          // W_xh
	_ = nn.SetValues(w.WeightHH, 0.5, 0, 0, 0.5) // W_hh
	_ = nn.SetValues(w.BiasIH, 0, 0)
	x := tensor.FromFloat64([]float64{1, 2}, 2, 1, 1) // x_1 = 1, x_2 = 2
	g, u, err := graph.Unroll(rnn, x)
	if err != nil {
		panic(err)
	}
	_ = graph.TraceSteps(os.Stdout, u, graph.StepTraceOptions{Gates: true})
	fmt.Println(g.Lookup("weight_hh_l0").Kind, g.Lookup("h2").Op)
	// Output:
	// step trace: 1 layer(s), 1 direction(s)
	// layer 0, forward
	//   a1   = [1.0000 -1.0000]
	//   h1   = [0.7311 0.2689]
	//   a2   = [2.3655 -1.8655]
	//   h2   = [0.9142 0.1341]
	// param Sigmoid
}
