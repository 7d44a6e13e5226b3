package graph

import (
	"fmt"
	"strings"

	"github.com/duboko/duboko/tensor"
)

// Jacobian is ∂y/∂x of a recorded computation as a |y|×|x| matrix (both
// tensors flattened in row-major order), with its structure.
type Jacobian struct {
	Of, Wrt   string    // names of y and x
	OutShape  []int     // y's shape
	InShape   []int     // x's shape
	Structure Structure // shape, kind and structural non-zeros (Kind Unknown if not derivable)
	// Matrix is the Jacobian as a float64 [Rows, Cols] tensor; nil when
	// it was not materialised (a large diagonal Jacobian).
	Matrix *tensor.Tensor
	// Diag holds the diagonal of a diagonal (or identity) Jacobian.
	Diag []float64
	// Zeros counts the elements whose value is zero: the structural zeros
	// plus any that vanish for these values (inactive ReLUs).
	Zeros int64
}

// Rows returns |y|.
func (j *Jacobian) Rows() int { return j.Structure.Rows }

// Cols returns |x|.
func (j *Jacobian) Cols() int { return j.Structure.Cols }

// StructuralZeros returns the number of elements that are zero whatever
// the values, or −1 when the structure is unknown.
func (j *Jacobian) StructuralZeros() int64 { return j.Structure.StructuralZeros() }

// At returns element (r, c) = ∂y_r/∂x_c.
func (j *Jacobian) At(r, c int) float64 {
	if j.Matrix != nil {
		return j.Matrix.At(r, c)
	}
	if r == c {
		return j.Diag[r]
	}
	return 0
}

// String summarises the Jacobian: its shape, structure, zero counts and,
// if small, its values.
func (j *Jacobian) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "∂%s/∂%s: %d×%d (%v → %v), %v", j.Of, j.Wrt, j.Rows(), j.Cols(), j.InShape, j.OutShape, j.Structure.Kind)
	if sz := j.StructuralZeros(); sz >= 0 {
		fmt.Fprintf(&b, ", %d structural zeros", sz)
	}
	fmt.Fprintf(&b, ", %d zeros in value", j.Zeros)
	if j.Matrix != nil && j.Rows()*j.Cols() <= 64 {
		for r := range j.Rows() {
			b.WriteString("\n  [")
			for c := range j.Cols() {
				if c > 0 {
					b.WriteByte(' ')
				}
				fmt.Fprintf(&b, "%.4g", j.Matrix.At(r, c))
			}
			b.WriteByte(']')
		}
	} else if j.Matrix == nil {
		fmt.Fprintf(&b, "\n  diagonal %s", formatValues(tensor.FromFloat64(j.Diag, len(j.Diag)), 8))
	}
	return b.String()
}

// JacobianOptions limit JacobianOf.
type JacobianOptions struct {
	// MaxElements is the largest Jacobian materialised as a matrix
	// (default 1<<20 elements); a diagonal one beyond it is returned as
	// Diag only, any other is an error.
	MaxElements int
}

// JacobianOf computes the full Jacobian ∂y/∂x, where x is an earlier
// tensor of y's recorded computation: a leaf that requires a gradient, or
// any intermediate. Row r is found by one vector-Jacobian product with
// the r-th unit vector (tensor.VJP, which keeps the graph and leaves
// gradients alone); a diagonal Jacobian needs a single product with ones.
// The structure (diagonal, identity, dense, sparse with k non-zeros) is
// derived from the ops on the paths from x to y.
func JacobianOf(y, x *tensor.Tensor, opts ...JacobianOptions) (*Jacobian, error) {
	o := JacobianOptions{MaxElements: 1 << 20}
	if len(opts) > 0 && opts[0].MaxElements > 0 {
		o.MaxElements = opts[0].MaxElements
	}
	g := Build(y, WithInputs(x))
	xn, yn := g.Node(x), g.Node(y)
	if xn == nil {
		return nil, fmt.Errorf("graph: Jacobian: %s %v is not in the recorded computation of %s", nameOr(x, "x"), x.Shape(), nameOr(y, "y"))
	}
	if !x.RequiresGrad() {
		return nil, fmt.Errorf("graph: Jacobian: %s does not require a gradient; call SetRequiresGrad(true) on it before computing %s", nameOr(x, "x"), nameOr(y, "y"))
	}
	st := pathStructure(g, xn, yn)
	j := &Jacobian{Of: yn.Name, Wrt: xn.Name, OutShape: y.Shape(), InShape: x.Shape(), Structure: st}
	rows, cols := st.Rows, st.Cols
	if x == y {
		j.Diag = ones(rows)
		if rows*cols <= o.MaxElements {
			j.Matrix = eye(rows)
		}
		j.Zeros = int64(rows)*int64(cols) - int64(rows)
		return j, nil
	}
	diag := st.Kind == Diagonal || st.Kind == Identity
	if diag {
		g := tensor.VJP(y, tensor.FullOf(y.DType(), 1, y.Shape()...), x)[0]
		if g == nil {
			j.Diag = make([]float64, rows)
		} else {
			j.Diag = g.Values()
		}
		nz := int64(0)
		for _, v := range j.Diag {
			if v != 0 {
				nz++
			}
		}
		j.Zeros = int64(rows)*int64(cols) - nz
		if rows*cols > o.MaxElements {
			return j, nil
		}
		m := tensor.ZerosOf(tensor.Float64, rows, cols)
		for i, v := range j.Diag {
			m.Set(v, i, i)
		}
		j.Matrix = m
		return j, nil
	}
	if rows*cols > o.MaxElements {
		return nil, fmt.Errorf("graph: Jacobian ∂%s/∂%s has %d×%d elements, more than MaxElements %d", j.Of, j.Wrt, rows, cols, o.MaxElements)
	}
	m := tensor.ZerosOf(tensor.Float64, rows, cols)
	data := m.Float64s()
	e := tensor.ZerosOf(y.DType(), y.Shape()...)
	for r := range rows {
		e.SetFlat(r, 1)
		if gx := tensor.VJP(y, e, x)[0]; gx != nil {
			copy(data[r*cols:(r+1)*cols], gx.Values())
		}
		e.SetFlat(r, 0)
	}
	for _, v := range data {
		if v == 0 {
			j.Zeros++
		}
	}
	j.Matrix = m
	return j, nil
}

