package tensor

import (
	"fmt"
	"slices"
)

// Shape ops move or copy elements without arithmetic: reshapes and dtype
// conversions have identity Jacobians, permutations permutation matrices,
// slices one non-zero per output, and a concatenation one per input
// element.
func init() {
	declare(OpReshape, OpDef{Symbol: "reshape", Counts: noCounts, Jacobian: identityJ, Field: fieldSame})
	declare(OpTo, OpDef{Symbol: "to", Counts: noCounts, Jacobian: identityJ, Field: fieldSame})
	declare(OpPermute, OpDef{Symbol: "permute", Counts: noCounts, Field: fieldSame,
		Jacobian: func(_ *Op, out []int, _ [][]int, _ int) Structure {
			n := numel(out)
			return NewStructure(StructPermutation, n, n, 0)
		}})
	declare(OpSlice, OpDef{Symbol: "slice", Counts: noCounts, Jacobian: selectionJ, Field: fieldSame})
	declare(OpConcat, OpDef{Symbol: "concat", Counts: noCounts, Field: fieldSame,
		Jacobian: func(_ *Op, out []int, ins [][]int, i int) Structure {
			return covering(NewStructure(StructSparse, numel(out), numel(ins[i]), int64(numel(ins[i]))))
		}})
}

// Reshape returns x with a new shape of the same size, sharing its data.
// One dimension may be -1 and is then inferred.
func Reshape(x *Tensor, shape ...int) *Tensor {
	shape = append([]int(nil), shape...)
	infer, known := -1, 1
	for i, s := range shape {
		switch {
		case s == -1 && infer < 0:
			infer = i
		case s < 0:
			panic(shapeErr("Reshape", "invalid target shape", x.shape, shape))
		default:
			known *= s
		}
	}
	if infer >= 0 {
		if known == 0 || x.Len()%known != 0 {
			panic(shapeErr("Reshape", "cannot infer the -1 dimension", x.shape, shape))
		}
		shape[infer] = x.Len() / known
	}
	if numel(shape) != x.Len() {
		panic(shapeErr("Reshape", fmt.Sprintf("%d elements do not fit", x.Len()), x.shape, shape))
	}
	out := x.view(shape)
	return record(Op{Kind: OpReshape}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		return []*Tensor{Reshape(g, x.shape...)}
	})
}

// Flatten merges axes startDim..end into one, as torch.flatten(x, startDim).
func Flatten(x *Tensor, startDim int) *Tensor {
	if len(x.shape) == 0 {
		return Reshape(x, 1)
	}
	startDim = normAxis("Flatten", startDim, len(x.shape), x.shape)
	shape := append([]int(nil), x.shape[:startDim]...)
	return Reshape(x, append(shape, numel(x.shape[startDim:]))...)
}

// Squeeze removes the given axes of size 1 (all size-1 axes if none given).
func Squeeze(x *Tensor, axes ...int) *Tensor {
	var shape []int
	if len(axes) == 0 {
		for _, s := range x.shape {
			if s != 1 {
				shape = append(shape, s)
			}
		}
		return Reshape(x, shape...)
	}
	ax := normAxes("Squeeze", x.shape, axes)
	for i, s := range x.shape {
		if contains(ax, i) {
			if s != 1 {
				panic(shapeErr("Squeeze", fmt.Sprintf("axis %d has size %d, not 1", i, s), x.shape))
			}
			continue
		}
		shape = append(shape, s)
	}
	return Reshape(x, shape...)
}

// Unsqueeze inserts an axis of size 1 at position axis (which may be
// len(shape), or negative counting from the end of the result).
func Unsqueeze(x *Tensor, axis int) *Tensor {
	axis = normAxis("Unsqueeze", axis, len(x.shape)+1, x.shape)
	shape := append([]int(nil), x.shape[:axis]...)
	shape = append(shape, 1)
	return Reshape(x, append(shape, x.shape[axis:]...)...)
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Permute reorders the axes: result axis i is input axis perm[i].
func Permute(x *Tensor, perm ...int) *Tensor {
	nd := len(x.shape)
	if len(perm) != nd {
		panic(shapeErr("Permute", fmt.Sprintf("permutation %v does not match %d axes", perm, nd), x.shape))
	}
	seen := make([]bool, nd)
	p := make([]int, nd)
	shape := make([]int, nd)
	for i, a := range perm {
		a = normAxis("Permute", a, nd, x.shape)
		if seen[a] {
			panic(shapeErr("Permute", fmt.Sprintf("permutation %v repeats axis %d", perm, a), x.shape))
		}
		seen[a] = true
		p[i] = a
		shape[i] = x.shape[a]
	}
	out := alloc(x.dtype, shape)
	if x.dtype == Float64 {
		permuteT(x.f64, out.f64, x.shape, p)
	} else {
		permuteT(x.f32, out.f32, x.shape, p)
	}
	inv := make([]int, nd)
	for i, a := range p {
		inv[a] = i
	}
	return record(Op{Kind: OpPermute, Axes: p}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		return []*Tensor{Permute(g, inv...)}
	})
}

