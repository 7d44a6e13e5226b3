package graph

import (
	"fmt"
	"strings"
)

// Counts are the scalar operations of the straightforward implementation
// of an operation: Mul counts multiplications and divisions, Add
// additions and subtractions, Other everything else (comparisons of ReLU
// and max-pooling, evaluations of exp, log, σ, tanh). A dot product of
// length n takes n multiplications and n−1 additions; adding a bias adds
// one more, so an affine layer Wx+b with W∈R^{m×n} takes mn
// multiplications and mn additions.
type Counts struct {
	Mul, Add, Other int64
}

// Plus returns c+d.
func (c Counts) Plus(d Counts) Counts {
	return Counts{c.Mul + d.Mul, c.Add + d.Add, c.Other + d.Other}
}

// Total returns Mul+Add+Other.
func (c Counts) Total() int64 { return c.Mul + c.Add + c.Other }

func (c Counts) String() string {
	return fmt.Sprintf("%d mul, %d add, %d other", c.Mul, c.Add, c.Other)
}

// StructKind is the structure of a Jacobian matrix.
type StructKind int

const (
	// Unknown: nothing is known about the zeros.
	Unknown StructKind = iota
	// Dense: every element may be non-zero.
	Dense
	// Identity: the identity matrix (reshape, adding a same-shaped tensor).
	Identity
	// Diagonal: non-zeros only on the diagonal (element-wise operations).
	Diagonal
	// Permutation: one 1 per row and column (transpose, permute).
	Permutation
	// BlockDiagonal: independent dense blocks (a batch of samples).
	BlockDiagonal
	// Sparse: a known number of non-zeros in a general pattern.
	Sparse
)

var structNames = [...]string{"unknown", "dense", "identity", "diagonal", "permutation", "block-diagonal", "sparse"}

func (k StructKind) String() string { return structNames[k] }

// Structure describes the Jacobian ∂out/∂in of one operation (or a chain)
// as a Rows×Cols matrix, Rows = |out| and Cols = |in| in elements. NNZ is
// the number of structural non-zeros (elements not zero by construction,
// whatever the values), or −1 if unknown; when Bound is true NNZ is an
// upper bound (padding in a convolution removes some).
type Structure struct {
	Kind       StructKind
	Rows, Cols int
	NNZ        int64
	Bound      bool

	covers bool // a Sparse pattern with a non-zero in every column
}

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
	case Sparse, BlockDiagonal:
		if s.Bound {
			b += fmt.Sprintf(", ≤%d nz", s.NNZ)
		} else {
			b += fmt.Sprintf(", %d nz", s.NNZ)
		}
	}
	return b
}

func structOf(k StructKind, rows, cols int, nnz int64) Structure {
	switch k {
	case Dense:
		nnz = int64(rows) * int64(cols)
	case Identity, Diagonal, Permutation:
		nnz = int64(rows)
	case Unknown:
		nnz = -1
	}
	return Structure{Kind: k, Rows: rows, Cols: cols, NNZ: nnz}
}

// OpInfo tells the graph package how to draw, count and analyse an
// operation recorded under some name.
type OpInfo struct {
	// Symbol is the short label in forward graphs ("+", "ReLU", "σ").
	Symbol string
	// Counts returns the scalar operations, given the output and input shapes.
	Counts func(out []int, ins [][]int) Counts
	// Jacobian returns the structure of ∂out/∂ins[i].
	Jacobian func(out []int, ins [][]int, i int) Structure
}

var ops = map[string]OpInfo{}

// RegisterOp adds or replaces what is known about an operation, for
// operations defined outside package tensor (custom layers).
func RegisterOp(name string, info OpInfo) { ops[name] = info }

// Symbol returns the short label of an op ("+" for Add); unknown ops keep
// their name.
func Symbol(op string) string {
	if info, ok := ops[op]; ok && info.Symbol != "" {
		return info.Symbol
	}
	return op
}

// OpCounts returns the scalar operations of node n's operation (zero for
// leaves and unknown operations).
func OpCounts(n *Node) Counts {
	info, ok := ops[n.Op]
	if n.Kind != Intermediate || !ok || info.Counts == nil {
		return Counts{}
	}
	return info.Counts(n.Shape, inShapes(n))
}

