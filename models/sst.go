package models

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// SST hyper-parameters of the course's lab 3.
const (
	SSTEmbedDim = 300 // embedding dimension (that of the lab's GloVe vectors)
	SSTHidden   = 150 // recurrent hidden size and fully connected width
	SSTLayers   = 2   // stacked recurrent layers
)

// SSTNames returns the models of the sentiment task: baseline, gru, lstm, rnn.
func SSTNames() []string { return []string{"baseline", "gru", "lstm", "rnn"} }

// DescribeSST returns a one-line description of each sentiment model, for
// help texts.
func DescribeSST() string {
	docs := map[string]string{
		"baseline": "mean of the word embeddings over each sentence → FC 150 → ReLU → FC 150 → ReLU → FC 1",
		"gru":      "embeddings → 2-layer GRU (hidden 150), top layer's state at each sentence's last word → FC 150 → ReLU → FC 1",
		"lstm":     "as gru, with a 2-layer LSTM",
		"rnn":      "as gru, with a 2-layer tanh RNN",
	}
	var b strings.Builder
	for _, n := range SSTNames() {
		fmt.Fprintf(&b, "  %-8s %s\n", n, docs[n])
	}
	return b.String()
}

// SentimentModel is a sentence classifier of the sentiment task: it maps a
// padded batch of token ids to one logit per sentence (positive when > 0).
//
// ForwardText takes ids, an Int64 tensor [N, T] padded with id 0, and
// lengths, an Int64 tensor [N] of each sentence's length in 1..T (nil: all
// T), and returns the logits [N]. Forward(ids) is ForwardText(ids, nil), so
// that the model is an nn.Module for the trainer and checkpoints. The
// models train with automatic differentiation (loss.Backward()) and also
// through the course's explicit interface: after a Forward or ForwardText,
// BackwardParams(∂L/∂logits) chains every layer's explicit backward pass by
// hand (FC, ReLU, the recurrent layer's backpropagation through time
// written out, the embedding) and returns every parameter's gradient with
// its state-dict name; BackwardInputs returns nil, since ids take no
// gradient.
type SentimentModel interface {
	nn.Module
	ForwardText(ids, lengths *tensor.Tensor) *tensor.Tensor
	// Embedding returns the word embedding layer, whose weight
	// "embedding.weight" is [vocab, dim].
	Embedding() *nn.Embedding
	// Chain returns the model as an nn.Sequential of its layers sharing
	// its weights and names, whose Forward(ids) is the model's (for
	// layer-by-layer summaries).
	Chain() *nn.Sequential
}

// NewSST builds the named sentiment model (see SSTNames) for a vocabulary
// of vocab tokens whose id 0 is padding, with word vectors of dim features
// (SSTEmbedDim in the lab). The embedding is drawn from N(0, 1)
// (its padding row zero, and kept zero: it gets no gradient), the other
// weights as PyTorch initialises them.
func NewSST(name string, rng *rand.Rand, vocab, dim int) (SentimentModel, error) {
	if vocab < 2 || dim < 1 {
		return nil, fmt.Errorf("sentiment model: vocabulary of %d tokens and dimension %d (want ≥ 2 and ≥ 1)", vocab, dim)
	}
	emb := nn.NewEmbedding(rng, vocab, dim, nn.EmbeddingPadding(0))
	switch name {
	case "baseline":
		return &Baseline{Emb: emb,
			FC1: nn.NewLinear(rng, dim, SSTHidden),
			FC2: nn.NewLinear(rng, SSTHidden, SSTHidden),
			FC3: nn.NewLinear(rng, SSTHidden, 1)}, nil
	case "rnn", "gru", "lstm":
		m := &Recurrent{Kind: name, Emb: emb}
		opts := []nn.RecurrentOption{nn.NumLayers(SSTLayers), nn.BatchFirst()}
		switch name {
		case "rnn":
			m.RNN = nn.NewRNN(rng, dim, SSTHidden, opts...)
		case "gru":
			m.RNN = nn.NewGRU(rng, dim, SSTHidden, opts...)
		case "lstm":
			m.RNN = nn.NewLSTM(rng, dim, SSTHidden, opts...)
		}
		m.FC1 = nn.NewLinear(rng, SSTHidden, SSTHidden)
		m.FC2 = nn.NewLinear(rng, SSTHidden, 1)
		return m, nil
	}
	return nil, fmt.Errorf("unknown model %q for the sst task (known: %s)", name, strings.Join(SSTNames(), ", "))
}

