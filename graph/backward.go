package graph

import (
	"github.com/duboko/duboko/tensor"
)

// BackwardGraph is the backward pass of a recorded computation: one node
// per gradient ∂L/∂v (v an intermediate, or a leaf that requires a
// gradient), in the order the backward pass computes them (the root
// first).
type BackwardGraph struct {
	Loss  string      // name of the differentiated scalar (root)
	Grads []*GradNode // root first, leaves last
	Root  *GradNode
}

// GradNode is the gradient of L with respect to one tensor.
type GradNode struct {
	Of    *Node          // the forward node v
	Label string         // "∂L/∂v"
	From  []GradEdge     // the gradients it is assembled from
	Value *tensor.Tensor // ∂L/∂v, when values were requested and the graph is still recorded
}

// GradEdge carries ∂L/∂(Op) back to ∂L/∂(input): it applies the Jacobian
// ∂Op/∂input (transposed).
type GradEdge struct {
	From     *GradNode // ∂L/∂Op
	Op       *Node     // the forward node whose operation the edge crosses
	Index    int       // which input of Op
	Jacobian Structure // structure of ∂Op/∂input
}

// Backward derives the backward graph of g's first output. With o.Values,
// the gradient values are computed by VJP from an upstream gradient of
// ones (dL/dL = 1 for a scalar output).
func Backward(g *Graph, o Options) *BackwardGraph {
	bg := &BackwardGraph{}
	if len(g.Outputs) == 0 {
		return bg
	}
	out := g.Outputs[0]
	loss := o.Loss
	if loss == "" {
		if out.Len() == 1 {
			loss = out.Name
		} else {
			loss = "L"
		}
	}
	bg.Loss = loss
	needs := map[*Node]bool{}
	for _, n := range g.Nodes {
		if n.Tensor.RequiresGrad() || n.Kind == Intermediate {
			needs[n] = true
		}
	}
	// reachable from the output through gradient-carrying edges
	reach := map[*Node]bool{out: true}
	for i := len(g.Nodes) - 1; i >= 0; i-- {
		n := g.Nodes[i]
		if !reach[n] {
			continue
		}
		for _, in := range n.Inputs {
			if needs[in] {
				reach[in] = true
			}
		}
	}
	byNode := map[*Node]*GradNode{}
	for i := len(g.Nodes) - 1; i >= 0; i-- {
		n := g.Nodes[i]
		if !reach[n] {
			continue
		}
		gn := &GradNode{Of: n, Label: "∂" + loss + "/∂" + n.Name}
		byNode[n] = gn
		bg.Grads = append(bg.Grads, gn)
	}
	bg.Root = byNode[out]
	for i := len(g.Nodes) - 1; i >= 0; i-- {
		n := g.Nodes[i]
		gn := byNode[n]
		if gn == nil {
			continue
		}
		for j, in := range n.Inputs {
			if gi := byNode[in]; gi != nil {
				gi.From = append(gi.From, GradEdge{From: gn, Op: n, Index: j, Jacobian: OpJacobian(n, j)})
			}
		}
	}
	if o.Values && out.Tensor.RequiresGrad() {
		fillGradValues(bg, out)
	}
	return bg
}

// fillGradValues computes every ∂L/∂v by one VJP; a graph already
// released by Backward leaves the values nil.
func fillGradValues(bg *BackwardGraph, out *Node) {
	defer func() { _ = recover() }()
	wrt := make([]*tensor.Tensor, len(bg.Grads))
	for i, gn := range bg.Grads {
		wrt[i] = gn.Of.Tensor
	}
	seed := tensor.FullOf(out.DType, 1, out.Shape...)
	vals := tensor.VJP(out.Tensor, seed, wrt...)
	for i, gn := range bg.Grads {
		gn.Value = vals[i]
	}
}
