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
	isMax := kind == OpAmax
	keep := reducedShape(x.shape, ax, true)
	out := alloc(x.dtype, keep)
	var pos []int // general case: the output position of each input element
	if lo, hi := ax[0], ax[len(ax)-1]; hi-lo+1 == len(ax) {
		// the reduced axes are adjacent: blocks of n values, inner apart
		outer, n, inner := numel(x.shape[:lo]), numel(x.shape[lo:hi+1]), numel(x.shape[hi+1:])
		if x.dtype == Float64 {
			extremaBlocked(x.f64, out.f64, outer, n, inner, isMax)
		} else {
			extremaBlocked(x.f32, out.f32, outer, n, inner, isMax)
		}
	} else {
		pos = make([]int, x.Len())
		forBroadcast(x.shape, [][]int{keep}, func(o int, at []int) { pos[o] = at[0] })
		better := greater
		if !isMax {
			better = less
		}
		seen := make([]bool, out.Len())
		for i, p := range pos {
			v := x.get(i)
			if best := out.get(p); !seen[p] || better(v, best) || math.IsNaN(v) && !math.IsNaN(best) {
				out.put(p, v)
				seen[p] = true
			}
		}
	}
	res := out.view(reducedShape(x.shape, ax, keepDim))
	return record(Op{Kind: kind, Axes: ax, KeepDim: keepDim}, res, []*Tensor{x}, func(g *Tensor) []*Tensor {
		gx := alloc(x.dtype, x.shape)
		if pos == nil {
			lo, hi := ax[0], ax[len(ax)-1]
			outer, n, inner := numel(x.shape[:lo]), numel(x.shape[lo:hi+1]), numel(x.shape[hi+1:])
			if x.dtype == Float64 {
				extremaGradBlocked(x.f64, out.f64, g.f64, gx.f64, outer, n, inner)
			} else {
				extremaGradBlocked(x.f32, out.f32, g.f32, gx.f32, outer, n, inner)
			}
			return []*Tensor{gx}
		}
		// ties share the gradient: count the elements equal to each result
		count := make([]float64, out.Len())
		for i, p := range pos {
			if same(x.get(i), out.get(p)) {
				count[p]++
			}
		}
		for i, p := range pos {
			if same(x.get(i), out.get(p)) {
				gx.put(i, g.get(p)/count[p])
			}
		}
		return []*Tensor{gx}
	})
}

// same reports whether v is the extremum best (NaN matching NaN).
func same[T Float](v, best T) bool { return v == best || v != v && best != best }

// extremaBlocked writes to out[o·inner+i] the maximum (or minimum) of
// x[(o·n+k)·inner+i] over k, for every o < outer and i < inner; a NaN
// wins over numbers.
func extremaBlocked[T Float](x, out []T, outer, n, inner int, isMax bool) {
	better := func(v, best T) bool {
		if isMax {
			return v > best || v != v && best == best
		}
		return v < best || v != v && best == best
	}
	if inner == 1 { // each result reduces one contiguous run
		for o := range outer {
			run := x[o*n : (o+1)*n]
			best := run[0]
			for _, v := range run[1:] {
				if better(v, best) {
					best = v
				}
			}
			out[o] = best
		}
		return
	}
	for o := range outer {
		dst := out[o*inner : (o+1)*inner]
		copy(dst, x[o*n*inner:])
		for k := 1; k < n; k++ {
			for i, v := range x[(o*n+k)*inner : (o*n+k+1)*inner] {
				if better(v, dst[i]) {
					dst[i] = v
				}
			}
		}
	}
}

// extremaGradBlocked is the backward pass of extremaBlocked: each result's
// gradient g divided evenly among the inputs equal to it, into gx (zero).
func extremaGradBlocked[T Float](x, out, g, gx []T, outer, n, inner int) {
	count := make([]T, inner)
	for o := range outer {
		best := out[o*inner : (o+1)*inner]
		clear(count)
		for k := range n {
			for i, v := range x[(o*n+k)*inner : (o*n+k+1)*inner] {
				if same(v, best[i]) {
					count[i]++
				}
			}
		}
		for k := range n {
			at := (o*n + k) * inner
			for i, v := range x[at : at+inner] {
				if same(v, best[i]) {
					gx[at+i] = g[o*inner+i] / count[i]
				}
			}
		}
	}
}