// Baseline is the lab's baseline: the mean of a sentence's word embeddings
// over its length → FC 150 → ReLU → FC 150 → ReLU → FC 1. Parameters:
// embedding.weight, fc1.*, fc2.*, fc3.*.
type Baseline struct {
	Emb           *nn.Embedding
	FC1, FC2, FC3 *nn.Linear

	last *baselineCall // the last forward pass, for the explicit backward
}

// baselineCall is what a forward pass keeps for the explicit backward.
type baselineCall struct {
	n, t   int
	den    *tensor.Tensor // [N, 1] each sentence's length
	a1, a2 *tensor.Tensor // outputs of the two ReLUs
}

// ForwardText returns the logits [N] of ids [N, T] with lengths [N].
func (m *Baseline) ForwardText(ids, lengths *tensor.Tensor) *tensor.Tensor {
	n, t := checkIDs("Baseline", ids, lengths)
	e := m.Emb.Forward(ids) // [N, T, E]; padding rows are zero
	den := make([]float32, n)
	for i := range den {
		den[i] = float32(t)
		if lengths != nil {
			den[i] = float32(lengths.Int64s()[i])
		}
	}
	c := &baselineCall{n: n, t: t, den: tensor.To(tensor.FromFloat32(den, n, 1), e.DType())}
	h := tensor.Div(tensor.Sum(e, 1), c.den)
	c.a1 = tensor.ReLU(m.FC1.Forward(h))
	c.a2 = tensor.ReLU(m.FC2.Forward(c.a1))
	m.last = c
	return tensor.Reshape(m.FC3.Forward(c.a2), n)
}

// Forward is ForwardText(ids, nil).
func (m *Baseline) Forward(ids *tensor.Tensor) *tensor.Tensor { return m.ForwardText(ids, nil) }

// Params returns the parameters with their state-dict names.
func (m *Baseline) Params() []nn.Param {
	var ps []nn.Param
	ps = append(ps, nn.Prefixed("embedding", m.Emb.Params())...)
	ps = append(ps, nn.Prefixed("fc1", m.FC1.Params())...)
	ps = append(ps, nn.Prefixed("fc2", m.FC2.Params())...)
	return append(ps, nn.Prefixed("fc3", m.FC3.Params())...)
}

// SetTraining does nothing: the model has no dropout or normalisation.
func (m *Baseline) SetTraining(bool) {}

// Embedding returns the word embedding layer.
func (m *Baseline) Embedding() *nn.Embedding { return m.Emb }

// BackwardInputs returns nil: ids take no gradient.
func (m *Baseline) BackwardInputs(*tensor.Tensor) *tensor.Tensor { return nil }

// BackwardParams returns the gradient of every parameter for the last
// forward pass, given grad = ∂L/∂logits [N], in Params order: back through
// FC 3, ReLU, FC 2, ReLU, FC 1, then the mean, which hands each word of a
// sentence of length l the gradient of the mean divided by l (every one of
// the T positions, as the forward pass sums them all; the padding row of
// the embedding takes none). A frozen embedding's weight gets no entry.
func (m *Baseline) BackwardParams(grad *tensor.Tensor) []nn.ParamGrad {
	c := m.last
	if c == nil {
		panic(&nn.LayerError{Layer: "Baseline", Msg: "BackwardParams called before Forward"})
	}
	var pg []nn.ParamGrad
	tensor.NoGrad(func() {
		g := logitGrad("Baseline", grad, c.n)
		var p3, p2, p1, pe []nn.ParamGrad
		g, p3 = linearBack(m.FC3, g)
		g, p2 = linearBack(m.FC2, reluBack(c.a2, g))
		g, p1 = linearBack(m.FC1, reluBack(c.a1, g))
		de := tensor.Expand(tensor.Unsqueeze(tensor.Div(g, c.den), 1), c.n, c.t, g.Dim(1)) // ∂L/∂e [N, T, E]
		pe = m.Emb.BackwardParams(de)
		pg = append(pg, prefixGrads("embedding", pe)...)
		pg = append(pg, prefixGrads("fc1", p1)...)
		pg = append(pg, prefixGrads("fc2", p2)...)
		pg = append(pg, prefixGrads("fc3", p3)...)
	})
	return pg
}

