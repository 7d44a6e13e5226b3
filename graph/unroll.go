package graph

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// Unroll records the forward pass of a recurrent layer or cell m on
// ForwardN's inputs step by step (nn.Unroller) and returns its graph: the
// cell's ops once per step, every step reading the same weight nodes
// (named as m.Params names them: weight_ih_l0, …), with the step inputs
// x1, x2, …, the states h1, h2, … (and c1, … for an LSTM) and the gates
// as named nodes, as a textbook draws a recurrent network unrolled in
// time. Give x without a gradient to draw each x_t as an input of its
// own. The unrolled pass is returned too (for TraceSteps). A forward pass
// that panics is returned as an error.
func Unroll(m nn.Unroller, inputs ...*tensor.Tensor) (g *Graph, u *nn.Unrolled, err error) {
	defer func() {
		if r := recover(); r != nil {
			g, u, err = nil, nil, fmt.Errorf("unrolled graph of %s: %v", typeName(m), r)
		}
	}()
	u = m.Unroll(inputs...)
	return BuildAll(u.Outputs, WithModule(nn.Select(m, 0))), u, nil
}

// FromInput records one forward pass of m on x and returns its graph,
// parameters named as m.Params names them; like FromModel, for inputs that
// are not random floats (token ids of a text model). m is switched to
// evaluation mode; a forward pass that panics is returned as an error.
func FromInput(m nn.Module, x *tensor.Tensor) (g *Graph, err error) {
	defer func() {
		if r := recover(); r != nil {
			g, err = nil, fmt.Errorf("graph of %s for input %v: %v", typeName(m), x.Shape(), r)
		}
	}()
	m.SetTraining(false)
	if x.Name() == "" {
		x.SetName("x")
	}
	y := m.Forward(x)
	if y.Name() == "" {
		y.SetName("y")
	}
	return Build(y, WithModule(m), WithInputs(x)), nil
}

// StepTraceOptions configure TraceSteps.
type StepTraceOptions struct {
	// Digits after the decimal point (default 4, the exam's precision).
	Digits int
	// Gates also prints each step's gates (LSTM i, f, g, o; GRU r, z, n;
	// an RNN's pre-activation a).
	Gates bool
	// Inputs also prints each step's input x_t.
	Inputs bool
}

// TraceSteps writes a recurrent forward pass step by step (nn.Unroller's
// Unroll, or Unroll here): for each layer and direction, the hidden state
// h_t after every step (and the LSTM's cell state c_t), numbered from 1 as
// the exam counts (h1 is the state after the first input), each sequence
// of the batch a row separated by "; ". A sequence past its length keeps
// its state, which the trace shows unchanged. This is how "compute h2 by
// hand" is checked by running it.
func TraceSteps(w io.Writer, u *nn.Unrolled, opts ...StepTraceOptions) error {
	var o StepTraceOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Digits <= 0 {
		o.Digits = 4
	}
	var b strings.Builder
	fmt.Fprintf(&b, "step trace: %d layer(s), %d direction(s)\n", u.Layers, u.Directions)
	for k, dirs := range u.Steps {
		for d, steps := range dirs {
			dir := "forward"
			if d == 1 {
				dir = "reverse"
			}
			fmt.Fprintf(&b, "layer %d, %s\n", k, dir)
			for _, s := range steps {
				t := strconv.Itoa(s.T + 1)
				line := func(name string, v *tensor.Tensor) {
					fmt.Fprintf(&b, "  %-4s = %s\n", name+t, rowValues(v, o.Digits))
				}
				if o.Inputs {
					line("x", s.X)
				}
				if o.Gates {
					for _, gt := range s.Gates {
						line(gt.Name, gt.Tensor)
					}
				}
				if s.C != nil {
					line("c", s.C)
				}
				line("h", s.H)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// rowValues formats a [N, H] tensor as "[a b; c d]" with the given digits.
func rowValues(t *tensor.Tensor, digits int) string {
	v := t.Values()
	cols := v
	if t.NDim() > 0 {
		cols = v[:t.Dim(t.NDim()-1)]
	}
	w := max(len(cols), 1)
	var rows []string
	for i := 0; i < len(v); i += w {
		parts := make([]string, 0, w)
		for _, x := range v[i:min(i+w, len(v))] {
			parts = append(parts, strconv.FormatFloat(x, 'f', digits, 64))
		}
		rows = append(rows, strings.Join(parts, " "))
	}
	return "[" + strings.Join(rows, "; ") + "]"
}
