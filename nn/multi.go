package nn

import (
	"fmt"

	"github.com/duboko/duboko/tensor"
)

// MultiLayer is the explicit interface of a layer with several inputs or
// outputs: a recurrent layer (input, initial states, lengths → output,
// final states), a two-input layer (Bilinear), attention (query, key,
// value). It is Layer with slices in place of single tensors; a Layer is
// the special case of one input and one output (see AsMulti).
type MultiLayer interface {
	// ForwardN returns the layer's outputs and remembers what the backward
	// methods need. The layer documents its inputs and outputs in order;
	// optional trailing inputs (an initial state) may be omitted or nil.
	ForwardN(inputs ...*tensor.Tensor) []*tensor.Tensor
	// BackwardInputsN returns one gradient per input of the last ForwardN
	// (nil for an input that was nil or takes no gradient, such as
	// lengths), given one gradient per output. A nil output gradient
	// stands for zeros: an output that does not reach the loss. It must
	// not modify grads.
	BackwardInputsN(grads []*tensor.Tensor) []*tensor.Tensor
	// BackwardParamsN returns (parameter, gradient) pairs for the last
	// ForwardN, given one gradient per output (nil for zeros).
	BackwardParamsN(grads []*tensor.Tensor) []ParamGrad
}

// MultiModule is a MultiLayer usable with automatic differentiation, as
// Module is for Layer: ForwardN is built from recorded operations (or
// recorded as one custom op by WrapN), and it lists its parameters.
type MultiModule interface {
	MultiLayer
	// Params returns the trainable parameters with their names.
	Params() []Param
	// SetTraining switches between training (true) and evaluation mode.
	SetTraining(training bool)
}

// AsMulti returns l as a MultiModule with one input and one output, so
// that containers and code written for MultiModule take single-input
// layers too. Parameters and the mode pass through when l has them (a
// Module, or a hand-written layer with a Params method). AsMulti adds no
// autodiff op: for a hand-written layer use AsMulti(Wrap(l)).
func AsMulti(l Layer) MultiModule {
	if s, ok := l.(*selected); ok && s.out == 0 {
		if m, ok := s.m.(*single); ok {
			return m // AsMulti(Select(AsMulti(l), 0)) is AsMulti(l)
		}
	}
	return &single{l: l}
}

// single adapts a Layer to MultiModule.
type single struct {
	l     Layer
	y     *tensor.Tensor // last output, for the shape of a nil gradient
	input bool           // whether the last ForwardN had a non-nil input
}

func (s *single) ForwardN(inputs ...*tensor.Tensor) []*tensor.Tensor {
	if len(inputs) != 1 {
		panic(&LayerError{Layer: layerName(s.l), Msg: fmt.Sprintf("takes 1 input, got %d", len(inputs))})
	}
	s.y = s.l.Forward(inputs[0])
	return []*tensor.Tensor{s.y}
}

// grad returns the single output's gradient, zeros for nil.
func (s *single) grad(grads []*tensor.Tensor) *tensor.Tensor {
	name := layerName(s.l)
	mustInput(name, s.y)
	if len(grads) != 1 {
		panic(&LayerError{Layer: name, Msg: fmt.Sprintf("has 1 output, got %d gradients", len(grads))})
	}
	if grads[0] == nil {
		return tensor.ZerosLike(s.y)
	}
	return grads[0]
}

func (s *single) BackwardInputsN(grads []*tensor.Tensor) []*tensor.Tensor {
	return []*tensor.Tensor{s.l.BackwardInputs(s.grad(grads))}
}

func (s *single) BackwardParamsN(grads []*tensor.Tensor) []ParamGrad {
	return s.l.BackwardParams(s.grad(grads))
}

func (s *single) Params() []Param {
	if p, ok := s.l.(ParamLister); ok {
		return p.Params()
	}
	return nil
}

func (s *single) SetTraining(training bool) { setTraining(s.l, training) }

// Name returns the adapted layer's name.
func (s *single) Name() string { return layerName(s.l) }

// Select returns the single-input Module that feeds its input to m and
// keeps output i, treating the other outputs as unused (zero gradient).
// It is how a multi-output layer joins a Sequential: an LSTM returning
// (output, hN, cN) becomes Select(lstm, 0), as PyTorch code writes
// lstm(x)[0]. Parameter names are m's.
func Select(m MultiModule, i int) Module {
	if i < 0 {
		panic(&LayerError{Layer: "Select", Msg: fmt.Sprintf("negative output index %d", i)})
	}
	return &selected{m: m, out: i}
}

// selected is Select's Module.
type selected struct {
	m    MultiModule
	out  int
	nOut int // number of outputs of the last Forward
}

func (s *selected) Forward(x *tensor.Tensor) *tensor.Tensor {
	ys := s.m.ForwardN(x)
	if s.out >= len(ys) {
		panic(&LayerError{Layer: "Select", Msg: fmt.Sprintf("output %d of %s, which has %d", s.out, layerName(s.m), len(ys))})
	}
	s.nOut = len(ys)
	return ys[s.out]
}

// grads returns the output gradients with grad at the selected output.
func (s *selected) grads(grad *tensor.Tensor) []*tensor.Tensor {
	if s.nOut == 0 {
		mustInput("Select", nil)
	}
	gs := make([]*tensor.Tensor, s.nOut)
	gs[s.out] = grad
	return gs
}

func (s *selected) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	return s.m.BackwardInputsN(s.grads(grad))[0]
}

func (s *selected) BackwardParams(grad *tensor.Tensor) []ParamGrad {
	return s.m.BackwardParamsN(s.grads(grad))
}

func (s *selected) Params() []Param           { return s.m.Params() }
func (s *selected) SetTraining(training bool) { s.m.SetTraining(training) }

// Name returns "Select(i)" with the inner layer's name.
func (s *selected) Name() string { return fmt.Sprintf("Select(%s, %d)", layerName(s.m), s.out) }

// Unwrap returns the multi-output module.
func (s *selected) Unwrap() MultiModule { return s.m }

// layerName returns l's Name() if it has one, else its Go type.
func layerName(l any) string {
	if n, ok := l.(interface{ Name() string }); ok {
		return n.Name()
	}
	return fmt.Sprintf("%T", l)
}

// setTraining forwards the mode to l if it has one.
func setTraining(l any, training bool) {
	if m, ok := l.(interface{ SetTraining(bool) }); ok {
		m.SetTraining(training)
	}
}
