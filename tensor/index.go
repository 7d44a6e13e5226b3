package tensor

import "fmt"

// Selections copy elements: no arithmetic, one non-zero per output in the
// Jacobian.
func init() {
	sel := func(sym string) OpDef {
		return OpDef{Symbol: sym, Counts: noCounts, Jacobian: selectionJ, Field: fieldSame}
	}
	declare(OpIndexSelect, sel("select"))
	declare(OpGather, sel("gather"))
}

// IndexSelect picks the entries idx along axis, like torch.index_select.
// Repeated indices are allowed; their gradients add up.
func IndexSelect(x *Tensor, axis int, idx []int) *Tensor {
	axis = normAxis("IndexSelect", axis, len(x.shape), x.shape)
	outer, n, inner := split(x.shape, axis)
	for _, i := range idx {
		if i < 0 || i >= n {
			panic(shapeErr("IndexSelect", fmt.Sprintf("index %d out of range for axis %d", i, axis), x.shape))
		}
	}
	idx = append([]int(nil), idx...)
	shape := append([]int(nil), x.shape...)
	shape[axis] = len(idx)
	out := alloc(x.dtype, shape)
	k := len(idx)
	for o := 0; o < outer; o++ {
		for j, i := range idx {
			for in := 0; in < inner; in++ {
				out.put((o*k+j)*inner+in, x.get((o*n+i)*inner+in))
			}
		}
	}
	return record(Op{Kind: OpIndexSelect, Axis: axis}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		gx := alloc(x.dtype, x.shape)
		for o := 0; o < outer; o++ {
			for j, i := range idx {
				for in := 0; in < inner; in++ {
					p := (o*n+i)*inner + in
					gx.put(p, gx.get(p)+g.get((o*k+j)*inner+in))
				}
			}
		}
		return []*Tensor{gx}
	})
}

// Gather picks one entry along axis for every position of the other axes:
// the result has x's shape without axis, and
// result[o, i] = x[o, index[o*inner+i], i] in (outer, axis, inner) terms.
// For a batch of logits [N, C] and labels y, Gather(x, 1, y) is x[n, y[n]].
func Gather(x *Tensor, axis int, index []int) *Tensor {
	axis = normAxis("Gather", axis, len(x.shape), x.shape)
	outer, n, inner := split(x.shape, axis)
	if len(index) != outer*inner {
		panic(shapeErr("Gather", fmt.Sprintf("%d indices for %d positions", len(index), outer*inner), x.shape))
	}
	for _, i := range index {
		if i < 0 || i >= n {
			panic(shapeErr("Gather", fmt.Sprintf("index %d out of range for axis %d", i, axis), x.shape))
		}
	}
	index = append([]int(nil), index...)
	out := alloc(x.dtype, reducedShape(x.shape, []int{axis}, false))
	for o := 0; o < outer; o++ {
		for in := 0; in < inner; in++ {
			out.put(o*inner+in, x.get((o*n+index[o*inner+in])*inner+in))
		}
	}
	return record(Op{Kind: OpGather, Axis: axis}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		gx := alloc(x.dtype, x.shape)
		for o := 0; o < outer; o++ {
			for in := 0; in < inner; in++ {
				gx.put((o*n+index[o*inner+in])*inner+in, g.get(o*inner+in))
			}
		}
		return []*Tensor{gx}
	})
}

// OneHot returns a [len(labels), classes] tensor of dtype dt with ones at
// the labels.
func OneHot(dt DType, labels []int, classes int) *Tensor {
	out := alloc(dt, []int{len(labels), classes})
	for i, l := range labels {
		if l < 0 || l >= classes {
			panic(shapeErr("OneHot", fmt.Sprintf("label %d out of range for %d classes", l, classes), []int{len(labels)}))
		}
		out.put(i*classes+l, 1)
	}
	return out
}
