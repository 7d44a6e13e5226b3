package nn

import (
	"fmt"
	"strconv"

	"github.com/duboko/duboko/tensor"
)

// Sequential applies named layers in order, like torch.nn.Sequential.
// Parameter names are prefixed with the layer's name ("0.weight" by
// default, or "fc1.weight" when added with a name).
type Sequential struct {
	Names  []string
	Layers []Module

	// scratch holds, by layer index, the reused results of fused
	// Linear+ReLU pairs during inference (see Forward).
	scratch []*tensor.Tensor
}

// NewSequential returns a Sequential whose layers are named 0, 1, 2, ...
// Plain Layers (hand-written, without Params) are wrapped with Wrap.
func NewSequential(layers ...Layer) *Sequential {
	s := &Sequential{}
	for _, l := range layers {
		s.Add(strconv.Itoa(len(s.Layers)), l)
	}
	return s
}

// Add appends a layer under the given name and returns s.
func (s *Sequential) Add(name string, l Layer) *Sequential {
	for _, n := range s.Names {
		if n == name {
			panic(&LayerError{Layer: "Sequential", Msg: fmt.Sprintf("duplicate layer name %q", name)})
		}
	}
	m, ok := l.(Module)
	if !ok {
		m = Wrap(l)
	}
	s.Names = append(s.Names, name)
	s.Layers = append(s.Layers, m)
	return s
}

// Forward applies every layer in order. While gradients are not recorded
// (inside tensor.NoGrad), a Linear followed by a ReLU runs as one
// tensor.LinearReLU, which adds the bias and clamps while the product's
// output is still in cache; the result and both layers' explicit backward
// passes are the same as running them one after the other. When such a
// pair feeds another Linear, which keeps its input only until its next
// Forward, the pair's result goes into a buffer that the Sequential reuses
// from one call to the next instead of allocating: the value Forward
// returns is never such a buffer.
func (s *Sequential) Forward(x *tensor.Tensor) *tensor.Tensor {
	fuse := !tensor.GradEnabled() // one lookup: layers leave the mode as they found it
	for i := 0; i < len(s.Layers); i++ {
		if fuse && i+1 < len(s.Layers) {
			if l, ok := s.Layers[i].(*Linear); ok {
				if r, ok := s.Layers[i+1].(*elementwise); ok && r.name == "ReLU" {
					x = l.forwardReLU(x, r, s.scratchFor(i))
					i++
					continue
				}
			}
		}
		x = s.Layers[i].Forward(x)
	}
	return x
}

// scratchFor returns the reusable result buffer of the fused pair at
// layer i, or nil when the pair's result must be a new tensor because it
// does not feed a Linear.
func (s *Sequential) scratchFor(i int) **tensor.Tensor {
	if i+2 >= len(s.Layers) {
		return nil
	}
	if _, ok := s.Layers[i+2].(*Linear); !ok {
		return nil
	}
	if len(s.scratch) < len(s.Layers) {
		s.scratch = append(s.scratch, make([]*tensor.Tensor, len(s.Layers)-len(s.scratch))...)
	}
	return &s.scratch[i]
}

// BackwardInputs propagates grad back through every layer.
func (s *Sequential) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	for i := len(s.Layers) - 1; i >= 0; i-- {
		grad = s.Layers[i].BackwardInputs(grad)
	}
	return grad
}

// BackwardParams propagates grad back through the layers, collecting
// every layer's parameter gradients (named with the layer's prefix).
func (s *Sequential) BackwardParams(grad *tensor.Tensor) []ParamGrad {
	var out []ParamGrad
	for i := len(s.Layers) - 1; i >= 0; i-- {
		pgs := s.Layers[i].BackwardParams(grad)
		for j := len(pgs) - 1; j >= 0; j-- {
			pg := pgs[j]
			pg.Name = s.Names[i] + "." + pg.Name
			out = append([]ParamGrad{pg}, out...)
		}
		if i > 0 {
			grad = s.Layers[i].BackwardInputs(grad)
		}
	}
	return out
}

// Params returns every layer's parameters, prefixed with the layer names.
func (s *Sequential) Params() []Param {
	var out []Param
	for i, l := range s.Layers {
		out = append(out, Prefixed(s.Names[i], l.Params())...)
	}
	return out
}

// Buffers returns every layer's buffers, prefixed with the layer names.
func (s *Sequential) Buffers() []Param {
	var out []Param
	for i, l := range s.Layers {
		if b, ok := l.(Buffered); ok {
			out = append(out, Prefixed(s.Names[i], b.Buffers())...)
		}
	}
	return out
}

// SetTraining sets the mode of every layer.
func (s *Sequential) SetTraining(training bool) {
	for _, l := range s.Layers {
		l.SetTraining(training)
	}
}
