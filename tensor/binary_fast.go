package tensor

import "github.com/duboko/duboko/internal/kernel"

// Typed loops of the broadcasting binary ops (Add, Sub, Mul, Div, Maximum):
// the same traversal as bcastBinary, with the operation chosen once per row
// instead of a closure called per element. Same-shaped operands run the
// kernel package's vector loops for Add and Mul. The results are the ones
// the closures give, bit for bit (one IEEE operation per element).

// binaryTyped computes out = a kind b with broadcasting (shapes as, bs, os).
func binaryTyped[T float32 | float64](kind OpKind, a, b, out []T, as, bs, os []int) {
	if len(out) == 0 {
		return
	}
	if len(a) == len(out) && len(b) == len(out) {
		kernel.ParallelFor(len(out), ewChunk, func(lo, hi int) { rowVV(kind, a[lo:hi], b[lo:hi], out[lo:hi]) })
		return
	}
	switch {
	case len(b) == 1 && len(a) == len(out):
		rowVS(kind, a, b[0], out)
		return
	case len(a) == 1 && len(b) == len(out):
		rowSV(kind, a[0], b, out)
		return
	}
	inner := os[len(os)-1]
	bcastRows(as, bs, os, len(out), func(o, ia, ib, ia0, ib0 int) {
		row := out[o : o+inner]
		switch {
		case ia0 == 1 && ib0 == 1:
			rowVV(kind, a[ia:ia+inner], b[ib:ib+inner], row)
		case ia0 == 1 && ib0 == 0:
			rowVS(kind, a[ia:ia+inner], b[ib], row)
		case ia0 == 0 && ib0 == 1:
			rowSV(kind, a[ia], b[ib:ib+inner], row)
		default:
			for j := range row {
				row[j] = scalarOp(kind, a[ia+j*ia0], b[ib+j*ib0])
			}
		}
	})
}

// scalarOp is kind on two elements.
func scalarOp[T float32 | float64](kind OpKind, x, y T) T {
	switch kind {
	case OpAdd:
		return x + y
	case OpSub:
		return x - y
	case OpMul:
		return x * y
	case OpDiv:
		return x / y
	}
	return max(x, y)
}

// rowVV sets out[j] = x[j] kind y[j].
func rowVV[T float32 | float64](kind OpKind, x, y, out []T) {
	x, y = x[:len(out)], y[:len(out)]
	switch kind {
	case OpAdd:
		kernel.Add(x, y, out)
	case OpMul:
		kernel.Mul(x, y, out)
	case OpSub:
		for j := range out {
			out[j] = x[j] - y[j]
		}
	case OpDiv:
		for j := range out {
			out[j] = x[j] / y[j]
		}
	default:
		for j := range out {
			out[j] = max(x[j], y[j])
		}
	}
}

// rowVS sets out[j] = x[j] kind s.
func rowVS[T float32 | float64](kind OpKind, x []T, s T, out []T) {
	x = x[:len(out)]
	switch kind {
	case OpAdd:
		for j := range out {
			out[j] = x[j] + s
		}
	case OpMul:
		for j := range out {
			out[j] = x[j] * s
		}
	case OpSub:
		for j := range out {
			out[j] = x[j] - s
		}
	case OpDiv:
		for j := range out {
			out[j] = x[j] / s
		}
	default:
		for j := range out {
			out[j] = max(x[j], s)
		}
	}
}

// rowSV sets out[j] = s kind y[j].
func rowSV[T float32 | float64](kind OpKind, s T, y, out []T) {
	y = y[:len(out)]
	switch kind {
	case OpAdd:
		for j := range out {
			out[j] = s + y[j]
		}
	case OpMul:
		for j := range out {
			out[j] = s * y[j]
		}
	case OpSub:
		for j := range out {
			out[j] = s - y[j]
		}
	case OpDiv:
		for j := range out {
			out[j] = s / y[j]
		}
	default:
		for j := range out {
			out[j] = max(s, y[j])
		}
	}
}
