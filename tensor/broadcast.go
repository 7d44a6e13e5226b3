package tensor

import (
	"fmt"
	"slices"
)

// BroadcastShapes returns the shape that a and b broadcast to under
// NumPy's rules, or panics with a *ShapeError naming op.
func BroadcastShapes(op string, a, b []int) []int {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := 0; i < n; i++ {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db:
			out[i] = da
		case da == 1:
			out[i] = db
		case db == 1:
			out[i] = da
		default:
			panic(shapeErr(op, fmt.Sprintf("cannot broadcast (axis %d: %d vs %d)", i-n, da, db), a, b))
		}
	}
	return out
}

// bcastStrides returns, for a tensor of shape s broadcast to out, the
// element stride of each output axis (0 on broadcast axes).
func bcastStrides(s, out []int) []int {
	st := make([]int, len(out))
	stride := 1
	for i := len(out) - 1; i >= 0; i-- {
		j := len(s) - len(out) + i
		if j < 0 {
			continue
		}
		if s[j] != 1 {
			st[i] = stride
		}
		stride *= s[j]
	}
	return st
}

// bcastBinary computes out[i] = f(a[ia], b[ib]) over the broadcast shape.
func bcastBinary[T elem](a, b, out []T, as, bs, os []int, f func(x, y T) T) {
	if len(out) == 0 {
		return
	}
	if len(os) == 0 {
		out[0] = f(a[0], b[0])
		return
	}
	inner := os[len(os)-1]
	bcastRows(as, bs, os, len(out), func(o, ia, ib, ia0, ib0 int) {
		row := out[o : o+inner]
		switch {
		case ia0 == 1 && ib0 == 1:
			x, y := a[ia:ia+inner], b[ib:ib+inner]
			for j := range row {
				row[j] = f(x[j], y[j])
			}
		case ia0 == 1 && ib0 == 0:
			x, y := a[ia:ia+inner], b[ib]
			for j := range row {
				row[j] = f(x[j], y)
			}
		case ia0 == 0 && ib0 == 1:
			x, y := a[ia], b[ib:ib+inner]
			for j := range row {
				row[j] = f(x, y[j])
			}
		default:
			for j := range row {
				row[j] = f(a[ia+j*ia0], b[ib+j*ib0])
			}
		}
	})
}

// bcastRows walks the broadcast shape os (at least one axis, n elements)
// one innermost row at a time: for the row of the output that starts at o
// it calls row(o, ia, ib, ia0, ib0), with ia and ib the offsets in a and b
// (shapes as and bs) of the row's first operands and ia0, ib0 their strides
// along the row (0 for a broadcast axis, else 1).
func bcastRows(as, bs, os []int, n int, row func(o, ia, ib, ia0, ib0 int)) {
	sa, sb := bcastStrides(as, os), bcastStrides(bs, os)
	nd := len(os)
	inner := os[nd-1]
	ia0, ib0 := sa[nd-1], sb[nd-1]
	var idxBuf [8]int
	idx := idxBuf[:]
	if nd > len(idxBuf) {
		idx = make([]int, nd)
	}
	ia, ib := 0, 0
	for o := 0; o < n; o += inner {
		row(o, ia, ib, ia0, ib0)
		// advance the outer index
		for d := nd - 2; d >= 0; d-- {
			idx[d]++
			ia += sa[d]
			ib += sb[d]
			if idx[d] < os[d] {
				break
			}
			ia -= sa[d] * os[d]
			ib -= sb[d] * os[d]
			idx[d] = 0
		}
	}
}

// SumTo sums t over the axes that were broadcast to reach t's shape from
// shape, returning a tensor of the given shape. It is the adjoint of
// broadcasting and is recorded for autodiff.
func SumTo(t *Tensor, shape []int) *Tensor {
	if slices.Equal(t.shape, shape) {
		return t
	}
	if !slices.Equal(BroadcastShapes("SumTo", shape, t.shape), t.shape) {
		panic(shapeErr("SumTo", "target does not broadcast to the tensor", shape, t.shape))
	}
	lead := len(t.shape) - len(shape)
	var axes []int
	for i := range t.shape {
		if i < lead || (shape[i-lead] == 1 && t.shape[i] != 1) {
			axes = append(axes, i)
		}
	}
	return Reshape(SumKeepDim(t, axes...), shape...)
}
