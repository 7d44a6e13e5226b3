package models

import (
	"fmt"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// Chain returns the model as an nn.Sequential of its layers, sharing its
// weights and its parameter names (embedding, mean, fc1, relu1, fc2, relu2,
// fc3, logits): its Forward(ids) is the model's Forward(ids), every word of
// each sentence counted. It is what `duboko summary` tabulates layer by
// layer.
func (m *Baseline) Chain() *nn.Sequential {
	s := &nn.Sequential{}
	s.Add("embedding", m.Emb)
	s.Add("mean", nn.NewGlobalAvgPool(1))
	s.Add("fc1", m.FC1)
	s.Add("relu1", nn.NewReLU())
	s.Add("fc2", m.FC2)
	s.Add("relu2", nn.NewReLU())
	s.Add("fc3", m.FC3)
	s.Add("logits", nn.NewReshape())
	return s
}

// Chain returns the model as an nn.Sequential of its layers, sharing its
// weights and its parameter names (embedding, rnn, fc1, relu, fc2, logits;
// the rnn row is the recurrent layer keeping its top layer's final state):
// its Forward(ids) is the model's Forward(ids). It is what `duboko summary`
// tabulates layer by layer.
func (m *Recurrent) Chain() *nn.Sequential {
	s := &nn.Sequential{}
	s.Add("embedding", m.Emb)
	s.Add("rnn", &lastState{m: m.RNN})
	s.Add("fc1", m.FC1)
	s.Add("relu", nn.NewReLU())
	s.Add("fc2", m.FC2)
	s.Add("logits", nn.NewReshape())
	return s
}

// lastState is a recurrent layer that returns its top layer's final state
// hN[−1] [N, H] (of the forward direction), the Module form of the
// recurrent models' "rnn" step.
type lastState struct {
	m     nn.MultiModule
	nOut  int
	shape []int // hN's shape
}

// Name returns the recurrent layer's name (RNN, GRU or LSTM).
func (l *lastState) Name() string {
	if n, ok := l.m.(interface{ Name() string }); ok {
		return n.Name()
	}
	return fmt.Sprintf("%T", l.m)
}

func (l *lastState) Forward(x *tensor.Tensor) *tensor.Tensor {
	outs := l.m.ForwardN(x)
	hN := outs[1]
	l.nOut, l.shape = len(outs), hN.Shape()
	L := hN.Dim(0)
	return tensor.Reshape(tensor.Slice(hN, 0, L-1, L), hN.Dim(1), hN.Dim(2))
}

// grads returns the recurrent layer's output gradients for ∂L/∂hN[−1].
func (l *lastState) grads(g *tensor.Tensor) []*tensor.Tensor {
	if l.shape == nil {
		panic(&nn.LayerError{Layer: l.Name(), Msg: "BackwardInputs/BackwardParams called before Forward"})
	}
	dHN := tensor.Unsqueeze(g, 0)
	if L := l.shape[0]; L > 1 { // the lower layers' final states do not reach the loss
		dHN = tensor.Concat(0, tensor.ZerosOf(g.DType(), L-1, l.shape[1], l.shape[2]), dHN)
	}
	gs := make([]*tensor.Tensor, l.nOut)
	gs[1] = dHN
	return gs
}

func (l *lastState) BackwardInputs(g *tensor.Tensor) *tensor.Tensor {
	return l.m.BackwardInputsN(l.grads(g))[0]
}

func (l *lastState) BackwardParams(g *tensor.Tensor) []nn.ParamGrad {
	return l.m.BackwardParamsN(l.grads(g))
}

func (l *lastState) Params() []nn.Param { return l.m.Params() }
func (l *lastState) SetTraining(t bool) { l.m.SetTraining(t) }

// Counts returns the recurrent layer's counts (nn.Counter) with the
// output shape [N, H].
func (l *lastState) Counts(in []int) (tensor.Counts, []int) {
	c, ok := l.m.(nn.Counter)
	if !ok {
		return tensor.Counts{Unknown: 1}, nil
	}
	counts, out := c.Counts(in)
	if out == nil {
		return counts, nil
	}
	h := l.m.Params()[1].Tensor.Dim(1) // weight_hh_l0 [G·H, H]
	return counts, []int{in[0], h}
}
