package nn

// L2Regularizers returns lab 2's L2 penalties for a model: one
// L2Regularizer with the given λ for each of m's weight matrices and
// convolution kernels (parameters with two or more axes, named by their
// state-dict names), none for biases or BatchNorm's per-channel scales.
// With a data loss they make the lab's RegularizedLoss:
//
//	loss := &nn.RegularizedLoss{Data: nn.SoftmaxCrossEntropyWithLogits{},
//		Regularizers: nn.L2Regularizers(model, 1e-3)}
//
// Its BackwardParams gives 2λw for each weight, to add to the model's
// BackwardParams gradients; in autodiff code nn.L2 over the same weights
// is the same penalty.
func L2Regularizers(m ParamLister, lambda float64) []*L2Regularizer {
	var out []*L2Regularizer
	for _, p := range m.Params() {
		if p.Tensor.NDim() >= 2 {
			out = append(out, &L2Regularizer{Weights: p.Tensor, Lambda: lambda, Name: p.Name})
		}
	}
	return out
}
