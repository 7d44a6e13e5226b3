package tensor

import "fmt"

// Counts are the scalar operations of the straightforward implementation
// of an operation: Mul counts multiplications and divisions, Add
// additions and subtractions, Other everything else (comparisons of ReLU
// and max-pooling, evaluations of exp, log, σ, tanh). A dot product of
// length n takes n multiplications and n−1 additions; adding a bias adds
// one more, so an affine layer Wx+b with W∈R^{m×n} takes mn
// multiplications and mn additions.
//
// Unknown counts the operations whose counts are not declared (a custom op
// recorded without an OpDef): when it is non-zero, Mul, Add and Other
// are lower bounds, and String shows the unknown part instead of a 0.
type Counts struct {
	Mul, Add, Other int64
	Unknown         int
}

// Plus returns c+d.
func (c Counts) Plus(d Counts) Counts {
	return Counts{c.Mul + d.Mul, c.Add + d.Add, c.Other + d.Other, c.Unknown + d.Unknown}
}

// Times returns c with Mul, Add and Other multiplied by n (Unknown kept).
func (c Counts) Times(n int64) Counts {
	return Counts{c.Mul * n, c.Add * n, c.Other * n, c.Unknown}
}

// Total returns Mul+Add+Other.
func (c Counts) Total() int64 { return c.Mul + c.Add + c.Other }

// Known reports whether every counted operation declared its counts.
func (c Counts) Known() bool { return c.Unknown == 0 }

// String formats the counts, "12 mul, 11 add, 0 other"; with unknown
// operations "? mul, ? add, ? other (1 op unknown)" when nothing else was
// counted, else "≥12 mul, ≥11 add, ≥0 other (1 op unknown)".
func (c Counts) String() string {
	if c.Unknown == 0 {
		return fmt.Sprintf("%d mul, %d add, %d other", c.Mul, c.Add, c.Other)
	}
	ops := "ops"
	if c.Unknown == 1 {
		ops = "op"
	}
	if c.Total() == 0 {
		return fmt.Sprintf("? mul, ? add, ? other (%d %s unknown)", c.Unknown, ops)
	}
	return fmt.Sprintf("≥%d mul, ≥%d add, ≥%d other (%d %s unknown)", c.Mul, c.Add, c.Other, c.Unknown, ops)
}

// StructKind is the structure of a Jacobian matrix.
type StructKind uint8

const (
	// StructUnknown: nothing is known about the zeros.
	StructUnknown StructKind = iota
	// StructDense: every element may be non-zero.
	StructDense
	// StructIdentity: the identity matrix (reshape, adding a same-shaped tensor).
	StructIdentity
	// StructDiagonal: non-zeros only on the diagonal (element-wise operations).
	StructDiagonal
	// StructPermutation: one 1 per row and column (transpose, permute).
	StructPermutation
	// StructBlockDiagonal: independent dense blocks (a batch of samples).
	StructBlockDiagonal
	// StructSparse: a known number of non-zeros in a general pattern.
	StructSparse
)

var structNames = [...]string{"unknown", "dense", "identity", "diagonal", "permutation", "block-diagonal", "sparse"}

func (k StructKind) String() string {
	if int(k) < len(structNames) {
		return structNames[k]
	}
	return fmt.Sprintf("StructKind(%d)", uint8(k))
}

// Structure describes the Jacobian ∂out/∂in of one operation (or a chain)
// as a Rows×Cols matrix, Rows = |out| and Cols = |in| in elements. NNZ is
// the number of structural non-zeros (elements not zero by construction,
// whatever the values), or −1 if unknown; when Bound is true NNZ is an
// upper bound (padding in a convolution removes some). Covers is set for a
// Sparse pattern with a non-zero in every column (every input element
// matters), which decides whether a dense Jacobian composed with it is
// dense.
type Structure struct {
	Kind       StructKind
	Rows, Cols int
	NNZ        int64
	Bound      bool
	Covers     bool
}

// NewStructure returns a rows×cols structure of kind k; nnz is used for
// Sparse and BlockDiagonal and derived for the other kinds.
func NewStructure(k StructKind, rows, cols int, nnz int64) Structure {
	switch k {
	case StructDense:
		nnz = int64(rows) * int64(cols)
	case StructIdentity, StructDiagonal, StructPermutation:
		nnz = int64(rows)
	case StructUnknown:
		nnz = -1
	}
	return Structure{Kind: k, Rows: rows, Cols: cols, NNZ: nnz}
}

// covering returns s with Covers set.
func covering(s Structure) Structure { s.Covers = true; return s }