func permuteT[T Float](src, dst []T, shape, perm []int) {
	nd := len(shape)
	if len(dst) == 0 {
		return
	}
	if nd == 0 {
		dst[0] = src[0]
		return
	}
	inStride := make([]int, nd)
	s := 1
	for i := nd - 1; i >= 0; i-- {
		inStride[i] = s
		s *= shape[i]
	}
	st := make([]int, nd) // input stride for each output axis
	os := make([]int, nd)
	for i, a := range perm {
		st[i] = inStride[a]
		os[i] = shape[a]
	}
	idx := make([]int, nd)
	off := 0
	inner, is := os[nd-1], st[nd-1]
	for o := 0; o < len(dst); o += inner {
		row := dst[o : o+inner]
		for j := range row {
			row[j] = src[off+j*is]
		}
		for d := nd - 2; d >= 0; d-- {
			idx[d]++
			off += st[d]
			if idx[d] < os[d] {
				break
			}
			off -= st[d] * os[d]
			idx[d] = 0
		}
	}
}

// Transpose swaps axes a and b.
func Transpose(x *Tensor, a, b int) *Tensor {
	nd := len(x.shape)
	a, b = normAxis("Transpose", a, nd, x.shape), normAxis("Transpose", b, nd, x.shape)
	p := make([]int, nd)
	for i := range p {
		p[i] = i
	}
	p[a], p[b] = p[b], p[a]
	return Permute(x, p...)
}

// T returns the transpose of a 2-D tensor.
func T(x *Tensor) *Tensor {
	if len(x.shape) != 2 {
		panic(shapeErr("T", "needs a 2-D tensor", x.shape))
	}
	return Transpose(x, 0, 1)
}

// Concat joins tensors along an existing axis.
func Concat(axis int, ts ...*Tensor) *Tensor {
	if len(ts) == 0 {
		panic(&ShapeError{Op: "Concat", Msg: "no tensors"})
	}
	sameDTypeAny("Concat", ts...)
	nd := len(ts[0].shape)
	if nd == 0 {
		panic(shapeErr("Concat", "cannot concatenate scalars", ts[0].shape))
	}
	axis = normAxis("Concat", axis, nd, ts[0].shape)
	shape := append([]int(nil), ts[0].shape...)
	shape[axis] = 0
	for _, t := range ts {
		ok := len(t.shape) == nd
		for i := 0; ok && i < nd; i++ {
			ok = i == axis || t.shape[i] == ts[0].shape[i]
		}
		if !ok {
			panic(shapeErr("Concat", fmt.Sprintf("shapes differ outside axis %d", axis), ts[0].shape, t.shape))
		}
		shape[axis] += t.shape[axis]
	}
	out := allocAny(ts[0].dtype, shape)
	outer, total, inner := split(shape, axis)
	off := 0
	for _, t := range ts {
		n := t.shape[axis]
		for o := 0; o < outer; o++ {
			out.copyRange((o*total+off)*inner, t, o*n*inner, n*inner)
		}
		off += n
	}
	return record(Op{Kind: OpConcat, Axis: axis}, out, ts, func(g *Tensor) []*Tensor {
		gs := make([]*Tensor, len(ts))
		off := 0
		for i, t := range ts {
			n := t.shape[axis]
			if t.requiresGrad {
				gs[i] = Slice(g, axis, off, off+n)
			}
			off += n
		}
		return gs
	})
}

// Stack joins same-shaped tensors along a new axis.
func Stack(axis int, ts ...*Tensor) *Tensor {
	if len(ts) == 0 {
		panic(&ShapeError{Op: "Stack", Msg: "no tensors"})
	}
	us := make([]*Tensor, len(ts))
	for i, t := range ts {
		if !slices.Equal(t.shape, ts[0].shape) {
			panic(shapeErr("Stack", "tensors must have the same shape", ts[0].shape, t.shape))
		}
		us[i] = Unsqueeze(t, axis)
	}
	return Concat(axis, us...)
}

// Slice returns the elements start..end-1 along axis (like x[..., start:end]).
func Slice(x *Tensor, axis, start, end int) *Tensor {
	if len(x.shape) == 0 {
		panic(shapeErr("Slice", "cannot slice a scalar", x.shape))
	}
	axis = normAxis("Slice", axis, len(x.shape), x.shape)
	n := x.shape[axis]
	if start < 0 || end > n || start > end {
		panic(shapeErr("Slice", fmt.Sprintf("range [%d:%d] out of bounds on axis %d", start, end, axis), x.shape))
	}
	outer, _, inner := split(x.shape, axis)
	shape := append([]int(nil), x.shape...)
	shape[axis] = end - start
	out := allocAny(x.dtype, shape)
	m := (end - start) * inner
	for o := 0; o < outer; o++ {
		out.copyRange(o*m, x, (o*n+start)*inner, m)
	}
	return record(Op{Kind: OpSlice, Axis: axis, Start: start, End: end}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		gx := alloc(x.dtype, x.shape)
		for o := 0; o < outer; o++ {
			dst := (o*n + start) * inner
			if x.dtype == Float64 {
				copy(gx.f64[dst:dst+m], g.f64[o*m:(o+1)*m])
			} else {
				copy(gx.f32[dst:dst+m], g.f32[o*m:(o+1)*m])
			}
		}
		return []*Tensor{gx}
	})
}

// To converts x to dtype dt (a no-op returning x when it already has it).
// Between float dtypes the conversion is recorded, so gradients flow back
// in x's dtype. To Int64 truncates toward zero, as PyTorch does, with NaN
// mapped to 0 and values beyond the int64 range saturated; the result has
// no gradient.
func To(x *Tensor, dt DType) *Tensor {
	if x.dtype == dt {
		return x
	}
	out := allocAny(dt, x.shape)
	out.CopyFrom(x)
	if !dt.IsFloat() {
		return out
	}
	return record(Op{Kind: OpTo, DType: dt}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		return []*Tensor{To(g, x.dtype)}
	})
}
