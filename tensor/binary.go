package tensor

// Broadcasting binary ops: one scalar operation per output element; the
// Jacobian with respect to an input of the output's size is the identity
// (Add, and Sub's first input) or diagonal, with respect to a broadcast
// input a sparse pattern with one non-zero per output element (dense for a
// scalar).
func init() {
	binaryDef := func(sym string, per Counts, same [2]StructKind) OpDef {
		return OpDef{Symbol: sym, Counts: perElement(per), Field: fieldSame,
			Jacobian: func(_ *Op, out []int, ins [][]int, i int) Structure {
				no, ni := numel(out), numel(ins[i])
				switch {
				case no == ni:
					return NewStructure(same[i], no, ni, 0)
				case ni == 1:
					return NewStructure(StructDense, no, 1, 0)
				}
				return covering(NewStructure(StructSparse, no, ni, int64(no))) // each output reads one element
			}}
	}
	declare(OpAdd, binaryDef("+", Counts{Add: 1}, [2]StructKind{StructIdentity, StructIdentity}))
	declare(OpSub, binaryDef("−", Counts{Add: 1}, [2]StructKind{StructIdentity, StructDiagonal}))
	declare(OpMul, binaryDef("⊙", Counts{Mul: 1}, [2]StructKind{StructDiagonal, StructDiagonal}))
	declare(OpDiv, binaryDef("/", Counts{Mul: 1}, [2]StructKind{StructDiagonal, StructDiagonal}))
	declare(OpMaximum, binaryDef("max", Counts{Other: 1}, [2]StructKind{StructDiagonal, StructDiagonal}))
}

// binary applies kind element-wise with broadcasting (binaryTyped) and
// records backward.
func binary(kind OpKind, a, b *Tensor, bw func(g, out *Tensor, needA, needB bool) (*Tensor, *Tensor)) *Tensor {
	op := kind.String()
	sameDType(op, a, b)
	os := BroadcastShapes(op, a.shape, b.shape)
	out := alloc(a.dtype, os)
	if a.dtype == Float64 {
		binaryTyped(kind, a.f64, b.f64, out.f64, a.shape, b.shape, os)
	} else {
		binaryTyped(kind, a.f32, b.f32, out.f32, a.shape, b.shape, os)
	}
	return record(Op{Kind: kind}, out, []*Tensor{a, b}, func(g *Tensor) []*Tensor {
		ga, gb := bw(g, out, a.requiresGrad, b.requiresGrad)
		var ra, rb *Tensor
		if ga != nil && a.requiresGrad {
			ra = SumTo(ga, a.shape)
		}
		if gb != nil && b.requiresGrad {
			rb = SumTo(gb, b.shape)
		}
		return []*Tensor{ra, rb}
	})
}

// Add returns a+b with broadcasting.
func Add(a, b *Tensor) *Tensor {
	return binary(OpAdd, a, b,
		func(g, _ *Tensor, _, _ bool) (*Tensor, *Tensor) { return g, g })
}

// Sub returns a-b with broadcasting.
func Sub(a, b *Tensor) *Tensor {
	return binary(OpSub, a, b,
		func(g, _ *Tensor, _, needB bool) (ga, gb *Tensor) {
			if needB {
				gb = Neg(g)
			}
			return g, gb
		})
}

// Mul returns the element-wise product a*b with broadcasting.
func Mul(a, b *Tensor) *Tensor {
	return binary(OpMul, a, b,
		func(g, _ *Tensor, needA, needB bool) (ga, gb *Tensor) {
			if needA {
				ga = Mul(g, b)
			}
			if needB {
				gb = Mul(g, a)
			}
			return ga, gb
		})
}

// Div returns the element-wise quotient a/b with broadcasting.
func Div(a, b *Tensor) *Tensor {
	return binary(OpDiv, a, b,
		func(g, out *Tensor, needA, needB bool) (ga, gb *Tensor) {
			if needA {
				ga = Div(g, b)
			}
			if needB { // d(a/b)/db = -a/b² = -out/b
				gb = Neg(Div(Mul(g, out), b))
			}
			return ga, gb
		})
}

// Maximum returns the element-wise maximum with broadcasting; where a == b
// the gradient is split equally, as in PyTorch.
func Maximum(a, b *Tensor) *Tensor {
	return binary(OpMaximum, a, b,
		func(g, _ *Tensor, _, _ bool) (*Tensor, *Tensor) {
			wa := binaryNoGrad(a, b, func(x, y float64) float64 {
				switch {
				case x > y:
					return 1
				case x == y:
					return 0.5
				}
				return 0
			})
			return Mul(g, wa), Mul(g, Sub(FullOf(wa.dtype, 1), wa))
		})
}

// binaryNoGrad computes f with broadcasting without recording.
func binaryNoGrad(a, b *Tensor, f func(x, y float64) float64) *Tensor {
	os := BroadcastShapes("binary", a.shape, b.shape)
	out := alloc(a.dtype, os)
	if a.dtype == Float64 {
		bcastBinary(a.f64, b.f64, out.f64, a.shape, b.shape, os, f)
	} else {
		bcastBinary(a.f32, b.f32, out.f32, a.shape, b.shape, os, func(x, y float32) float32 { return float32(f(float64(x), float64(y))) })
	}
	return out
}

// AddScalar returns x+c.
func AddScalar(x *Tensor, c float64) *Tensor { return Add(x, FullOf(x.dtype, c)) }

// MulScalar returns x*c.
func MulScalar(x *Tensor, c float64) *Tensor { return Mul(x, FullOf(x.dtype, c)) }
