package tensor

import (
	"fmt"
	"slices"

	"github.com/duboko/duboko/internal/kernel"
)

// gemm computes, for each of batch matrices, C = op(A)·op(B) + beta·C using
// the kernel package. Strides of 0 broadcast a matrix over the batch.
// Every matrix multiplication in this package goes through here.
func gemm(dt DType, transA, transB bool, batch, m, n, k int, a *Tensor, sa int, b *Tensor, sb int, beta float64, c *Tensor, sc int) {
	lda, ldb := k, n
	if transA {
		lda = m
	}
	if transB {
		ldb = k
	}
	if batch == 1 {
		if dt == Float64 {
			kernel.Dgemm(transA, transB, m, n, k, 1, a.f64, lda, b.f64, ldb, beta, c.f64, n)
		} else {
			kernel.Sgemm(transA, transB, m, n, k, 1, a.f32, lda, b.f32, ldb, float32(beta), c.f32, n)
		}
		return
	}
	if dt == Float64 {
		kernel.DgemmBatched(transA, transB, batch, m, n, k, 1, a.f64, lda, sa, b.f64, ldb, sb, beta, c.f64, n, sc)
	} else {
		kernel.SgemmBatched(transA, transB, batch, m, n, k, 1, a.f32, lda, sa, b.f32, ldb, sb, float32(beta), c.f32, n, sc)
	}
}

// Matrix products: each output is a dot product of length k (k
// multiplications, k−1 additions), plus one addition for a bias, plus one
// comparison for a fused ReLU. ∂y/∂a has k non-zeros per output row (one
// row of a), as has ∂y/∂b (one column of b); for Linear, ∂y/∂x is one
// dense out×in block (W) per sample and ∂y/∂W has in non-zeros per output.
// Every output sees every input position (FieldAll).
func init() {
	declare(OpMatMul, OpDef{Symbol: "·", Field: fieldAll,
		Counts: func(_ *Op, out []int, ins [][]int) Counts {
			k := int64(ins[0][len(ins[0])-1])
			n := int64(numel(out))
			return Counts{Mul: n * k, Add: n * (k - 1)}
		},
		Jacobian: func(_ *Op, out []int, ins [][]int, i int) Structure {
			no, ni := numel(out), numel(ins[i])
			k := ins[0][len(ins[0])-1] // each output reads one row of a and one column of b
			if ni == k {
				return NewStructure(StructDense, no, ni, 0)
			}
			return covering(NewStructure(StructSparse, no, ni, int64(no)*int64(k)))
		}})
	linearCounts := func(relu bool) func(*Op, []int, [][]int) Counts {
		return func(_ *Op, out []int, ins [][]int) Counts {
			in := int64(ins[1][1])
			n := int64(numel(out))
			c := Counts{Mul: n * in, Add: n * (in - 1)}
			if len(ins) > 2 && ins[2] != nil {
				c.Add += n
			}
			if relu {
				c.Other += n
			}
			return c
		}
	}
	linearJ := func(_ *Op, out []int, ins [][]int, i int) Structure {
		batch, o, in := out[0], out[1], ins[1][1]
		no, ni := numel(out), numel(ins[i])
		switch i {
		case 0: // ∂y/∂x: one dense o×in block (W) per sample
			if batch == 1 {
				return NewStructure(StructDense, no, ni, 0)
			}
			return NewStructure(StructBlockDiagonal, no, ni, int64(batch*o*in))
		case 1: // ∂y/∂W: y[n,j] depends on row j of W only
			return covering(NewStructure(StructSparse, no, ni, int64(batch*o*in)))
		}
		if batch == 1 { // ∂y/∂b
			return NewStructure(StructIdentity, no, ni, 0)
		}
		return covering(NewStructure(StructSparse, no, ni, int64(no)))
	}
	declare(OpLinear, OpDef{Symbol: "Wx+b", Counts: linearCounts(false), Jacobian: linearJ, Field: fieldAll})
	declare(OpLinearReLU, OpDef{Symbol: "ReLU(Wx+b)", Counts: linearCounts(true), Jacobian: linearJ, Field: fieldAll})
}

