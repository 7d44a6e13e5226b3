package tensor

import "math"

// Softmax along an axis of n values: per element one exp and one division,
// per row n−1 additions. Log-softmax x − log Σ exp x: n exps, n−1
// additions and one log per row, n subtractions. Each output depends on
// its row: the Jacobian is dense for one row, block-diagonal (n×n blocks)
// along the last axis, and the same n non-zeros per output otherwise.
func init() {
	rows := func(op *Op, out []int) int64 {
		if len(out) == 0 || out[op.Axis] == 0 {
			return 1
		}
		return int64(numel(out) / out[op.Axis])
	}
	jac := func(op *Op, out []int, _ [][]int, _ int) Structure {
		n := numel(out)
		if len(out) == 0 || n == out[op.Axis] {
			return NewStructure(StructDense, n, n, 0)
		}
		nnz := int64(n) * int64(out[op.Axis])
		if op.Axis == len(out)-1 {
			return NewStructure(StructBlockDiagonal, n, n, nnz)
		}
		return covering(NewStructure(StructSparse, n, n, nnz))
	}
	field := func(op *Op, _ []int, ins [][]int) FieldRule { return fieldAlong(ins[0], op.Axis) }
	declare(OpSoftmax, OpDef{Symbol: "softmax", Jacobian: jac, Field: field,
		Counts: func(op *Op, out []int, _ [][]int) Counts {
			n, r := int64(numel(out)), rows(op, out)
			return Counts{Mul: n, Add: n - r, Other: n}
		}})
	declare(OpLogSoftmax, OpDef{Symbol: "logsoftmax", Jacobian: jac, Field: field,
		Counts: func(op *Op, out []int, _ [][]int) Counts {
			n, r := int64(numel(out)), rows(op, out)
			return Counts{Add: 2*n - r, Other: n + r}
		}})
}

// Softmax returns exp(x)/Σexp(x) along axis, computed stably by first
// subtracting the maximum.
func Softmax(x *Tensor, axis int) *Tensor {
	axis = normAxis("Softmax", axis, len(x.shape), x.shape)
	out := softmaxRaw(x, axis, false)
	return record(Op{Kind: OpSoftmax, Axis: axis}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		// dx = y ⊙ (g - Σ(g ⊙ y))
		s := sumAxis(mapBinaryNoGrad(g, out, func(a, b float64) float64 { return a * b }), axis)
		return []*Tensor{Mul(out, Sub(g, s))}
	})
}

// LogSoftmax returns x - log Σexp(x) along axis, computed stably.
func LogSoftmax(x *Tensor, axis int) *Tensor {
	axis = normAxis("LogSoftmax", axis, len(x.shape), x.shape)
	out := softmaxRaw(x, axis, true)
	return record(Op{Kind: OpLogSoftmax, Axis: axis}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		// dx = g - softmax(x) Σg
		sm := mapUnary(out, math.Exp)
		return []*Tensor{Sub(g, Mul(sm, sumAxis(g, axis)))}
	})
}

// LogSumExp returns log Σexp(x) along axis, removing it.
func LogSumExp(x *Tensor, axis int) *Tensor { return logSumExp(x, axis, false) }

// LogSumExpKeepDim is LogSumExp keeping the axis with size 1.
func LogSumExpKeepDim(x *Tensor, axis int) *Tensor { return logSumExp(x, axis, true) }

func logSumExp(x *Tensor, axis int, keepDim bool) *Tensor {
	axis = normAxis("LogSumExp", axis, len(x.shape), x.shape)
	m, _ := MaxKeepDim(x.Detach(), axis)
	s := Add(Log(SumKeepDim(Exp(Sub(x, m)), axis)), m)
	if !keepDim {
		s = Squeeze(s, axis)
	}
	return s
}

func softmaxRaw(x *Tensor, axis int, logOut bool) *Tensor {
	outer, n, inner := split(x.shape, axis)
	out := alloc(x.dtype, x.shape)
	if x.dtype == Float64 {
		softmaxT(x.f64, out.f64, outer, n, inner, logOut)
	} else {
		softmaxT(x.f32, out.f32, outer, n, inner, logOut)
	}
	return out
}

func softmaxT[T Float](x, out []T, outer, n, inner int, logOut bool) {
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			base := o*n*inner + i
			m := math.Inf(-1)
			for k := 0; k < n; k++ {
				m = math.Max(m, float64(x[base+k*inner]))
			}
			var s float64
			for k := 0; k < n; k++ {
				s += math.Exp(float64(x[base+k*inner]) - m)
			}
			ls := math.Log(s)
			for k := 0; k < n; k++ {
				v := float64(x[base+k*inner]) - m - ls
				if !logOut {
					v = math.Exp(v)
				}
				out[base+k*inner] = T(v)
			}
		}
	}
}
