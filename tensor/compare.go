package tensor

import "fmt"

type cmpKind uint8

const (
	cmpEq cmpKind = iota
	cmpNe
	cmpGt
	cmpGe
	cmpLt
	cmpLe
)

// cmpFunc returns the comparison k as a function giving 1 or 0 in T.
func cmpFunc[T elem](k cmpKind) func(x, y T) T {
	b := func(c bool) T {
		if c {
			return 1
		}
		return 0
	}
	switch k {
	case cmpEq:
		return func(x, y T) T { return b(x == y) }
	case cmpNe:
		return func(x, y T) T { return b(x != y) }
	case cmpGt:
		return func(x, y T) T { return b(x > y) }
	case cmpGe:
		return func(x, y T) T { return b(x >= y) }
	case cmpLt:
		return func(x, y T) T { return b(x < y) }
	}
	return func(x, y T) T { return b(x <= y) }
}

func compare(op string, k cmpKind, a, b *Tensor) *Tensor {
	sameDTypeAny(op, a, b)
	os := BroadcastShapes(op, a.shape, b.shape)
	out := allocAny(a.dtype, os)
	switch a.dtype {
	case Float32:
		bcastBinary(a.f32, b.f32, out.f32, a.shape, b.shape, os, cmpFunc[float32](k))
	case Float64:
		bcastBinary(a.f64, b.f64, out.f64, a.shape, b.shape, os, cmpFunc[float64](k))
	case Int64:
		bcastBinary(a.i64, b.i64, out.i64, a.shape, b.shape, os, cmpFunc[int64](k))
	default:
		panic(unknownDType(op, a.dtype))
	}
	return out
}

// Equal returns 1 where a == b and 0 elsewhere, with broadcasting, in the
// operands' dtype (NaN equals nothing).
//
// Comparisons (Equal, NotEqual, Greater, GreaterEqual, Less, LessEqual)
// need operands of one dtype and return a mask of 0s and 1s in that dtype,
// not a boolean dtype as PyTorch does. This keeps user code short in the
// common cases: a float mask multiplies straight into float arithmetic
// (Mul(g, Greater(x, zero))), an Int64 comparison of predictions with
// labels stays Int64, and either kind is a valid condition for Where,
// which treats any nonzero value as true. Convert with To for a count or a
// mean: Mean(To(Equal(Argmax(logits, 1), labels), Float32)) is the
// accuracy. Comparisons are not recorded for automatic differentiation:
// their derivative is zero wherever it exists, so their results are
// constants (PyTorch's boolean results have no gradient either).
func Equal(a, b *Tensor) *Tensor { return compare("Equal", cmpEq, a, b) }

// NotEqual returns 1 where a != b and 0 elsewhere, with broadcasting, in
// the operands' dtype (NaN differs from everything).
func NotEqual(a, b *Tensor) *Tensor { return compare("NotEqual", cmpNe, a, b) }

// Greater returns 1 where a > b and 0 elsewhere, with broadcasting, in the
// operands' dtype.
func Greater(a, b *Tensor) *Tensor { return compare("Greater", cmpGt, a, b) }

// GreaterEqual returns 1 where a >= b and 0 elsewhere, with broadcasting,
// in the operands' dtype.
func GreaterEqual(a, b *Tensor) *Tensor { return compare("GreaterEqual", cmpGe, a, b) }

// Less returns 1 where a < b and 0 elsewhere, with broadcasting, in the
// operands' dtype.
func Less(a, b *Tensor) *Tensor { return compare("Less", cmpLt, a, b) }

// LessEqual returns 1 where a <= b and 0 elsewhere, with broadcasting, in
// the operands' dtype.
func LessEqual(a, b *Tensor) *Tensor { return compare("LessEqual", cmpLe, a, b) }

