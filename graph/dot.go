package graph

import (
	"fmt"
	"io"
	"strings"
)

// WriteDOT writes the forward graph in Graphviz DOT, in textbook style:
// every variable is a box, an intermediate labelled "(h, +)" with its
// name and the op that computes it, parameters filled grey, data inputs
// plain, scalar constants as bare text; shapes (and values with o.Values)
// below the label. Edges run from inputs to the variables computed from
// them.
func WriteDOT(w io.Writer, g *Graph, o Options) error {
	var b strings.Builder
	b.WriteString("digraph forward {\n\trankdir=LR;\n\tnode [shape=box, fontname=\"Helvetica\"];\n\tedge [fontname=\"Helvetica\", fontsize=10];\n")
	for _, n := range g.Nodes {
		label := n.Label()
		if n.Kind != Const {
			label += "\n" + fmt.Sprint(n.Shape)
		}
		if o.Values && n.Kind != Const {
			label += "\n" + formatValues(n.Tensor, o.maxValues())
		}
		attrs := ""
		switch n.Kind {
		case Param:
			attrs = `, style=filled, fillcolor="#d9d9d9", tooltip="parameter"`
		case Input:
			attrs = `, tooltip="input"`
		case Const:
			attrs = `, shape=plaintext`
		default:
			tip := n.Op.String()
			if a := n.Op.Attrs(); a != "" {
				tip += " (" + a + ")"
			}
			attrs = fmt.Sprintf(`, tooltip=%s`, quote(tip))
		}
		if isOutput(g, n) {
			attrs += ", penwidth=2"
		}
		fmt.Fprintf(&b, "\tn%d [label=%s%s];\n", n.ID, quote(label), attrs)
	}
	for _, e := range g.Edges() {
		fmt.Fprintf(&b, "\tn%d -> n%d;\n", e.From.ID, e.To.ID)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteBackwardDOT writes the backward graph in Graphviz DOT: one box per
// gradient ∂L/∂v, edges from ∂L/∂(op output) to ∂L/∂(op input) labelled
// with the Jacobian they apply, its shape and structure ("∂h'/∂h
// 4×4 diagonal"). Gradients of parameters are filled grey.
func WriteBackwardDOT(w io.Writer, g *Graph, o Options) error {
	bg := Backward(g, o)
	var b strings.Builder
	b.WriteString("digraph backward {\n\trankdir=LR;\n\tnode [shape=box, fontname=\"Helvetica\"];\n\tedge [fontname=\"Helvetica\", fontsize=10];\n")
	for _, gn := range bg.Grads {
		label := gn.Label + "\n" + fmt.Sprint(gn.Of.Shape)
		if o.Values && gn.Value != nil {
			label += "\n" + formatValues(gn.Value, o.maxValues())
		}
		attrs := ""
		if gn.Of.Kind == Param {
			attrs = `, style=filled, fillcolor="#d9d9d9"`
		}
		if gn == bg.Root {
			attrs += ", penwidth=2"
		}
		fmt.Fprintf(&b, "\tg%d [label=%s%s];\n", gn.Of.ID, quote(label), attrs)
	}
	for _, gn := range bg.Grads {
		for _, e := range gn.From {
			label := fmt.Sprintf("∂%s/∂%s\n%v", e.Op.Name, gn.Of.Name, e.Jacobian)
			fmt.Fprintf(&b, "\tg%d -> g%d [label=%s];\n", e.From.Of.ID, gn.Of.ID, quote(label))
		}
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func isOutput(g *Graph, n *Node) bool {
	for _, o := range g.Outputs {
		if o == n {
			return true
		}
	}
	return false
}

// quote makes s a DOT string literal; newlines become \n line breaks.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
