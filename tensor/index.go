package tensor

import (
	"fmt"
	"slices"
)

// Selections copy elements: no arithmetic, one non-zero per output in the
// Jacobian with respect to x. The integer indices, the second recorded
// input, take no gradient: that Jacobian has no non-zeros.
func init() {
	sel := func(sym string) OpDef {
		return OpDef{Symbol: sym, Counts: noCounts, Field: fieldSame,
			Jacobian: func(op *Op, out []int, ins [][]int, i int) Structure {
				if i == 1 {
					return NewStructure(StructSparse, numel(out), numel(ins[i]), 0)
				}
				return selectionJ(op, out, ins, i)
			}}
	}
	declare(OpIndexSelect, sel("select"))
	declare(OpGather, sel("gather"))
}

// indices checks that idx is an Int64 tensor whose values lie in [0, n)
// and returns its data. what and axis describe the values in errors.
func indices(op string, idx *Tensor, n int, what string, x []int, axis int) []int64 {
	if idx.dtype != Int64 {
		panic(&DTypeError{Op: op, DTypes: []DType{idx.dtype}, Shapes: [][]int{append([]int(nil), idx.shape...)},
			Msg: "indices must be an Int64 tensor; convert with tensor.To(idx, tensor.Int64) or build them with tensor.FromInts"})
	}
	for p, i := range idx.i64 {
		if i < 0 || i >= int64(n) {
			where := fmt.Sprintf("for axis %d of size %d", axis, n)
			if axis < 0 {
				where = fmt.Sprintf("for %d classes", n)
			}
			panic(shapeErr(op, fmt.Sprintf("%s %d at position %d out of range %s", what, i, p, where), x, idx.shape))
		}
	}
	return idx.i64
}

// IndexSelect picks the entries idx along axis, like torch.index_select:
// idx is a 1-D Int64 tensor of positions in [0, x.Dim(axis)), and the
// result has x's shape with that axis replaced by len(idx). x may have any
// dtype. Repeated indices are allowed; their gradients add up.
func IndexSelect(x *Tensor, axis int, idx *Tensor) *Tensor {
	axis = normAxis("IndexSelect", axis, len(x.shape), x.shape)
	if len(idx.shape) != 1 {
		panic(shapeErr("IndexSelect", "indices must be 1-D", x.shape, idx.shape))
	}
	outer, n, inner := split(x.shape, axis)
	ix := slices.Clone(indices("IndexSelect", idx, n, "index", x.shape, axis))
	shape := append([]int(nil), x.shape...)
	shape[axis] = len(ix)
	out := allocAny(x.dtype, shape)
	k := len(ix)
	for o := 0; o < outer; o++ {
		for j, i := range ix {
			out.copyRange((o*k+j)*inner, x, (o*n+int(i))*inner, inner)
		}
	}
	if !x.dtype.computes() {
		return out
	}
	// idx is recorded as a second input (it takes no gradient) so that the
	// record reaches the positions (ONNX export writes them as Gather's).
	return record(Op{Kind: OpIndexSelect, Axis: axis}, out, []*Tensor{x, idx}, func(g *Tensor) []*Tensor {
		gx := alloc(x.dtype, x.shape)
		for o := 0; o < outer; o++ {
			for j, i := range ix {
				for in := 0; in < inner; in++ {
					p := (o*n+int(i))*inner + in
					gx.put(p, gx.get(p)+g.get((o*k+j)*inner+in))
				}
			}
		}
		return []*Tensor{gx, nil} // the indices take no gradient
	})
}