// StructuralZeros returns Rows·Cols − NNZ, or −1 if NNZ is unknown.
func (s Structure) StructuralZeros() int64 {
	if s.NNZ < 0 {
		return -1
	}
	return int64(s.Rows)*int64(s.Cols) - s.NNZ
}

// String formats the structure as on a backward-graph edge, e.g.
// "4×4 diagonal" or "4×12 sparse, 12 nz".
func (s Structure) String() string {
	b := fmt.Sprintf("%d×%d %v", s.Rows, s.Cols, s.Kind)
	switch s.Kind {
	case StructSparse, StructBlockDiagonal:
		if s.Bound {
			b += fmt.Sprintf(", ≤%d nz", s.NNZ)
		} else {
			b += fmt.Sprintf(", %d nz", s.NNZ)
		}
	}
	return b
}

// FieldKind says how an operation changes the receptive field of the
// spatial positions of [N, C, H, W] tensors.
type FieldKind uint8

const (
	// FieldUnknown: not declared.
	FieldUnknown FieldKind = iota
	// FieldSame: each output sees what the corresponding input position
	// saw (element-wise and channel-wise ops, reshapes).
	FieldSame
	// FieldWindow: each output sees a window of input positions
	// (convolution, pooling), given by FieldRule.Window.
	FieldWindow
	// FieldAll: each output sees every input position (fully connected
	// layers, global pooling, reductions over space).
	FieldAll
)

// FieldRule is an op's (or a layer's) receptive-field rule. For
// FieldWindow, the field grows by (k−1)·d·j input pixels and the jump j
// (input pixels between neighbouring outputs) is multiplied by the
// stride s, per axis.
type FieldRule struct {
	Kind   FieldKind
	Window Window
}

// Then returns the rule of r followed by next, as one rule: two windows
// compose into one of span s₁+(s₂−1)·t₁ and stride t₁·t₂ (dilation 1,
// padding ignored); FieldAll absorbs, FieldSame is neutral, FieldUnknown
// spreads unless FieldAll follows.
func (r FieldRule) Then(next FieldRule) FieldRule {
	switch {
	case next.Kind == FieldAll:
		return next
	case r.Kind == FieldAll || r.Kind == FieldUnknown:
		return r
	case next.Kind == FieldUnknown || r.Kind == FieldSame:
		return next
	case next.Kind == FieldSame:
		return r
	}
	a, b := r.Window, next.Window
	sa, sb := a.Span(), b.Span()
	var w Window
	for i := range 2 {
		s := max(a.Stride[i], 1)
		w.Kernel[i] = sa[i] + (sb[i]-1)*s
		w.Stride[i] = s * max(b.Stride[i], 1)
		w.Dilation[i] = 1
	}
	return FieldRule{Kind: FieldWindow, Window: w}
}

// Helpers for the declarations beside each op.

// perElement counts c for every output element.
func perElement(c Counts) func(*Op, []int, [][]int) Counts {
	return func(_ *Op, out []int, _ [][]int) Counts { return c.Times(int64(numel(out))) }
}

// noCounts is the count of ops without arithmetic (views, copies).
func noCounts(*Op, []int, [][]int) Counts { return Counts{} }

// diagonalJ is the Jacobian of an element-wise op.
func diagonalJ(_ *Op, out []int, _ [][]int, _ int) Structure {
	n := numel(out)
	return NewStructure(StructDiagonal, n, n, 0)
}

// identityJ is the Jacobian of an op that copies or re-labels elements
// in order (reshape, dtype conversion).
func identityJ(_ *Op, out []int, _ [][]int, _ int) Structure {
	n := numel(out)
	return NewStructure(StructIdentity, n, n, 0)
}

// selectionJ is the Jacobian of an op whose every output is one input
// element (slicing, gathering, max-pooling).
func selectionJ(_ *Op, out []int, ins [][]int, i int) Structure {
	return NewStructure(StructSparse, numel(out), numel(ins[i]), int64(numel(out)))
}

// fieldSame and fieldAll are the receptive-field rules of ops that keep
// or merge all positions.
func fieldSame(*Op, []int, [][]int) FieldRule { return FieldRule{Kind: FieldSame} }
func fieldAll(*Op, []int, [][]int) FieldRule  { return FieldRule{Kind: FieldAll} }

// fieldAlong is the rule of an op that mixes values along the given axes
// of its input: all positions when a spatial axis (2 or more) of an input
// with spatial axes is among them, else the same field.
func fieldAlong(in []int, axes ...int) FieldRule {
	if len(in) >= 3 {
		for _, a := range axes {
			if a >= 2 {
				return FieldRule{Kind: FieldAll}
			}
		}
	}
	return FieldRule{Kind: FieldSame}
}