// Recurrent is the lab's recurrent classifier: embeddings → 2-layer RNN,
// GRU or LSTM of hidden size 150 → the top layer's state after each
// sentence's last word (hN[-1]) → FC 150 → ReLU → FC 1. Parameters:
// embedding.weight, rnn.weight_ih_l0 … rnn.bias_hh_l1 (PyTorch's names),
// fc1.*, fc2.*.
type Recurrent struct {
	Kind     string         // "rnn", "gru" or "lstm"
	Emb      *nn.Embedding  //
	RNN      nn.MultiModule // *nn.RNN, *nn.GRU or *nn.LSTM, batch first
	FC1, FC2 *nn.Linear

	last *recurrentCall // the last forward pass, for the explicit backward
}

// recurrentCall is what a forward pass keeps for the explicit backward.
type recurrentCall struct {
	n    int
	hN   []int          // shape of the recurrent layer's final states
	nOut int            // number of the recurrent layer's outputs
	a1   *tensor.Tensor // output of the ReLU
}

// ForwardText returns the logits [N] of ids [N, T] with lengths [N].
func (m *Recurrent) ForwardText(ids, lengths *tensor.Tensor) *tensor.Tensor {
	return m.forward(ids, lengths, m.RNN.ForwardN)
}

// ForwardUnrolled is ForwardText with the recurrent layer run step by step
// (nn.Unroller's Unroll: every step's ops recorded, its tensors named h1,
// h2, … by step), for drawing the model's graph unrolled over a few words.
// It returns the logits and the recurrent layer's steps.
func (m *Recurrent) ForwardUnrolled(ids, lengths *tensor.Tensor) (*tensor.Tensor, *nn.Unrolled) {
	u, ok := m.RNN.(nn.Unroller)
	if !ok {
		panic(&nn.LayerError{Layer: "Recurrent", Msg: fmt.Sprintf("%T cannot be unrolled", m.RNN)})
	}
	var un *nn.Unrolled
	y := m.forward(ids, lengths, func(in ...*tensor.Tensor) []*tensor.Tensor {
		un = u.Unroll(in...)
		return un.Outputs
	})
	return y, un
}

// forward is ForwardText with the recurrent layer run by run.
func (m *Recurrent) forward(ids, lengths *tensor.Tensor, run func(...*tensor.Tensor) []*tensor.Tensor) *tensor.Tensor {
	n, _ := checkIDs("Recurrent", ids, lengths)
	x := m.Emb.Forward(ids) // [N, T, E]
	var outs []*tensor.Tensor
	if m.Kind == "lstm" {
		outs = run(x, nil, nil, lengths)
	} else {
		outs = run(x, nil, lengths)
	}
	hN := outs[1] // [L, N, H]
	l := hN.Shape()[0]
	h := tensor.Reshape(tensor.Slice(hN, 0, l-1, l), n, hN.Dim(2))
	c := &recurrentCall{n: n, hN: hN.Shape(), nOut: len(outs)}
	c.a1 = tensor.ReLU(m.FC1.Forward(h))
	m.last = c
	return tensor.Reshape(m.FC2.Forward(c.a1), n)
}

// Forward is ForwardText(ids, nil).
func (m *Recurrent) Forward(ids *tensor.Tensor) *tensor.Tensor { return m.ForwardText(ids, nil) }

// Params returns the parameters with their state-dict names.
func (m *Recurrent) Params() []nn.Param {
	var ps []nn.Param
	ps = append(ps, nn.Prefixed("embedding", m.Emb.Params())...)
	ps = append(ps, nn.Prefixed("rnn", m.RNN.Params())...)
	ps = append(ps, nn.Prefixed("fc1", m.FC1.Params())...)
	return append(ps, nn.Prefixed("fc2", m.FC2.Params())...)
}

// SetTraining sets the recurrent layer's mode (it has no dropout here).
func (m *Recurrent) SetTraining(t bool) { m.RNN.SetTraining(t) }

// Embedding returns the word embedding layer.
func (m *Recurrent) Embedding() *nn.Embedding { return m.Emb }

// BackwardInputs returns nil: ids take no gradient.
func (m *Recurrent) BackwardInputs(*tensor.Tensor) *tensor.Tensor { return nil }