// Sign returns -1, 0 or 1 by the sign of each element, in x's dtype (NaN
// gives 0, as in PyTorch). It is not recorded for autodiff: its derivative
// is zero wherever it exists.
func Sign(x *Tensor) *Tensor {
	out := allocAny(x.dtype, x.shape)
	switch x.dtype {
	case Float32:
		signT(x.f32, out.f32)
	case Float64:
		signT(x.f64, out.f64)
	case Int64:
		signT(x.i64, out.i64)
	default:
		panic(unknownDType("Sign", x.dtype))
	}
	return out
}

func signT[T elem](x, out []T) {
	for i, v := range x {
		switch {
		case v > 0:
			out[i] = 1
		case v < 0:
			out[i] = -1
		}
	}
}

// Where copies one element per output (one selection each). Its Jacobian
// with respect to a (or b) has at most one non-zero per output element: on
// the diagonal when that input has the output's size, where the condition
// picks it; a sparse pattern when it is broadcast.
func init() {
	declare(OpWhere, OpDef{Symbol: "where", Counts: perElement(Counts{Other: 1}), Field: fieldSame,
		Jacobian: func(_ *Op, out []int, ins [][]int, i int) Structure {
			no, ni := numel(out), numel(ins[i])
			if no == ni {
				return NewStructure(StructDiagonal, no, ni, 0)
			}
			s := NewStructure(StructSparse, no, ni, int64(no))
			s.Bound = true
			return s
		}})
}

// Where returns a where cond is nonzero and b elsewhere, with cond, a and
// b broadcast together under NumPy's rules, as torch.where. cond may have
// any dtype (a comparison's mask, typically); a and b must share one, which
// is the result's. Where is recorded: the gradient flows to a where cond
// holds and to b elsewhere (summed over broadcast axes), never to cond.
func Where(cond, a, b *Tensor) *Tensor {
	sameDTypeAny("Where", a, b)
	os := BroadcastShapes("Where", BroadcastShapes("Where", cond.shape, a.shape), b.shape)
	mask := make([]bool, numel(os))
	forBroadcast(os, [][]int{cond.shape}, func(o int, at []int) { mask[o] = cond.get(at[0]) != 0 })
	out := allocAny(a.dtype, os)
	forBroadcast(os, [][]int{a.shape, b.shape}, func(o int, at []int) {
		if mask[o] {
			out.copyRange(o, a, at[0], 1)
		} else {
			out.copyRange(o, b, at[1], 1)
		}
	})
	if !a.dtype.computes() {
		return out
	}
	return record(Op{Kind: OpWhere}, out, []*Tensor{a, b}, func(g *Tensor) []*Tensor {
		var ga, gb *Tensor
		if a.requiresGrad {
			ga = SumTo(maskGrad(g, mask, true), a.shape)
		}
		if b.requiresGrad {
			gb = SumTo(maskGrad(g, mask, false), b.shape)
		}
		return []*Tensor{ga, gb}
	})
}

// maskGrad returns g where mask is keep and 0 elsewhere.
func maskGrad(g *Tensor, mask []bool, keep bool) *Tensor {
	out := alloc(g.dtype, g.shape)
	for i, m := range mask {
		if m == keep {
			out.copyRange(i, g, i, 1)
		}
	}
	return out
}

// forBroadcast calls f for every flat position o of shape os with, for each
// of the given input shapes (which broadcast to os), the flat position in
// that input that broadcasting reads.
func forBroadcast(os []int, ins [][]int, f func(o int, at []int)) {
	n := numel(os)
	if n == 0 {
		return
	}
	strides := make([][]int, len(ins))
	for i, s := range ins {
		if len(s) > len(os) {
			panic(shapeErr("broadcast", fmt.Sprintf("%v has more axes than %v", s, os), s, os))
		}
		strides[i] = bcastStrides(s, os)
	}
	idx := make([]int, len(os))
	at := make([]int, len(ins))
	for o := 0; o < n; o++ {
		f(o, at)
		for d := len(os) - 1; d >= 0; d-- {
			idx[d]++
			for i := range at {
				at[i] += strides[i][d]
			}
			if idx[d] < os[d] {
				break
			}
			for i := range at {
				at[i] -= strides[i][d] * os[d]
			}
			idx[d] = 0
		}
	}
}
