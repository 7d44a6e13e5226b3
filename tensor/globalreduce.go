package tensor

import "math"

// Maxima and minima over several axes (global max pooling over any axes
// of any tensor): a reduction of n values takes n−1 comparisons. Each
// output's gradient is shared by the input elements equal to it, so a row
// of the Jacobian has one non-zero, or one per tie: at most one per input
// element in all (a bound). The field is everything along a reduced
// spatial axis.
func init() {
	def := func(sym string) OpDef {
		return OpDef{Symbol: sym,
			Counts: func(_ *Op, out []int, ins [][]int) Counts {
				return Counts{Other: int64(numel(ins[0]) - numel(out))}
			},
			Jacobian: func(_ *Op, out []int, ins [][]int, _ int) Structure {
				s := NewStructure(StructSparse, numel(out), numel(ins[0]), int64(numel(ins[0])))
				s.Bound, s.Covers = true, true
				return s
			},
			Field: func(op *Op, _ []int, ins [][]int) FieldRule { return fieldAlong(ins[0], op.Axes...) }}
	}
	declare(OpAmax, def("amax"))
	declare(OpAmin, def("amin"))
}

// Amax returns the maximum of x over the given axes (all axes if none),
// removing them, as torch.amax: global max pooling over any axes of any
// tensor, such as Amax(x, 2, 3) over the planes of [N,C,H,W] or
// Amax(x, 1) over the time steps of [N,T,D]. Unlike Max, which reduces one
// axis and returns where its maximum is, Amax reduces several at once and
// splits each output's gradient evenly among the elements equal to the
// maximum (as PyTorch's amax does, and as the course's max pooling splits
// ties). A NaN among the values makes the result NaN.
func Amax(x *Tensor, axes ...int) *Tensor { return amax(OpAmax, x, false, axes) }

// AmaxKeepDim is Amax keeping the reduced axes with size 1.
func AmaxKeepDim(x *Tensor, axes ...int) *Tensor { return amax(OpAmax, x, true, axes) }

// Amin is Amax for the minimum, as torch.amin.
func Amin(x *Tensor, axes ...int) *Tensor { return amax(OpAmin, x, false, axes) }

// AminKeepDim is Amin keeping the reduced axes with size 1.
func AminKeepDim(x *Tensor, axes ...int) *Tensor { return amax(OpAmin, x, true, axes) }

// amax is Amax (kind OpAmax) or Amin (OpAmin).
func amax(kind OpKind, x *Tensor, keepDim bool, axes []int) *Tensor {
	op := kind.String()
	mustFloat(x)
	ax := normAxes(op, x.shape, axes)
	for _, a := range ax {
		if x.shape[a] == 0 {
			panic(shapeErr(op, "reduction over an empty axis", x.shape))
		}
	}
	better := greater
	if kind == OpAmin {
		better = less
	}
	keep := reducedShape(x.shape, ax, true)
	out := alloc(x.dtype, keep)
	// pos[i] is the output position of input element i.
	n := x.Len()
	pos := make([]int, n)
	forBroadcast(x.shape, [][]int{keep}, func(o int, at []int) { pos[o] = at[0] })
	seen := make([]bool, out.Len())
	for i := range n {
		v, p := x.get(i), pos[i]
		if best := out.get(p); !seen[p] || better(v, best) || math.IsNaN(v) && !math.IsNaN(best) {
			out.put(p, v)
			seen[p] = true
		}
	}
	// ties share the gradient: count the elements equal to each result
	hit := make([]bool, n)
	count := make([]float64, out.Len())
	for i := range n {
		v, best := x.get(i), out.get(pos[i])
		if v == best || math.IsNaN(v) && math.IsNaN(best) {
			hit[i] = true
			count[pos[i]]++
		}
	}
	out = out.view(reducedShape(x.shape, ax, keepDim))
	return record(Op{Kind: kind, Axes: ax, KeepDim: keepDim}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		gx := alloc(x.dtype, x.shape)
		for i, h := range hit {
			if h {
				gx.put(i, g.get(pos[i])/count[pos[i]])
			}
		}
		return []*Tensor{gx}
	})
}
