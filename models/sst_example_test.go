package models_test

import (
	"fmt"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// One training step of lab 3's GRU classifier through the explicit
// interface: the forward pass, ∂L/∂logits of the summed binary
// cross-entropy by hand, σ(s) − y, every parameter's gradient from
// BackwardParams (backpropagation through time written out), clipping to
// norm 0.25 as the lab does, and an SGD update.
func ExampleRecurrent_BackwardParams() {
	m, err := models.NewSST("gru", tensor.NewRand(1), 20, 8) // 20 tokens, 8-dimensional embeddings
	if err != nil {
		panic(err)
	}
	ids := tensor.FromInts([]int{3, 4, 5, 6, 7, 0, 8, 9, 10, 11, 0, 0}, 4, 3) // four sentences, padded
	lengths := tensor.FromInts([]int{3, 2, 3, 1})
	y := tensor.FromFloat32([]float32{1, 0, 0, 1}, 4)

	logits := m.ForwardText(ids, lengths)
	var grad *tensor.Tensor
	tensor.NoGrad(func() { grad = tensor.Sub(tensor.Sigmoid(logits), y) })
	pg := m.BackwardParams(grad)
	for _, p := range pg {
		p.Param.SetGrad(p.Grad)
	}
	before := optim.ClipGradNorm(m.Params(), 0.25)
	opt := optim.NewSGD(m.Params(), optim.SGDConfig{LR: 0.1})
	opt.Step()
	fmt.Println(len(pg), "gradients:", pg[0].Name, pg[1].Name, "…", pg[len(pg)-1].Name)
	fmt.Printf("norm clipped from %.2g to %.2f\n", before, optim.GradNorm(m.Params()))
	// Output:
	// 13 gradients: embedding.weight rnn.weight_ih_l0 … fc2.bias
	// norm clipped from 0.34 to 0.25
}