// MatMul returns the matrix product of a and b:
//   - [m,k]·[k,n] → [m,n];
//   - [...,m,k]·[k,n] → [...,m,n] (b shared by every leading index);
//   - [B...,m,k]·[B...,k,n] → [B...,m,n] (batched, equal batch shapes);
//   - a 1-D a is a row vector and a 1-D b a column vector, whose axis is
//     removed from the result, as in NumPy.
func MatMul(a, b *Tensor) *Tensor {
	sameDType("MatMul", a, b)
	if len(a.shape) == 0 || len(b.shape) == 0 {
		panic(shapeErr("MatMul", "scalars cannot be multiplied as matrices", a.shape, b.shape))
	}
	if len(a.shape) == 1 && len(b.shape) == 1 {
		return Reshape(MatMul(Unsqueeze(a, 0), Unsqueeze(b, 1))) // dot product, a scalar
	}
	if len(a.shape) == 1 {
		return Squeeze(MatMul(Unsqueeze(a, 0), b), -2)
	}
	if len(b.shape) == 1 {
		return Squeeze(MatMul(a, Unsqueeze(b, 1)), -1)
	}
	na, nb := len(a.shape), len(b.shape)
	m, k := a.shape[na-2], a.shape[na-1]
	k2, n := b.shape[nb-2], b.shape[nb-1]
	if k != k2 {
		panic(shapeErr("MatMul", fmt.Sprintf("inner dimensions differ (%d vs %d)", k, k2), a.shape, b.shape))
	}
	switch {
	case nb == 2:
		rows := a.Len() / max(k, 1)
		if k == 0 {
			rows = numel(a.shape[:na-1])
		}
		shape := append(append([]int(nil), a.shape[:na-1]...), n)
		out := alloc(a.dtype, shape)
		gemm(a.dtype, false, false, 1, rows, n, k, a, 0, b, 0, 0, out, 0)
		return record(Op{Kind: OpMatMul}, out, []*Tensor{a, b}, func(g *Tensor) []*Tensor {
			var ga, gb *Tensor
			if a.requiresGrad { // dA = G·Bᵀ
				ga = alloc(a.dtype, a.shape)
				gemm(a.dtype, false, true, 1, rows, k, n, g, 0, b, 0, 0, ga, 0)
			}
			if b.requiresGrad { // dB = Aᵀ·G
				gb = alloc(b.dtype, b.shape)
				gemm(a.dtype, true, false, 1, k, n, rows, a, 0, g, 0, 0, gb, 0)
			}
			return []*Tensor{ga, gb}
		})
	case na == nb && slices.Equal(a.shape[:na-2], b.shape[:nb-2]):
		batch := numel(a.shape[:na-2])
		shape := append(append([]int(nil), a.shape[:na-1]...), n)
		out := alloc(a.dtype, shape)
		gemm(a.dtype, false, false, batch, m, n, k, a, m*k, b, k*n, 0, out, m*n)
		return record(Op{Kind: OpMatMul}, out, []*Tensor{a, b}, func(g *Tensor) []*Tensor {
			var ga, gb *Tensor
			if a.requiresGrad {
				ga = alloc(a.dtype, a.shape)
				gemm(a.dtype, false, true, batch, m, k, n, g, m*n, b, k*n, 0, ga, m*k)
			}
			if b.requiresGrad {
				gb = alloc(b.dtype, b.shape)
				gemm(a.dtype, true, false, batch, k, n, m, a, m*k, g, m*n, 0, gb, k*n)
			}
			return []*Tensor{ga, gb}
		})
	}
	panic(shapeErr("MatMul", "batch dimensions differ", a.shape, b.shape))
}

// Linear returns x·wᵀ + b for x [N,in], w [out,in] and b [out] (b may be
// nil): the affine map of a fully connected layer, fused into one op.
func Linear(x, w, b *Tensor) *Tensor { return linear("Linear", nil, x, w, b, false) }

