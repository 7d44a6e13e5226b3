package graph

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/duboko/duboko/tensor"
)

// Options control what the text, DOT and trace outputs show.
type Options struct {
	// Values shows tensor values (and gradient values in backward output).
	Values bool
	// MaxValues is the most values shown per tensor (default 8); longer
	// tensors are elided in the middle.
	MaxValues int
	// Loss names the scalar at the root of the backward graph (default:
	// the output's name if it is a scalar, else "L").
	Loss string
}

func (o Options) maxValues() int {
	if o.MaxValues <= 0 {
		return 8
	}
	return o.MaxValues
}

// WriteText writes a readable listing of the forward graph: one line per
// node in topological order with its kind, op, inputs, shape, counts and
// the op's recorded attributes (kernel, stride, axis, …), and values when
// o.Values is set. Unknown counts read "?".
func WriteText(w io.Writer, g *Graph, o Options) error {
	var b strings.Builder
	var nIn, nPar, nConst, nOp int
	for _, n := range g.Nodes {
		switch n.Kind {
		case Input:
			nIn++
		case Param:
			nPar++
		case Const:
			nConst++
		default:
			nOp++
		}
	}
	fmt.Fprintf(&b, "forward graph: %d nodes (%d inputs, %d parameters, %d constants, %d operations)\n", len(g.Nodes), nIn, nPar, nConst, nOp)
	width := 1
	for _, n := range g.Nodes {
		width = max(width, len([]rune(n.Name)))
	}
	var total Counts
	for _, n := range g.Nodes {
		name := pad(n.Name, width)
		if n.Kind != Intermediate {
			fmt.Fprintf(&b, "  %s  %-5v %v %v\n", name, n.Kind, n.Shape, n.DType)
		} else {
			args := make([]string, len(n.Inputs))
			for i, in := range n.Inputs {
				args[i] = in.Name
			}
			c := OpCounts(n)
			total = total.Plus(c)
			fmt.Fprintf(&b, "  %s  = %s(%s) %v %v  [%s]", name, n.Op, strings.Join(args, ", "), n.Shape, n.DType, c)
			if a := n.Op.Attrs(); a != "" {
				fmt.Fprintf(&b, "  {%s}", a)
			}
			b.WriteByte('\n')
		}
		if o.Values {
			fmt.Fprintf(&b, "  %s    %s\n", pad("", width), formatValues(n.Tensor, o.maxValues()))
		}
	}
	fmt.Fprintf(&b, "total: %s\n", total)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteBackwardText writes the backward graph as text: for every tensor
// that needs a gradient, ∂L/∂v and the Jacobians through which it is
// assembled from the gradients of the tensors computed from v, with
// gradient values when o.Values is set (the graph must still be recorded:
// before Backward, or after BackwardRetain).
func WriteBackwardText(w io.Writer, g *Graph, o Options) error {
	bg := Backward(g, o)
	var b strings.Builder
	fmt.Fprintf(&b, "backward graph of %s: %d gradients\n", bg.Loss, len(bg.Grads))
	for _, gn := range bg.Grads {
		fmt.Fprintf(&b, "  %s %v", gn.Label, gn.Of.Shape)
		if len(gn.From) == 0 {
			if gn.Of.Len() == 1 {
				b.WriteString(" = 1 (seed)")
			} else {
				b.WriteString(" = upstream gradient (seed)")
			}
		}
		for i, e := range gn.From {
			sep := " = "
			if i > 0 {
				sep = "\n" + pad("", len([]rune(gn.Label))+len(fmt.Sprint(gn.Of.Shape))+3) + "+ "
			}
			fmt.Fprintf(&b, "%s%s · ∂%s/∂%s [%v]", sep, e.From.Label, e.Op.Name, gn.Of.Name, e.Jacobian)
		}
		b.WriteByte('\n')
		if o.Values && gn.Value != nil {
			fmt.Fprintf(&b, "      %s\n", formatValues(gn.Value, o.maxValues()))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func pad(s string, w int) string {
	if n := len([]rune(s)); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// formatValues prints up to max values of t, eliding the middle.
func formatValues(t *tensor.Tensor, max int) string {
	if t == nil {
		return "(no value)"
	}
	n := t.Len()
	var parts []string
	add := func(i int) { parts = append(parts, strconv.FormatFloat(t.Flat(i), 'g', 5, 64)) }
	if n <= max {
		for i := range n {
			add(i)
		}
	} else {
		for i := range max / 2 {
			add(i)
		}
		parts = append(parts, "…")
		for i := n - (max - max/2); i < n; i++ {
			add(i)
		}
	}
	return "[" + strings.Join(parts, " ") + "]"
}