// OpJacobian returns the structure of the Jacobian ∂n/∂(n.Inputs[i]).
func OpJacobian(n *Node, i int) Structure {
	rows, cols := n.Len(), n.Inputs[i].Len()
	info, ok := ops[n.Op]
	if !ok || info.Jacobian == nil {
		if rows == 1 || cols == 1 {
			return structOf(Dense, rows, cols, 0)
		}
		return structOf(Unknown, rows, cols, 0)
	}
	s := info.Jacobian(n.Shape, inShapes(n), i)
	s.Rows, s.Cols = rows, cols
	return s
}

func inShapes(n *Node) [][]int {
	s := make([][]int, len(n.Inputs))
	for i, in := range n.Inputs {
		s[i] = in.Shape
	}
	return s
}

// elementwise unary ops: one function evaluation (Other) per element
// unless listed in unaryCost, diagonal Jacobian.
var unaryCost = map[string]Counts{
	"Neg":    {},
	"Square": {Mul: 1},
	"Abs":    {Other: 1},
}

func init() {
	diag := func(out []int, ins [][]int, i int) Structure {
		n := numel(out)
		return structOf(Diagonal, n, n, 0)
	}
	ident := func(out []int, ins [][]int, i int) Structure {
		n := numel(out)
		return structOf(Identity, n, n, 0)
	}
	symbols := map[string]string{
		"Neg": "−", "Exp": "exp", "Log": "log", "Sqrt": "√", "Abs": "abs", "Square": "²", "Pow": "pow",
		"Clamp": "clamp", "ReLU": "ReLU", "LeakyReLU": "LeakyReLU", "Sigmoid": "σ", "Tanh": "tanh",
		"Softplus": "softplus", "LogSigmoid": "logσ",
	}
	for name, sym := range symbols {
		cost, ok := unaryCost[name]
		if !ok {
			cost = Counts{Other: 1}
		}
		c := cost
		ops[name] = OpInfo{Symbol: sym, Jacobian: diag, Counts: func(out []int, _ [][]int) Counts {
			n := int64(numel(out))
			return Counts{c.Mul * n, c.Add * n, c.Other * n}
		}}
	}
	// broadcasting binary ops
	binary := func(sym string, per Counts, sameKind [2]StructKind) OpInfo {
		return OpInfo{Symbol: sym,
			Counts: func(out []int, _ [][]int) Counts {
				n := int64(numel(out))
				return Counts{per.Mul * n, per.Add * n, per.Other * n}
			},
			Jacobian: func(out []int, ins [][]int, i int) Structure {
				no, ni := numel(out), numel(ins[i])
				switch {
				case no == ni:
					return structOf(sameKind[i], no, ni, 0)
				case ni == 1:
					return structOf(Dense, no, 1, 0)
				}
				return withCover(structOf(Sparse, no, ni, int64(no))) // each output reads one element
			}}
	}
	ops["Add"] = binary("+", Counts{Add: 1}, [2]StructKind{Identity, Identity})
	ops["Sub"] = binary("−", Counts{Add: 1}, [2]StructKind{Identity, Diagonal})
	ops["Mul"] = binary("⊙", Counts{Mul: 1}, [2]StructKind{Diagonal, Diagonal})
	ops["Div"] = binary("/", Counts{Mul: 1}, [2]StructKind{Diagonal, Diagonal})
	ops["Maximum"] = binary("max", Counts{Other: 1}, [2]StructKind{Diagonal, Diagonal})

	// shape ops: no arithmetic
	for _, name := range []string{"Reshape", "Tofloat32", "Tofloat64"} {
		ops[name] = OpInfo{Symbol: strings.ToLower(name), Counts: zeroCounts, Jacobian: ident}
	}
	ops["Permute"] = OpInfo{Symbol: "permute", Counts: zeroCounts, Jacobian: func(out []int, _ [][]int, _ int) Structure {
		n := numel(out)
		return structOf(Permutation, n, n, 0)
	}}
	selection := func(out []int, ins [][]int, i int) Structure {
		return structOf(Sparse, numel(out), numel(ins[i]), int64(numel(out)))
	}
	ops["Slice"] = OpInfo{Symbol: "slice", Counts: zeroCounts, Jacobian: selection}
	ops["Gather"] = OpInfo{Symbol: "gather", Counts: zeroCounts, Jacobian: selection}
	ops["IndexSelect"] = OpInfo{Symbol: "select", Counts: zeroCounts, Jacobian: selection}
	ops["Concat"] = OpInfo{Symbol: "concat", Counts: zeroCounts, Jacobian: func(out []int, ins [][]int, i int) Structure {
		return withCover(structOf(Sparse, numel(out), numel(ins[i]), int64(numel(ins[i]))))
	}}
	reduceCmp := func(out []int, ins [][]int) Counts {
		return Counts{Other: int64(numel(ins[0]) - numel(out))}
	}
	ops["Max"] = OpInfo{Symbol: "max", Counts: reduceCmp, Jacobian: selection}
	ops["Min"] = OpInfo{Symbol: "min", Counts: reduceCmp, Jacobian: selection}
	ops["Sum"] = OpInfo{Symbol: "Σ",
		Counts: func(out []int, ins [][]int) Counts { return Counts{Add: int64(numel(ins[0]) - numel(out))} },
		Jacobian: func(out []int, ins [][]int, i int) Structure {
			no, ni := numel(out), numel(ins[0])
			if no == 1 {
				return structOf(Dense, 1, ni, 0)
			}
			return withCover(structOf(Sparse, no, ni, int64(ni)))
		}}
	// softmax along one axis (taken as the last for counting): per element
	// one exp and one division, per row n−1 additions; the axis is not
	// recorded, so the Jacobian's structure is only known for one row.
	rowsOf := func(out []int) int64 {
		if len(out) == 0 || out[len(out)-1] == 0 {
			return 1
		}
		return int64(numel(out) / out[len(out)-1])
	}
	softmax := func(out []int, _ [][]int) Counts {
		n, r := int64(numel(out)), rowsOf(out)
		return Counts{Mul: n, Add: n - r, Other: n}
	}
	// log-softmax x − log Σ exp x: n exps, n−1 additions and one log per
	// row, n subtractions
	logSoftmax := func(out []int, _ [][]int) Counts {
		n, r := int64(numel(out)), rowsOf(out)
		return Counts{Add: 2*n - r, Other: n + r}
	}
	softmaxJ := func(out []int, _ [][]int, _ int) Structure {
		n := numel(out)
		if len(out) == 0 || n == out[len(out)-1] {
			return structOf(Dense, n, n, 0)
		}
		return structOf(Unknown, n, n, 0)
	}
	ops["Softmax"] = OpInfo{Symbol: "softmax", Counts: softmax, Jacobian: softmaxJ}
	ops["LogSoftmax"] = OpInfo{Symbol: "logsoftmax", Counts: logSoftmax, Jacobian: softmaxJ}

	// matrix products
	ops["MatMul"] = OpInfo{Symbol: "·",
		Counts: func(out []int, ins [][]int) Counts {
			k := int64(ins[0][len(ins[0])-1])
			n := int64(numel(out))
			return Counts{Mul: n * k, Add: n * (k - 1)}
		},
		Jacobian: func(out []int, ins [][]int, i int) Structure {
			no, ni := numel(out), numel(ins[i])
			k := ins[0][len(ins[0])-1] // each output reads one row of a and one column of b
			if ni == k {
				return structOf(Dense, no, ni, 0)
			}
			return withCover(structOf(Sparse, no, ni, int64(no)*int64(k)))
		}}
	ops["Linear"] = OpInfo{Symbol: "Wx+b",
		Counts: func(out []int, ins [][]int) Counts {
			in := int64(ins[1][1])
			n := int64(numel(out))
			c := Counts{Mul: n * in, Add: n * (in - 1)}
			if len(ins) > 2 {
				c.Add += n
			}
			return c
		},
		Jacobian: func(out []int, ins [][]int, i int) Structure {
			batch, o, in := out[0], out[1], ins[1][1]
			no, ni := numel(out), numel(ins[i])
			switch i {
			case 0: // ∂y/∂x: one dense o×in block (W) per sample
				if batch == 1 {
					return structOf(Dense, no, ni, 0)
				}
				return structOf(BlockDiagonal, no, ni, int64(batch*o*in))
			case 1: // ∂y/∂W: y[n,j] depends on row j of W only
				return withCover(structOf(Sparse, no, ni, int64(batch*o*in)))
			}
			if batch == 1 { // ∂y/∂b
				return structOf(Identity, no, ni, 0)
			}
			return withCover(structOf(Sparse, no, ni, int64(no)))
		}}

	// convolution and pooling (package tensor's Conv2d, MaxPool2d, ...)
	ops["Conv2d"] = OpInfo{Symbol: "conv",
		Counts: func(out []int, ins [][]int) Counts {
			w := ins[1]
			k := int64(numel(w[1:]))
			n := int64(numel(out))
			c := Counts{Mul: n * k, Add: n * (k - 1)}
			if len(ins) > 2 {
				c.Add += n
			}
			return c
		},
		Jacobian: func(out []int, ins [][]int, i int) Structure {
			no, ni := numel(out), numel(ins[i])
			k := int64(numel(ins[1][1:]))
			if i == 2 {
				return withCover(structOf(Sparse, no, ni, int64(no)))
			}
			s := withCover(structOf(Sparse, no, ni, int64(no)*k))
			s.Bound = i == 0 // zero padding removes some
			return s
		}}
	// pooling: the kernel is not recorded; it is taken as the ratio of
	// input to output size (kernel = stride, the common case).
	poolKernel := func(out []int, ins [][]int) int64 {
		if len(out) < 4 || len(ins[0]) < 4 || out[2] == 0 || out[3] == 0 {
			return 1
		}
		return int64(ins[0][2]/out[2]) * int64(ins[0][3]/out[3])
	}
	ops["MaxPool2d"] = OpInfo{Symbol: "maxpool",
		Counts: func(out []int, ins [][]int) Counts {
			return Counts{Other: int64(numel(out)) * (poolKernel(out, ins) - 1)}
		},
		Jacobian: selection}
	ops["AvgPool2d"] = OpInfo{Symbol: "avgpool",
		Counts: func(out []int, ins [][]int) Counts {
			n := int64(numel(out))
			return Counts{Mul: n, Add: n * (poolKernel(out, ins) - 1)}
		},
		Jacobian: func(out []int, ins [][]int, i int) Structure {
			no := numel(out)
			return structOf(Sparse, no, numel(ins[0]), int64(no)*poolKernel(out, ins))
		}}
	ops["GlobalAvgPool2d"] = OpInfo{Symbol: "gap",
		Counts: func(out []int, ins [][]int) Counts {
			n := int64(numel(out))
			return Counts{Mul: n, Add: int64(numel(ins[0])) - n}
		},
		Jacobian: func(out []int, ins [][]int, i int) Structure {
			return withCover(structOf(Sparse, numel(out), numel(ins[0]), int64(numel(ins[0]))))
		}}
	ops["GlobalMaxPool2d"] = OpInfo{Symbol: "gmp", Counts: reduceCmp, Jacobian: selection}
	ops["Dropout"] = OpInfo{Symbol: "dropout", Jacobian: diag, Counts: func(out []int, _ [][]int) Counts {
		return Counts{Mul: int64(numel(out))}
	}}
	// nn.BCE, fused: −mean(y·log p + (1−y)·log(1−p)) over n elements:
	// 2n logs, 2n products, 3n additions (1−p, 1−y, the two terms), n−1
	// additions for the sum and one multiplication by 1/n.
	ops["BCE"] = OpInfo{Symbol: "BCE", Counts: func(_ []int, ins [][]int) Counts {
		n := int64(numel(ins[0]))
		return Counts{Mul: 2*n + 1, Add: 4*n - 1, Other: 2 * n}
	}, Jacobian: func(out []int, ins [][]int, i int) Structure {
		return structOf(Dense, numel(out), numel(ins[i]), 0)
	}}
}

func zeroCounts([]int, [][]int) Counts { return Counts{} }
