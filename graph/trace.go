package graph

import (
	"fmt"
	"io"
	"strings"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// Trace writes the forward pass "by hand": every tensor of g in the order
// it is computed, with its name, how it is computed, its shape and all
// its values (elided beyond six per axis). Meant for small inputs.
func Trace(w io.Writer, g *Graph) error {
	var b strings.Builder
	b.WriteString("forward trace\n")
	for _, n := range g.Nodes {
		switch n.Kind {
		case Intermediate:
			args := make([]string, len(n.Inputs))
			for i, in := range n.Inputs {
				args[i] = in.Name
			}
			fmt.Fprintf(&b, "%s = %s(%s)  %v\n", n.Name, n.Op, strings.Join(args, ", "), n.Shape)
		default:
			fmt.Fprintf(&b, "%s (%v)  %v\n", n.Name, n.Kind, n.Shape)
		}
		writeValues(&b, n.Tensor)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// TraceBackward writes the backward pass: every gradient ∂L/∂v in the
// order backpropagation computes it, with the Jacobians it passes
// through and its values, starting from ∂L/∂L = 1 (or ones for a
// non-scalar output). The graph must still be recorded (call it before
// Backward, or after BackwardRetain).
func TraceBackward(w io.Writer, g *Graph) error {
	bg := Backward(g, Options{Values: true})
	var b strings.Builder
	b.WriteString("backward trace\n")
	for _, gn := range bg.Grads {
		b.WriteString(gn.Label)
		for i, e := range gn.From {
			if i == 0 {
				b.WriteString(" = ")
			} else {
				b.WriteString(" + ")
			}
			fmt.Fprintf(&b, "%s·∂%s/∂%s", e.From.Label, e.Op.Name, gn.Of.Name)
		}
		fmt.Fprintf(&b, "  %v\n", gn.Of.Shape)
		if gn.Value == nil {
			b.WriteString("  (no value: the graph was released by Backward)\n")
			continue
		}
		writeValues(&b, gn.Value)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeValues writes t's values as tensor.String does, indented.
func writeValues(b *strings.Builder, t *tensor.Tensor) {
	s := t.String()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("  " + line + "\n")
	}
}

// FromModel records one forward pass of m on an input of the given shape
// (batch axis first) and returns its graph, parameters named as m.Params
// names them and the input named x (it requires a gradient, so that even
// a first layer without parameters is recorded and ∂L/∂x appears in the
// backward graph). The input holds fixed pseudo-random
// values (seed 1) so that traces show something; m is switched to
// evaluation mode. A forward pass that panics (a shape that does not
// fit) is returned as an error. This is what `duboko graph` draws.
func FromModel(m nn.Module, input []int) (g *Graph, err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = fmt.Errorf("graph of %s for input %v: %w", typeName(m), input, e)
			} else {
				err = fmt.Errorf("graph of %s for input %v: %v", typeName(m), input, r)
			}
			g = nil
		}
	}()
	dt := tensor.Float32
	if ps := m.Params(); len(ps) > 0 {
		dt = ps[0].Tensor.DType()
	}
	m.SetTraining(false)
	x := tensor.To(tensor.RandN(tensor.NewRand(1), input...), dt).SetName("x").SetRequiresGrad(true)
	y := m.Forward(x)
	if y.Name() == "" {
		y.SetName("y")
	}
	return Build(y, WithModule(m), WithInputs(x)), nil
}
