package nn

import (
	"fmt"

	"github.com/duboko/duboko/tensor"
)

// Layer is the course's explicit layer interface.
type Layer interface {
	// Forward returns the layer's output and remembers what the backward
	// methods need.
	Forward(x *tensor.Tensor) *tensor.Tensor
	// BackwardInputs returns ∂L/∂x for the input of the last Forward, given
	// grad = ∂L/∂y. It must not modify grad.
	BackwardInputs(grad *tensor.Tensor) *tensor.Tensor
	// BackwardParams returns (parameter, gradient) pairs for the last
	// Forward, given grad = ∂L/∂y; nil for layers without parameters.
	BackwardParams(grad *tensor.Tensor) []ParamGrad
}

// Param is a named trainable tensor.
type Param struct {
	Name   string
	Tensor *tensor.Tensor
}

// ParamGrad is a parameter with its gradient, as BackwardParams returns.
type ParamGrad struct {
	Name  string
	Param *tensor.Tensor
	Grad  *tensor.Tensor
}

// Module is a Layer usable with automatic differentiation: it lists its
// parameters (with stable names) and has a train/eval mode.
type Module interface {
	Layer
	// Params returns the trainable parameters with their names.
	Params() []Param
	// SetTraining switches between training (true) and evaluation mode.
	SetTraining(training bool)
}

// Buffered is implemented by modules with non-trainable state that belongs
// in a checkpoint (BatchNorm's running statistics).
type Buffered interface {
	Buffers() []Param
}

// noParams is embedded by parameter-free layers.
type noParams struct{}

// Params returns nil.
func (noParams) Params() []Param { return nil }

// BackwardParams returns nil.
func (noParams) BackwardParams(*tensor.Tensor) []ParamGrad { return nil }

// SetTraining does nothing.
func (noParams) SetTraining(bool) {}

// LayerError reports a misuse of a layer, such as a backward call before
// any Forward. Layers panic with it, like tensor's ShapeError.
type LayerError struct {
	Layer string
	Msg   string
}

func (e *LayerError) Error() string { return e.Layer + ": " + e.Msg }

// mustInput panics with a clear error when Forward has not run yet.
func mustInput(layer string, x *tensor.Tensor) {
	if x == nil {
		panic(&LayerError{Layer: layer, Msg: "BackwardInputs/BackwardParams called before Forward"})
	}
}

// checkGradShape panics unless grad has the shape of the last output.
func checkGradShape(layer string, grad *tensor.Tensor, want []int) {
	got := grad.Shape()
	if len(got) != len(want) {
		panic(&tensor.ShapeError{Op: layer + " backward", Shapes: [][]int{want, got}, Msg: "gradient must have the output's shape"})
	}
	for i := range got {
		if got[i] != want[i] {
			panic(&tensor.ShapeError{Op: layer + " backward", Shapes: [][]int{want, got}, Msg: "gradient must have the output's shape"})
		}
	}
}

// Prefixed returns params with prefix+"." prepended to each name.
func Prefixed(prefix string, params []Param) []Param {
	out := make([]Param, len(params))
	for i, p := range params {
		out[i] = Param{Name: prefix + "." + p.Name, Tensor: p.Tensor}
	}
	return out
}

// ZeroGrad clears the gradients of all of m's parameters. m is any
// Module, MultiModule or hand-written layer with a Params method.
func ZeroGrad(m ParamLister) {
	for _, p := range m.Params() {
		p.Tensor.ZeroGrad()
	}
}

// NumParams returns the number of scalar parameters of m.
func NumParams(m ParamLister) int {
	n := 0
	for _, p := range m.Params() {
		n += p.Tensor.Len()
	}
	return n
}

// To converts all of m's parameters and float buffers to dtype dt in place,
// e.g. to Float64 for a gradient check. Integer buffers (BatchNorm's
// num_batches_tracked) keep their dtype.
func To(m ParamLister, dt tensor.DType) {
	for _, p := range m.Params() {
		p.Tensor.SetDType(dt)
	}
	if b, ok := m.(Buffered); ok {
		for _, p := range b.Buffers() {
			if p.Tensor.DType().IsFloat() {
				p.Tensor.SetDType(dt)
			}
		}
	}
}

// StateDict returns parameters and buffers by name, as PyTorch's
// state_dict does. Names must be unique; a duplicate panics.
func StateDict(m ParamLister) []Param {
	all := append([]Param(nil), m.Params()...)
	if b, ok := m.(Buffered); ok {
		all = append(all, b.Buffers()...)
	}
	seen := map[string]bool{}
	for _, p := range all {
		if seen[p.Name] {
			panic(&LayerError{Layer: "StateDict", Msg: fmt.Sprintf("duplicate parameter name %q", p.Name)})
		}
		seen[p.Name] = true
	}
	return all
}
