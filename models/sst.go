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
// that the model is an nn.Module for the trainer and checkpoints; the
// models are trained with automatic differentiation, and their explicit
// BackwardInputs returns nil (ids take no gradient) while BackwardParams
// panics with an *nn.LayerError.
type SentimentModel interface {
	nn.Module
	ForwardText(ids, lengths *tensor.Tensor) *tensor.Tensor
	// Embedding returns the word embedding layer, whose weight
	// "embedding.weight" is [vocab, dim].
	Embedding() *nn.Embedding
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
	h := tensor.Div(tensor.Sum(e, 1), tensor.To(tensor.FromFloat32(den, n, 1), e.DType()))
	h = tensor.ReLU(m.FC1.Forward(h))
	h = tensor.ReLU(m.FC2.Forward(h))
	return tensor.Reshape(m.FC3.Forward(h), n)
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

// BackwardParams panics: the model is trained with autodiff.
func (m *Baseline) BackwardParams(*tensor.Tensor) []nn.ParamGrad { panic(noExplicit("Baseline")) }

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
}

// ForwardText returns the logits [N] of ids [N, T] with lengths [N].
func (m *Recurrent) ForwardText(ids, lengths *tensor.Tensor) *tensor.Tensor {
	n, _ := checkIDs("Recurrent", ids, lengths)
	x := m.Emb.Forward(ids) // [N, T, E]
	var outs []*tensor.Tensor
	if m.Kind == "lstm" {
		outs = m.RNN.ForwardN(x, nil, nil, lengths)
	} else {
		outs = m.RNN.ForwardN(x, nil, lengths)
	}
	hN := outs[1] // [L, N, H]
	l := hN.Shape()[0]
	h := tensor.Reshape(tensor.Slice(hN, 0, l-1, l), n, SSTHidden)
	h = tensor.ReLU(m.FC1.Forward(h))
	return tensor.Reshape(m.FC2.Forward(h), n)
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

// BackwardParams panics: the model is trained with autodiff.
func (m *Recurrent) BackwardParams(*tensor.Tensor) []nn.ParamGrad { panic(noExplicit("Recurrent")) }

func noExplicit(layer string) error {
	return &nn.LayerError{Layer: layer, Msg: "no explicit backward: train the sentiment models with autodiff (loss.Backward())"}
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