// LinearReLU returns ReLU(Linear(x, w, b)) as one op: the product adds the
// bias and clamps each block of the result while it is still in cache,
// instead of in two more passes over a separate tensor. Its gradients equal
// those of the two ops composed (the ReLU's derivative at 0 is 0).
func LinearReLU(x, w, b *Tensor) *Tensor { return linear("LinearReLU", nil, x, w, b, true) }

// LinearReLUInto computes LinearReLU(x, w, b) into dst, a [N,out] tensor
// of x's dtype, and returns dst. It lets inference reuse one buffer across
// calls instead of allocating (and zeroing) a fresh result each time; the
// caller must know that nothing still reads dst's old values, including
// views of it. It records no gradient, so it panics with a GradError while
// gradients are recorded for an input that requires them: use it inside
// NoGrad.
func LinearReLUInto(dst, x, w, b *Tensor) *Tensor {
	if dst == nil {
		panic(&GradError{Op: "LinearReLUInto", Msg: "nil destination"})
	}
	return linear("LinearReLUInto", dst, x, w, b, true)
}

// linear is Linear, followed by a ReLU when relu is set, into dst when it
// is not nil (without recording) or into a new tensor.
func linear(op string, dst, x, w, b *Tensor, relu bool) *Tensor {
	ins := []*Tensor{x, w}
	if b != nil {
		sameDType(op, x, w, b)
		ins = append(ins, b)
	} else {
		sameDType(op, x, w)
	}
	if len(x.shape) != 2 || len(w.shape) != 2 || x.shape[1] != w.shape[1] {
		panic(shapeErr(op, "want x [N,in] and weight [out,in]", x.shape, w.shape))
	}
	nb, in, out := x.shape[0], w.shape[1], w.shape[0]
	if b != nil && (len(b.shape) != 1 || b.shape[0] != out) {
		panic(shapeErr(op, "bias must be [out]", w.shape, b.shape))
	}
	var y *Tensor
	if dst == nil {
		y = alloc(x.dtype, []int{nb, out})
	} else {
		sameDType(op, x, dst)
		if len(dst.shape) != 2 || dst.shape[0] != nb || dst.shape[1] != out {
			panic(shapeErr(op, fmt.Sprintf("destination must be [%d,%d]", nb, out), x.shape, w.shape, dst.shape))
		}
		if GradEnabled() && (x.requiresGrad || w.requiresGrad || b != nil && b.requiresGrad) {
			panic(&GradError{Op: op, Msg: "records no gradient; call it inside NoGrad"})
		}
		y = dst
	}
	// The product's epilogue adds the bias (and applies the ReLU) block by
	// block; beta = 0 ignores y's contents.
	if x.dtype == Float64 {
		ep := kernel.Epilogue[float64]{ReLU: relu}
		if b != nil {
			ep.Bias = b.f64
		}
		kernel.GemmEpilogue(false, true, nb, out, in, 1, x.f64, in, w.f64, in, 0, y.f64, out, ep)
	} else {
		ep := kernel.Epilogue[float32]{ReLU: relu}
		if b != nil {
			ep.Bias = b.f32
		}
		kernel.GemmEpilogue(false, true, nb, out, in, 1, x.f32, in, w.f32, in, 0, y.f32, out, ep)
	}
	if dst != nil {
		return y
	}
	kind := OpLinear
	if relu {
		kind = OpLinearReLU
	}
	return record(Op{Kind: kind}, y, ins, func(g *Tensor) []*Tensor {
		if relu { // route the gradient through the ReLU: y > 0 exactly where x·wᵀ+b > 0
			g = reluBackward(y, g)
		}
		gs := make([]*Tensor, len(ins))
		if x.requiresGrad { // dx = G·W
			gs[0] = alloc(x.dtype, x.shape)
			gemm(x.dtype, false, false, 1, nb, in, out, g, 0, w, 0, 0, gs[0], 0)
		}
		if w.requiresGrad { // dW = Gᵀ·x
			gs[1] = gradAlloc(w)
			gemm(x.dtype, true, false, 1, out, in, nb, g, 0, x, 0, 0, gs[1], 0)
		}
		if b != nil && b.requiresGrad { // db = Σ_rows G
			gs[2] = Reshape(sumAxis(g, 0), out)
		}
		return gs
	})
}