func nameOr(t *tensor.Tensor, def string) string {
	if t.Name() != "" {
		return t.Name()
	}
	return def
}

func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

func eye(n int) *tensor.Tensor {
	m := tensor.ZerosOf(tensor.Float64, n, n)
	for i := range n {
		m.Set(1, i, i)
	}
	return m
}

// pathStructure derives the structure of ∂y/∂x by composing the
// Jacobians of the ops on every path from x to y (chain rule) and taking
// the union over paths.
func pathStructure(g *Graph, x, y *Node) Structure {
	rows, cols := y.Len(), x.Len()
	// nodes on a path from x: forward reachability
	from := map[*Node]bool{x: true}
	for _, n := range g.Nodes {
		for _, in := range n.Inputs {
			if from[in] {
				from[n] = true
			}
		}
	}
	if !from[y] {
		return Structure{Kind: Sparse, Rows: rows, Cols: cols, NNZ: 0}
	}
	s := map[*Node]Structure{x: structOf(Identity, cols, cols, 0)}
	s[x] = withCover(s[x])
	for _, n := range g.Nodes[x.ID+1:] {
		if !from[n] {
			continue
		}
		var acc *Structure
		for i, in := range n.Inputs {
			if !from[in] {
				continue
			}
			c := compose(OpJacobian(n, i), s[in])
			if acc == nil {
				acc = &c
			} else {
				u := union(*acc, c)
				acc = &u
			}
		}
		s[n] = *acc
		if n == y {
			break
		}
	}
	r := s[y]
	r.Rows, r.Cols = rows, cols
	return r
}

// covering reports whether every column of s (every input element) has a
// structural non-zero, which decides whether a dense Jacobian applied
// after it stays dense.
func covering(s Structure) bool {
	switch s.Kind {
	case Dense, Identity, Diagonal, Permutation, BlockDiagonal:
		return true
	case Sparse:
		return s.Covers
	}
	return false
}

func withCover(s Structure) Structure { s.Covers = true; return s }

// compose returns the structure of a·b (a applied after b).
func compose(a, b Structure) Structure {
	rows, cols := a.Rows, b.Cols
	unknown := structOf(Unknown, rows, cols, 0)
	switch {
	case a.Kind == Unknown || b.Kind == Unknown:
		return unknown
	case a.Kind == Identity:
		b.Rows = rows
		return b
	case b.Kind == Identity:
		a.Cols = cols
		return a
	case a.Kind == Diagonal || a.Kind == Permutation: // row scaling or reordering keeps b's pattern
		k := b.Kind
		if a.Kind == Permutation && (k == Diagonal || k == BlockDiagonal) {
			k = map[StructKind]StructKind{Diagonal: Permutation, BlockDiagonal: Sparse}[k]
		}
		r := b
		r.Kind, r.Rows = k, rows
		return r
	case b.Kind == Diagonal || b.Kind == Permutation: // column scaling or reordering keeps a's pattern
		k := a.Kind
		if b.Kind == Permutation && k == BlockDiagonal {
			k = Sparse
		}
		r := a
		r.Kind, r.Cols = k, cols
		return r
	case a.Kind == Dense && covering(b):
		return structOf(Dense, rows, cols, 0)
	case b.Kind == Dense && a.Kind != Sparse:
		return structOf(Dense, rows, cols, 0)
	}
	return unknown
}

// union returns the structure of a+b (two paths).
func union(a, b Structure) Structure {
	switch {
	case a.Kind == Dense || b.Kind == Dense:
		return structOf(Dense, a.Rows, a.Cols, 0)
	case (a.Kind == Diagonal || a.Kind == Identity) && (b.Kind == Diagonal || b.Kind == Identity):
		return structOf(Diagonal, a.Rows, a.Cols, 0)
	}
	return structOf(Unknown, a.Rows, a.Cols, 0)
}
