package graph

import (
	"strconv"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// Kind says what a node of a recorded graph stands for.
type Kind int

const (
	// Input is data fed to the computation (x, labels y).
	Input Kind = iota
	// Param is a trainable parameter (W, b).
	Param
	// Const is an unnamed scalar constant (the 1 in 1−p, the 1/N of a mean).
	Const
	// Intermediate is a tensor computed by a recorded operation.
	Intermediate
)

func (k Kind) String() string {
	switch k {
	case Input:
		return "input"
	case Param:
		return "param"
	case Const:
		return "const"
	}
	return "op"
}

// Node is one tensor of a recorded computation.
type Node struct {
	ID     int            // position in Graph.Nodes (topological order)
	Name   string         // tensor or parameter name, or a generated one (v3, x)
	Op     tensor.Op      // producing operation's record: kind and attributes (Kind OpNone for leaves)
	Kind   Kind           // input, parameter, constant or intermediate
	Shape  []int          // the tensor's shape
	DType  tensor.DType   // the tensor's dtype
	Inputs []*Node        // the operation's inputs, in order (nil for leaves)
	Tensor *tensor.Tensor // the tensor itself, for values and gradients

	args      []int   // position of each of Inputs among the op's inputs (absent optional inputs are skipped)
	argShapes [][]int // shapes of all the op's inputs by position (nil for an absent one)
}

// Len returns the number of elements of the node's tensor.
func (n *Node) Len() int { return numel(n.Shape) }

// Label is the textbook label of the node: "(h, +)" for an intermediate
// named h computed by an addition, the bare name for leaves.
func (n *Node) Label() string {
	if n.Kind != Intermediate {
		return n.Name
	}
	return "(" + n.Name + ", " + n.Op.Symbol() + ")"
}

// Edge connects an operation's input From to its output To; Index is the
// position of From among To's inputs.
type Edge struct {
	From, To *Node
	Index    int
}

// Graph is a recorded forward computation: its tensors as nodes in
// topological order (every node after its inputs) and the outputs it was
// built from.
type Graph struct {
	Nodes   []*Node
	Outputs []*Node

	byTensor map[*tensor.Tensor]*Node
}

// Node returns the node of tensor t, or nil if t is not in the graph.
func (g *Graph) Node(t *tensor.Tensor) *Node { return g.byTensor[t] }

// Lookup returns the node with the given name, or nil.
func (g *Graph) Lookup(name string) *Node {
	for _, n := range g.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// Edges returns every edge, grouped by the consuming node in topological
// order.
func (g *Graph) Edges() []Edge {
	var es []Edge
	for _, n := range g.Nodes {
		for i, in := range n.Inputs {
			es = append(es, Edge{From: in, To: n, Index: i})
		}
	}
	return es
}

// Option configures Build.
type Option func(*buildOpts)

type buildOpts struct {
	params map[*tensor.Tensor]string
	inputs map[*tensor.Tensor]bool
	stop   map[*tensor.Tensor]bool
}

// WithModule names the module's parameters as Params lists them
// ("0.weight", "fc1.bias") and marks them as parameters.
func WithModule(m nn.Module) Option {
	return func(o *buildOpts) {
		for _, p := range m.Params() {
			o.params[p.Tensor] = p.Name
		}
	}
}

// WithParams marks tensors as parameters (drawn filled), keeping their
// names.
func WithParams(ts ...*tensor.Tensor) Option {
	return func(o *buildOpts) {
		for _, t := range ts {
			o.params[t] = t.Name()
		}
	}
}

// WithInputs marks tensors as data inputs even if they require a
// gradient (as an x does whose Jacobian is wanted). Without it, a leaf
// that requires a gradient counts as a parameter.
func WithInputs(ts ...*tensor.Tensor) Option {
	return func(o *buildOpts) {
		for _, t := range ts {
			o.inputs[t] = true
		}
	}
}

// StopAt cuts the graph at the given tensors: they become inputs and what
// produced them is left out (used to isolate one layer of a model).
func StopAt(ts ...*tensor.Tensor) Option {
	return func(o *buildOpts) {
		for _, t := range ts {
			o.stop[t] = true
			o.inputs[t] = true
		}
	}
}

// Build collects the recorded computation that produced out (and any
// further outputs given with more). Only operations with an input that
// requires a gradient are recorded by package tensor, so set
// SetRequiresGrad(true) on the inputs or parameters of interest (model
// parameters already require gradients).
//
// Leaves are classified as parameters (WithModule, WithParams, or any leaf
// that requires a gradient and is not marked WithInputs), constants
// (unnamed scalars that need no gradient) or inputs (everything else).
func Build(out *tensor.Tensor, opts ...Option) *Graph {
	return BuildAll([]*tensor.Tensor{out}, opts...)
}

// BuildAll is Build for several outputs.
func BuildAll(outs []*tensor.Tensor, opts ...Option) *Graph {
	o := &buildOpts{params: map[*tensor.Tensor]string{}, inputs: map[*tensor.Tensor]bool{}, stop: map[*tensor.Tensor]bool{}}
	for _, f := range opts {
		f(o)
	}
	g := &Graph{byTensor: map[*tensor.Tensor]*Node{}}
	inputsOf := func(t *tensor.Tensor) []*tensor.Tensor {
		if o.stop[t] {
			return nil
		}
		var ins []*tensor.Tensor
		for _, in := range t.Inputs() {
			if in != nil {
				ins = append(ins, in)
			}
		}
		return ins
	}
	// iterative post-order DFS
	type frame struct {
		t *tensor.Tensor
		i int
	}
	var order []*tensor.Tensor
	seen := map[*tensor.Tensor]bool{}
	for _, out := range outs {
		if seen[out] {
			continue
		}
		seen[out] = true
		stack := []frame{{out, 0}}
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			ins := inputsOf(f.t)
			if f.i < len(ins) {
				in := ins[f.i]
				f.i++
				if !seen[in] {
					seen[in] = true
					stack = append(stack, frame{in, 0})
				}
				continue
			}
			order = append(order, f.t)
			stack = stack[:len(stack)-1]
		}
	}
	var nInter, nConst, nParam int
	unnamedInputs := 0
	for _, t := range order {
		if t.Name() == "" && len(inputsOf(t)) == 0 && classify(t, o) == Input {
			unnamedInputs++
		}
	}
	used := map[string]bool{}
	for _, t := range order {
		if t.Name() != "" {
			used[t.Name()] = true
		}
	}
	for _, name := range o.params {
		used[name] = true
	}
	fresh := func(prefix string, i *int) string {
		for {
			*i++
			name := prefix + strconv.Itoa(*i)
			if !used[name] {
				used[name] = true
				return name
			}
		}
	}
	inputIdx := 0
	for id, t := range order {
		n := &Node{ID: id, Shape: t.Shape(), DType: t.DType(), Tensor: t}
		ins := inputsOf(t)
		if len(ins) == 0 {
			n.Kind = classify(t, o)
		} else {
			n.Kind = Intermediate
			n.Op = t.Op()
			all := t.Inputs()
			n.argShapes = make([][]int, len(all))
			for j, in := range all {
				if in == nil {
					continue
				}
				n.argShapes[j] = in.Shape()
				n.Inputs = append(n.Inputs, g.byTensor[in])
				n.args = append(n.args, j)
			}
		}
		n.Name = t.Name()
		if pn, ok := o.params[t]; ok && pn != "" {
			n.Name = pn
		}
		if n.Name == "" {
			switch n.Kind {
			case Intermediate:
				n.Name = fresh("v", &nInter)
			case Param:
				n.Name = fresh("p", &nParam)
			case Const:
				if t.Len() == 1 {
					n.Name = strconv.FormatFloat(t.Flat(0), 'g', 6, 64)
				} else {
					n.Name = fresh("c", &nConst)
				}
			default:
				if unnamedInputs == 1 && !used["x"] {
					n.Name = "x"
					used["x"] = true
				} else {
					n.Name = fresh("x", &inputIdx)
				}
			}
		}
		g.Nodes = append(g.Nodes, n)
		g.byTensor[t] = n
	}
	for _, out := range outs {
		g.Outputs = append(g.Outputs, g.byTensor[out])
	}
	return g
}

func classify(t *tensor.Tensor, o *buildOpts) Kind {
	if o.inputs[t] {
		return Input
	}
	if _, ok := o.params[t]; ok {
		return Param
	}
	if t.RequiresGrad() {
		return Param
	}
	if t.Len() == 1 && t.Name() == "" {
		return Const
	}
	return Input
}

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}