// BackwardParams returns the gradient of every parameter for the last
// ForwardText (or Forward), given grad = ∂L/∂logits [N], in Params order:
// back through FC 2, ReLU and FC 1 to ∂L/∂hN of the top layer, then the
// recurrent layer's explicit backpropagation through time (its
// BackwardParamsN and BackwardInputsN, written out step by step) to
// ∂L/∂embeddings, then the embedding's (no entry when it is frozen).
func (m *Recurrent) BackwardParams(grad *tensor.Tensor) []nn.ParamGrad {
	c := m.last
	if c == nil {
		panic(&nn.LayerError{Layer: "Recurrent", Msg: "BackwardParams called before Forward"})
	}
	var pg []nn.ParamGrad
	tensor.NoGrad(func() {
		g := logitGrad("Recurrent", grad, c.n)
		var p2, p1 []nn.ParamGrad
		g, p2 = linearBack(m.FC2, g)
		g, p1 = linearBack(m.FC1, reluBack(c.a1, g)) // ∂L/∂h of the top layer's final state [N, H]
		// ∂L/∂hN: g for the top layer, zeros below; ∂L/∂out and ∂L/∂cN are zero.
		gs := (&lastState{m: m.RNN, nOut: c.nOut, shape: c.hN}).grads(g)
		pr := m.RNN.BackwardParamsN(gs)
		dx := m.RNN.BackwardInputsN(gs)[0] // ∂L/∂embeddings [N, T, E]
		pg = append(pg, prefixGrads("embedding", m.Emb.BackwardParams(dx))...)
		pg = append(pg, prefixGrads("rnn", pr)...)
		pg = append(pg, prefixGrads("fc1", p1)...)
		pg = append(pg, prefixGrads("fc2", p2)...)
	})
	return pg
}

// logitGrad checks ∂L/∂logits [N] and returns it as [N, 1].
func logitGrad(layer string, grad *tensor.Tensor, n int) *tensor.Tensor {
	if grad.NDim() != 1 || grad.Dim(0) != n {
		panic(&tensor.ShapeError{Op: layer + " backward", Shapes: [][]int{{n}, grad.Shape()}, Msg: "gradient must have the logits' shape"})
	}
	return tensor.Reshape(grad, n, 1)
}

// linearBack is l's explicit backward: ∂L/∂x and its parameters' gradients.
func linearBack(l *nn.Linear, g *tensor.Tensor) (*tensor.Tensor, []nn.ParamGrad) {
	return l.BackwardInputs(g), l.BackwardParams(g)
}

// reluBack returns g ⊙ ReLU'(x) given a = ReLU(x): g where a > 0, else 0.
func reluBack(a, g *tensor.Tensor) *tensor.Tensor { return tensor.Mul(g, tensor.Sign(a)) }

// prefixGrads prepends prefix+"." to each gradient's name.
func prefixGrads(prefix string, pg []nn.ParamGrad) []nn.ParamGrad {
	out := make([]nn.ParamGrad, len(pg))
	for i, p := range pg {
		p.Name = prefix + "." + p.Name
		out[i] = p
	}
	return out
}

// checkIDs panics with a typed error unless ids is Int64 [N, T] and lengths
// nil or Int64 [N] with values in 1..T; it returns N and T.
func checkIDs(layer string, ids, lengths *tensor.Tensor) (n, t int) {
	if ids.DType() != tensor.Int64 || ids.NDim() != 2 {
		panic(&nn.LayerError{Layer: layer, Msg: fmt.Sprintf("ids must be an Int64 tensor [N, T], got %v %v", ids.DType(), ids.Shape())})
	}
	n, t = ids.Shape()[0], ids.Shape()[1]
	if lengths == nil {
		return n, t
	}
	if lengths.DType() != tensor.Int64 || lengths.NDim() != 1 || lengths.Shape()[0] != n {
		panic(&nn.LayerError{Layer: layer, Msg: fmt.Sprintf("lengths must be an Int64 tensor [%d], got %v %v", n, lengths.DType(), lengths.Shape())})
	}
	for _, l := range lengths.Int64s() {
		if l < 1 || l > int64(t) {
			panic(&nn.LayerError{Layer: layer, Msg: fmt.Sprintf("length %d outside 1..%d", l, t)})
		}
	}
	return n, t
}
