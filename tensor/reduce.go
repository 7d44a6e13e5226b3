package tensor

import (
	"fmt"
	"math"
	"slices"
)

// split returns the sizes before, at and after axis.
func split(shape []int, axis int) (outer, n, inner int) {
	outer, inner = 1, 1
	for i, s := range shape {
		switch {
		case i < axis:
			outer *= s
		case i > axis:
			inner *= s
		}
	}
	return outer, shape[axis], inner
}

// normAxes normalises, sorts and de-duplicates axes; empty means all axes.
func normAxes(op string, shape []int, axes []int) []int {
	if len(axes) == 0 {
		all := make([]int, len(shape))
		for i := range all {
			all[i] = i
		}
		return all
	}
	out := make([]int, len(axes))
	for i, a := range axes {
		out[i] = normAxis(op, a, len(shape), shape)
	}
	slices.Sort(out)
	for i := 1; i < len(out); i++ {
		if out[i] == out[i-1] {
			panic(shapeErr(op, fmt.Sprintf("axis %d repeated", out[i]), shape))
		}
	}
	return out
}

// reducedShape is shape with the given axes set to 1 (keepDim) or removed.
func reducedShape(shape, axes []int, keepDim bool) []int {
	var out []int
	for i, s := range shape {
		if slices.Contains(axes, i) {
			if keepDim {
				out = append(out, 1)
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// sumAxis sums over one axis, keeping it with size 1 (no recording).
func sumAxis(x *Tensor, axis int) *Tensor {
	outer, n, inner := split(x.shape, axis)
	shape := append([]int(nil), x.shape...)
	shape[axis] = 1
	out := alloc(x.dtype, shape)
	if x.dtype == Float64 {
		sumAxisT(x.f64, out.f64, outer, n, inner)
	} else {
		sumAxisT(x.f32, out.f32, outer, n, inner)
	}
	return out
}

func sumAxisT[T Float](x, out []T, outer, n, inner int) {
	for o := 0; o < outer; o++ {
		dst := out[o*inner : (o+1)*inner]
		for k := 0; k < n; k++ {
			src := x[(o*n+k)*inner : (o*n+k+1)*inner]
			for i, v := range src {
				dst[i] += v
			}
		}
	}
}

// Reductions: a sum of n values takes n−1 additions, a maximum or minimum
// n−1 comparisons. Each output depends on the inputs it reduces (one row
// of the Jacobian per output; a sum's Jacobian is dense when it reduces
// everything, a max's picks one element per output).
func init() {
	reduced := func(out []int, ins [][]int) int64 { return int64(numel(ins[0]) - numel(out)) }
	declare(OpSum, OpDef{Symbol: "Σ",
		Counts: func(_ *Op, out []int, ins [][]int) Counts { return Counts{Add: reduced(out, ins)} },
		Jacobian: func(_ *Op, out []int, ins [][]int, _ int) Structure {
			no, ni := numel(out), numel(ins[0])
			if no == 1 {
				return NewStructure(StructDense, 1, ni, 0)
			}
			return covering(NewStructure(StructSparse, no, ni, int64(ni)))
		},
		Field: func(op *Op, _ []int, ins [][]int) FieldRule { return fieldAlong(ins[0], op.Axes...) }})
	extremum := func(sym string) OpDef {
		return OpDef{Symbol: sym, Jacobian: selectionJ,
			Counts: func(_ *Op, out []int, ins [][]int) Counts { return Counts{Other: reduced(out, ins)} },
			Field:  func(op *Op, _ []int, ins [][]int) FieldRule { return fieldAlong(ins[0], op.Axis) }}
	}
	declare(OpMax, extremum("max"))
	declare(OpMin, extremum("min"))
}

// Sum sums x over the given axes (all axes if none), removing them.
func Sum(x *Tensor, axes ...int) *Tensor { return sum(x, false, axes) }

// SumKeepDim is Sum keeping the summed axes with size 1, as PyTorch's
// keepdim=True does.
func SumKeepDim(x *Tensor, axes ...int) *Tensor { return sum(x, true, axes) }

func sum(x *Tensor, keepDim bool, axes []int) *Tensor {
	ax := normAxes("Sum", x.shape, axes)
	out := x
	if len(ax) == len(x.shape) && x.dtype == Float32 {
		// whole-tensor sum accumulates in float64 for accuracy
		var s float64
		for _, v := range x.f32 {
			s += float64(v)
		}
		out = FullOf(Float32, s, reducedShape(x.shape, ax, true)...)
	} else {
		for _, a := range ax {
			out = sumAxis(out, a)
		}
		if out == x {
			out = x.Clone()
		}
	}
	out = out.view(reducedShape(x.shape, ax, keepDim))
	keep := reducedShape(x.shape, ax, true)
	return record(Op{Kind: OpSum, Axes: ax, KeepDim: keepDim}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		return []*Tensor{expandTo(Reshape(g, keep...), x.shape)}
	})
}

// Mean averages x over the given axes (all axes if none), removing them.
func Mean(x *Tensor, axes ...int) *Tensor { return mean(x, false, axes) }

// MeanKeepDim is Mean keeping the averaged axes with size 1.
func MeanKeepDim(x *Tensor, axes ...int) *Tensor { return mean(x, true, axes) }

func mean(x *Tensor, keepDim bool, axes []int) *Tensor {
	ax := normAxes("Mean", x.shape, axes)
	n := 1
	for _, a := range ax {
		n *= x.shape[a]
	}
	return MulScalar(sum(x, keepDim, ax), 1/float64(n))
}

// expandTo broadcasts x to shape (recorded; its adjoint is SumTo).
func expandTo(x *Tensor, shape []int) *Tensor {
	if slices.Equal(x.shape, shape) {
		return x
	}
	return Add(x, ZerosOf(x.dtype, shape...))
}

// Expand broadcasts x to the given shape, copying data.
func Expand(x *Tensor, shape ...int) *Tensor {
	if !slices.Equal(BroadcastShapes("Expand", x.shape, shape), shape) {
		panic(shapeErr("Expand", "tensor does not broadcast to the target", x.shape, shape))
	}
	return expandTo(x, shape)
}

// Max returns the maximum of x along axis and, for each result element,
// the index along axis where it occurs (the first one on ties). The
// gradient flows to that element only. The axis is removed.
func Max(x *Tensor, axis int) (*Tensor, []int) {
	return extremum(OpMax, x, axis, false, greater)
}

// MaxKeepDim is Max keeping the axis with size 1.
func MaxKeepDim(x *Tensor, axis int) (*Tensor, []int) {
	return extremum(OpMax, x, axis, true, greater)
}

// Min is Max for the minimum.
func Min(x *Tensor, axis int) (*Tensor, []int) {
	return extremum(OpMin, x, axis, false, less)
}

// MinKeepDim is Min keeping the axis with size 1.
func MinKeepDim(x *Tensor, axis int) (*Tensor, []int) {
	return extremum(OpMin, x, axis, true, less)
}

func greater(a, b float64) bool { return a > b }
func less(a, b float64) bool    { return a < b }

func extremum(kind OpKind, x *Tensor, axis int, keepDim bool, better func(a, b float64) bool) (*Tensor, []int) {
	op := kind.String()
	axis = normAxis(op, axis, len(x.shape), x.shape)
	outer, n, inner := split(x.shape, axis)
	if n == 0 {
		panic(shapeErr(op, "reduction over an empty axis", x.shape))
	}
	keep := append([]int(nil), x.shape...)
	keep[axis] = 1
	out := alloc(x.dtype, keep)
	idx := make([]int, outer*inner)
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			best, bi := x.get(o*n*inner+i), 0
			for k := 1; k < n; k++ {
				v := x.get((o*n+k)*inner + i)
				if better(v, best) || (math.IsNaN(v) && !math.IsNaN(best)) {
					best, bi = v, k
				}
			}
			out.put(o*inner+i, best)
			idx[o*inner+i] = bi
		}
	}
	out = out.view(reducedShape(x.shape, []int{axis}, keepDim))
	res := record(Op{Kind: kind, Axis: axis, KeepDim: keepDim}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		gx := alloc(x.dtype, x.shape)
		for o := 0; o < outer; o++ {
			for i := 0; i < inner; i++ {
				gx.put((o*n+idx[o*inner+i])*inner+i, g.get(o*inner+i))
			}
		}
		return []*Tensor{gx}
	})
	return res, idx
}
