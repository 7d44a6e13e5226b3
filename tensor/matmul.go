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
//     removed from the result, as in NumPy: [...,m,k]·[k] → [...,m],
//     [k]·[k,n] → [n] and [k]·[k] → [] (the dot product).
//
// Every case records one MatMul op with the operands' own shapes, so a
// matrix-vector product appears in graphs and operation counts as one
// product, not as reshapes around a matrix product.
func MatMul(a, b *Tensor) *Tensor {
	sameDType("MatMul", a, b)
	if len(a.shape) == 0 || len(b.shape) == 0 {
		panic(shapeErr("MatMul", "scalars cannot be multiplied as matrices", a.shape, b.shape))
	}
	// A vector operand takes part as a one-row or one-column matrix: a
	// view of its data, not recorded.
	a2, b2 := a, b
	if len(a.shape) == 1 {
		a2 = a.view([]int{1, a.shape[0]})
	}
	if len(b.shape) == 1 {
		b2 = b.view([]int{b.shape[0], 1})
	}
	out2, bw := matmul(a, b, a2, b2)
	out := out2
	if a2 != a || b2 != b {
		shape := append([]int(nil), out2.shape[:len(out2.shape)-2]...)
		if a2 == a {
			shape = append(shape, out2.shape[len(out2.shape)-2])
		}
		if b2 == b {
			shape = append(shape, out2.shape[len(out2.shape)-1])
		}
		out = out2.view(shape)
	}
	return record(Op{Kind: OpMatMul}, out, []*Tensor{a, b}, func(g *Tensor) []*Tensor {
		ga, gb := bw(g.view(out2.shape), a.requiresGrad, b.requiresGrad)
		if ga != nil && a2 != a {
			ga = ga.view(a.shape)
		}
		if gb != nil && b2 != b {
			gb = gb.view(b.shape)
		}
		return []*Tensor{ga, gb}
	})
}

// matmul multiplies the matrices (or batches of matrices) a2 and b2,
// which are a and b or views of them (a and b name the operands in
// errors), and returns the product with its backward function: the
// gradients with respect to a2 and b2 of those wanted, given the
// product's gradient g.
func matmul(a, b, a2, b2 *Tensor) (*Tensor, func(g *Tensor, wantA, wantB bool) (ga, gb *Tensor)) {
	na, nb := len(a2.shape), len(b2.shape)
	m, k := a2.shape[na-2], a2.shape[na-1]
	k2, n := b2.shape[nb-2], b2.shape[nb-1]
	if k != k2 {
		panic(shapeErr("MatMul", fmt.Sprintf("inner dimensions differ (%d vs %d)", k, k2), a.shape, b.shape))
	}
	dt := a.dtype
	switch {
	case nb == 2:
		rows := a2.Len() / max(k, 1)
		if k == 0 {
			rows = numel(a2.shape[:na-1])
		}
		shape := append(append([]int(nil), a2.shape[:na-1]...), n)
		out := alloc(dt, shape)
		gemm(dt, false, false, 1, rows, n, k, a2, 0, b2, 0, 0, out, 0)
		return out, func(g *Tensor, wantA, wantB bool) (ga, gb *Tensor) {
			if wantA { // dA = G·Bᵀ
				ga = alloc(dt, a2.shape)
				gemm(dt, false, true, 1, rows, k, n, g, 0, b2, 0, 0, ga, 0)
			}
			if wantB { // dB = Aᵀ·G
				gb = alloc(dt, b2.shape)
				gemm(dt, true, false, 1, k, n, rows, a2, 0, g, 0, 0, gb, 0)
			}
			return ga, gb
		}
	case na == nb && slices.Equal(a2.shape[:na-2], b2.shape[:nb-2]):
		batch := numel(a2.shape[:na-2])
		shape := append(append([]int(nil), a2.shape[:na-1]...), n)
		out := alloc(dt, shape)
		gemm(dt, false, false, batch, m, n, k, a2, m*k, b2, k*n, 0, out, m*n)
		return out, func(g *Tensor, wantA, wantB bool) (ga, gb *Tensor) {
			if wantA {
				ga = alloc(dt, a2.shape)
				gemm(dt, false, true, batch, m, k, n, g, m*n, b2, k*n, 0, ga, m*k)
			}
			if wantB {
				gb = alloc(dt, b2.shape)
				gemm(dt, true, false, batch, k, n, m, a2, m*k, g, m*n, 0, gb, k*n)
			}
			return ga, gb
		}
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
		if (x.requiresGrad || w.requiresGrad || b != nil && b.requiresGrad) && GradEnabled() {
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
