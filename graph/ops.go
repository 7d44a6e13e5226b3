package graph

import "github.com/duboko/duboko/tensor"

// Counts are the scalar operations of an op or a layer: see tensor.Counts.
// Unknown counts (a custom op that declares none) are carried in
// Counts.Unknown and shown as "?", never as 0.
type Counts = tensor.Counts

// StructKind is the structure of a Jacobian matrix: see tensor.StructKind.
type StructKind = tensor.StructKind

// The Jacobian structures (see tensor.StructKind).
const (
	Unknown       = tensor.StructUnknown
	Dense         = tensor.StructDense
	Identity      = tensor.StructIdentity
	Diagonal      = tensor.StructDiagonal
	Permutation   = tensor.StructPermutation
	BlockDiagonal = tensor.StructBlockDiagonal
	Sparse        = tensor.StructSparse
)

// Structure describes the Jacobian ∂out/∂in of one operation (or a
// chain): see tensor.Structure.
type Structure = tensor.Structure

func structOf(k StructKind, rows, cols int, nnz int64) Structure {
	return tensor.NewStructure(k, rows, cols, nnz)
}

// OpCounts returns the scalar operations of node n's operation, as its
// op record declares them (zero for leaves; Counts.Unknown = 1 for an op
// that declares none).
func OpCounts(n *Node) Counts {
	if n.Kind != Intermediate {
		return Counts{}
	}
	ins := n.argShapes
	if ins == nil { // a Node built by hand
		ins = make([][]int, len(n.Inputs))
		for j, in := range n.Inputs {
			ins[j] = in.Shape
		}
	}
	return n.Op.CountsFor(n.Shape, ins)
}

// OpJacobian returns the structure of the Jacobian ∂n/∂(n.Inputs[i]), as
// n's op record declares it (Unknown when it declares none).
func OpJacobian(n *Node, i int) Structure {
	if i < len(n.args) {
		return n.Op.JacobianFor(n.Shape, n.argShapes, n.args[i])
	}
	// a Node built by hand: its inputs are the op's, in order
	ins := make([][]int, len(n.Inputs))
	for j, in := range n.Inputs {
		ins[j] = in.Shape
	}
	return n.Op.JacobianFor(n.Shape, ins, i)
}