// Gather picks one entry along axis for every position of the other axes.
// index is an Int64 tensor with x's shape without axis, holding positions
// in [0, x.Dim(axis)); the result has that shape too, and
// result[o, i] = x[o, index[o, i], i] in (outer, axis, inner) terms. For a
// batch of logits [N, C] and labels y [N], Gather(x, 1, y) is x[n, y[n]].
// It is torch.gather(x, axis, index.unsqueeze(axis)).squeeze(axis).
func Gather(x *Tensor, axis int, index *Tensor) *Tensor {
	axis = normAxis("Gather", axis, len(x.shape), x.shape)
	outer, n, inner := split(x.shape, axis)
	shape := reducedShape(x.shape, []int{axis}, false)
	if !slices.Equal(index.shape, shape) && !(len(shape) == 0 && index.Len() == 1) {
		panic(shapeErr("Gather", fmt.Sprintf("index shape must be x's shape without axis %d, %v", axis, shape), x.shape, index.shape))
	}
	ix := slices.Clone(indices("Gather", index, n, "index", x.shape, axis))
	out := allocAny(x.dtype, shape)
	for o := 0; o < outer; o++ {
		for in := 0; in < inner; in++ {
			out.copyRange(o*inner+in, x, (o*n+int(ix[o*inner+in]))*inner+in, 1)
		}
	}
	if !x.dtype.computes() {
		return out
	}
	return record(Op{Kind: OpGather, Axis: axis}, out, []*Tensor{x, index}, func(g *Tensor) []*Tensor {
		gx := alloc(x.dtype, x.shape)
		for o := 0; o < outer; o++ {
			for in := 0; in < inner; in++ {
				gx.copyRange((o*n+int(ix[o*inner+in]))*inner+in, g, o*inner+in, 1)
			}
		}
		return []*Tensor{gx, nil} // the indices take no gradient
	})
}

// OneHot returns a tensor of dtype dt with labels' shape and one more axis
// of size classes, holding 1 at each label and 0 elsewhere: labels [N]
// gives [N, classes]. labels is an Int64 tensor of values in
// [0, classes).
func OneHot(dt DType, labels *Tensor, classes int) *Tensor {
	if classes < 0 {
		panic(shapeErr("OneHot", fmt.Sprintf("negative number of classes %d", classes), labels.shape))
	}
	ls := indices("OneHot", labels, classes, "label", labels.shape, -1)
	out := allocAny(dt, append(labels.Shape(), classes))
	for i, l := range ls {
		out.put(i*classes+int(l), 1)
	}
	return out
}

// Argmax returns the positions of the maxima of x along axis as an Int64
// tensor with x's shape without axis (the first position on ties; a NaN
// counts as the maximum, as in PyTorch). x may have any dtype. It is not
// recorded.
func Argmax(x *Tensor, axis int) *Tensor { return argExtreme("Argmax", x, axis, true) }

// Argmin returns the positions of the minima of x along axis as an Int64
// tensor with x's shape without axis, like Argmax.
func Argmin(x *Tensor, axis int) *Tensor { return argExtreme("Argmin", x, axis, false) }

func argExtreme(op string, x *Tensor, axis int, isMax bool) *Tensor {
	axis = normAxis(op, axis, len(x.shape), x.shape)
	outer, n, inner := split(x.shape, axis)
	if n == 0 {
		panic(shapeErr(op, "reduction over an empty axis", x.shape))
	}
	out := allocAny(Int64, reducedShape(x.shape, []int{axis}, false))
	switch x.dtype {
	case Float32:
		argExtremeT(x.f32, out.i64, outer, n, inner, isMax)
	case Float64:
		argExtremeT(x.f64, out.i64, outer, n, inner, isMax)
	case Int64:
		argExtremeT(x.i64, out.i64, outer, n, inner, isMax)
	default:
		panic(unknownDType(op, x.dtype))
	}
	return out
}

func argExtremeT[T elem](x []T, out []int64, outer, n, inner int, isMax bool) {
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			best, bi := x[o*n*inner+i], 0
			for k := 1; k < n && best == best; k++ { // stop at the first NaN
				v := x[(o*n+k)*inner+i]
				if v != v || (isMax && v > best) || (!isMax && v < best) {
					best, bi = v, k
				}
			}
			out[o*inner+i] = int64(bi)
		}
	}
}
