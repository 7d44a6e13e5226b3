package tensor

import (
	"math"

	"github.com/duboko/duboko/internal/kernel"
)

// mapUnary applies f to every element into a new tensor.
func mapUnary(x *Tensor, f func(float64) float64) *Tensor {
	out := alloc(x.dtype, x.shape)
	if x.dtype == Float64 {
		for i, v := range x.f64 {
			out.f64[i] = f(v)
		}
	} else {
		for i, v := range x.f32 {
			out.f32[i] = float32(f(float64(v)))
		}
	}
	return out
}

// mapBinaryNoGrad computes f(x[i], y[i]) for same-shaped x and y.
func mapBinaryNoGrad(x, y *Tensor, f func(a, b float64) float64) *Tensor {
	out := alloc(x.dtype, x.shape)
	if x.dtype == Float64 {
		for i, v := range x.f64 {
			out.f64[i] = f(v, y.f64[i])
		}
	} else {
		for i, v := range x.f32 {
			out.f32[i] = float32(f(float64(v), float64(y.f32[i])))
		}
	}
	return out
}

// ewChunk is the smallest number of elements per worker for the vector
// element-wise loops: below it one core is faster than two.
const ewChunk = 1 << 15

// Element-wise unary ops: diagonal Jacobians, the same receptive field,
// and one function evaluation (Other) per element except for the
// arithmetic ones (Neg: nothing, Square: one product).
func init() {
	unary := func(sym string, per Counts) OpDef {
		return OpDef{Symbol: sym, Counts: perElement(per), Jacobian: diagonalJ, Field: fieldSame}
	}
	eval := Counts{Other: 1}
	declare(OpNeg, unary("−", Counts{}))
	declare(OpAbs, unary("abs", eval))
	declare(OpExp, unary("exp", eval))
	declare(OpLog, unary("log", eval))
	declare(OpSqrt, unary("√", eval))
	declare(OpPow, unary("pow", eval))
	declare(OpSquare, unary("²", Counts{Mul: 1}))
	declare(OpClamp, unary("clamp", eval))
	declare(OpReLU, unary("ReLU", eval))
	declare(OpLeakyReLU, unary("LeakyReLU", eval))
	declare(OpSigmoid, unary("σ", eval))
	declare(OpTanh, unary("tanh", eval))
	declare(OpSoftplus, unary("softplus", eval))
	declare(OpLogSigmoid, unary("logσ", eval))
}

// unaryOp builds an element-wise op whose derivative is df(x, y), where y is
// the op's output.
func unaryOp(op Op, x *Tensor, f func(float64) float64, df func(x, y float64) float64) *Tensor {
	out := mapUnary(x, f)
	return record(op, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		return []*Tensor{unaryGrad(x, out, g, df)}
	})
}

// unaryGrad returns g ⊙ df(x, y) in one pass: the derivative is rounded to
// the dtype before the product, as a separate derivative tensor would be.
func unaryGrad(x, y, g *Tensor, df func(x, y float64) float64) *Tensor {
	dx := alloc(g.dtype, g.shape)
	if g.dtype == Float64 {
		gs, xs, ys := g.f64, x.f64[:len(g.f64)], y.f64[:len(g.f64)]
		for i, gi := range gs {
			dx.f64[i] = gi * df(xs[i], ys[i])
		}
		return dx
	}
	gs, xs, ys := g.f32, x.f32[:len(g.f32)], y.f32[:len(g.f32)]
	for i, gi := range gs {
		dx.f32[i] = gi * float32(df(float64(xs[i]), float64(ys[i])))
	}
	return dx
}

// kernel32 applies the float32 kernel f (dst, x) to x into a new tensor,
// in chunks over the workers.
func kernel32(x *Tensor, f func(dst, x []float32)) *Tensor {
	out := alloc(Float32, x.shape)
	kernel.ParallelFor(x.Len(), ewChunk, func(lo, hi int) { f(out.f32[lo:hi], x.f32[lo:hi]) })
	return out
}

// Neg returns -x.
func Neg(x *Tensor) *Tensor {
	out := alloc(x.dtype, x.shape)
	if x.dtype == Float64 {
		negInto(out.f64, x.f64)
	} else {
		negInto(out.f32, x.f32)
	}
	return record(Op{Kind: OpNeg}, out, []*Tensor{x}, func(g *Tensor) []*Tensor { return []*Tensor{Neg(g)} })
}

// negInto sets dst = -x.
func negInto[T float32 | float64](dst, x []T) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = -v
	}
}

// Abs returns |x|; its derivative at 0 is taken as 0.
func Abs(x *Tensor) *Tensor {
	return unaryOp(Op{Kind: OpAbs}, x, math.Abs, func(x, _ float64) float64 { return sign(x) })
}

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// Exp returns e^x. Float32 runs kernel.Exp32 (within 3 units in the last
// place); its backward is g ⊙ e^x in one vector pass.
func Exp(x *Tensor) *Tensor {
	if x.dtype != Float32 {
		return unaryOp(Op{Kind: OpExp}, x, math.Exp, func(_, y float64) float64 { return y })
	}
	out := kernel32(x, kernel.Exp32)
	return record(Op{Kind: OpExp}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		return []*Tensor{mulSame32(g, out)}
	})
}

// mulSame32 returns the product of two float32 tensors of one shape (a's),
// in the kernel package's vector loop.
func mulSame32(a, b *Tensor) *Tensor {
	out := alloc(Float32, a.shape)
	kernel.ParallelFor(a.Len(), ewChunk, func(lo, hi int) { kernel.Mul(a.f32[lo:hi], b.f32[lo:hi], out.f32[lo:hi]) })
	return out
}

// Log returns the natural logarithm of x.
func Log(x *Tensor) *Tensor {
	return unaryOp(Op{Kind: OpLog}, x, math.Log, func(x, _ float64) float64 { return 1 / x })
}

// Sqrt returns √x.
func Sqrt(x *Tensor) *Tensor {
	return unaryOp(Op{Kind: OpSqrt}, x, math.Sqrt, func(_, y float64) float64 { return 0.5 / y })
}

// Pow returns x^p for a constant exponent p.
func Pow(x *Tensor, p float64) *Tensor {
	return unaryOp(Op{Kind: OpPow, Exponent: p}, x, func(v float64) float64 { return math.Pow(v, p) },
		func(x, _ float64) float64 {
			if p == 0 {
				return 0
			}
			return p * math.Pow(x, p-1)
		})
}

// Square returns x².
func Square(x *Tensor) *Tensor {
	return unaryOp(Op{Kind: OpSquare}, x, func(v float64) float64 { return v * v }, func(x, _ float64) float64 { return 2 * x })
}

// Clamp limits x to [lo, hi]; the gradient is passed where lo ≤ x ≤ hi, as
// in PyTorch. Use ±Inf for a one-sided clamp.
func Clamp(x *Tensor, lo, hi float64) *Tensor {
	return unaryOp(Op{Kind: OpClamp, Lo: lo, Hi: hi}, x, func(v float64) float64 { return math.Min(math.Max(v, lo), hi) },
		func(x, _ float64) float64 {
			if x >= lo && x <= hi {
				return 1
			}
			return 0
		})
}

// ReLU returns max(x, 0); its derivative at 0 is 0. NaN stays NaN, as in
// PyTorch. Both directions run in the kernel package's vector loops.
func ReLU(x *Tensor) *Tensor {
	out := alloc(x.dtype, x.shape)
	kernel.ParallelFor(x.Len(), ewChunk, func(lo, hi int) {
		if x.dtype == Float64 {
			kernel.Relu(x.f64[lo:hi], out.f64[lo:hi])
		} else {
			kernel.Relu(x.f32[lo:hi], out.f32[lo:hi])
		}
	})
	return record(Op{Kind: OpReLU}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		return []*Tensor{reluBackward(x, g)}
	})
}

// reluBackward returns g where x > 0 and 0 elsewhere: the ReLU's VJP, with
// x its input or its output (both have the same sign pattern).
func reluBackward(x, g *Tensor) *Tensor {
	dx := alloc(g.dtype, g.shape)
	kernel.ParallelFor(g.Len(), ewChunk, func(lo, hi int) {
		if g.dtype == Float64 {
			kernel.ReluBackward(x.f64[lo:hi], g.f64[lo:hi], dx.f64[lo:hi])
		} else {
			kernel.ReluBackward(x.f32[lo:hi], g.f32[lo:hi], dx.f32[lo:hi])
		}
	})
	return dx
}

// LeakyReLU returns x for x > 0 and slope*x otherwise (slope*x computed in
// x's dtype, as PyTorch does). Its backward passes g where x > 0 and
// slope*g elsewhere, in one pass.
func LeakyReLU(x *Tensor, slope float64) *Tensor {
	out := alloc(x.dtype, x.shape)
	kernel.ParallelFor(x.Len(), ewChunk, func(lo, hi int) {
		if x.dtype == Float64 {
			kernel.LeakyRelu(slope, x.f64[lo:hi], x.f64[lo:hi], out.f64[lo:hi])
		} else {
			kernel.LeakyRelu(float32(slope), x.f32[lo:hi], x.f32[lo:hi], out.f32[lo:hi])
		}
	})
	return record(Op{Kind: OpLeakyReLU, Slope: slope}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		dx := alloc(g.dtype, g.shape)
		kernel.ParallelFor(g.Len(), ewChunk, func(lo, hi int) {
			if g.dtype == Float64 {
				kernel.LeakyRelu(slope, x.f64[lo:hi], g.f64[lo:hi], dx.f64[lo:hi])
			} else {
				kernel.LeakyRelu(float32(slope), x.f32[lo:hi], g.f32[lo:hi], dx.f32[lo:hi])
			}
		})
		return []*Tensor{dx}
	})
}

// sigmoid is the numerically stable logistic function.
func sigmoid(v float64) float64 {
	if v >= 0 {
		return 1 / (1 + math.Exp(-v))
	}
	e := math.Exp(v)
	return e / (1 + e)
}

// Sigmoid returns the logistic function 1/(1+e^-x), computed stably.
// Float32 runs kernel.Sigmoid32 (within 3 units in the last place), and
// its backward g ⊙ y(1−y) one typed pass.
func Sigmoid(x *Tensor) *Tensor {
	if x.dtype != Float32 {
		return unaryOp(Op{Kind: OpSigmoid}, x, sigmoid, func(_, y float64) float64 { return y * (1 - y) })
	}
	out := kernel32(x, kernel.Sigmoid32)
	return record(Op{Kind: OpSigmoid}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		dx := alloc(Float32, g.shape)
		ys := out.f32[:len(g.f32)]
		for i, gi := range g.f32 {
			y := ys[i]
			dx.f32[i] = gi * (y * (1 - y))
		}
		return []*Tensor{dx}
	})
}

// Tanh returns the hyperbolic tangent, through math.Tanh. (kernel.Tanh32
// used to stop at 1−2^-24 for |x| ≥ 9; it now reaches exactly ±1 where
// float32 tanh does, so Tanh could move onto it, checked against the
// PyTorch fixtures, in a change of its own.)
func Tanh(x *Tensor) *Tensor {
	return unaryOp(Op{Kind: OpTanh}, x, math.Tanh, func(_, y float64) float64 { return 1 - y*y })
}

// Softplus returns log(1+e^x), computed stably as max(x,0)+log1p(e^-|x|).
// Float32 runs kernel.Softplus32 (within 3 units in the last place); the
// backward g ⊙ σ(x) is one pass of kernel.SigmoidMul32.
func Softplus(x *Tensor) *Tensor {
	if x.dtype != Float32 {
		return unaryOp(Op{Kind: OpSoftplus}, x, softplus, func(x, _ float64) float64 { return sigmoid(x) })
	}
	out := kernel32(x, kernel.Softplus32)
	return record(Op{Kind: OpSoftplus}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		return []*Tensor{sigmoidGrad32(x, g, 1)}
	})
}

// sigmoidGrad32 returns g ⊙ σ(sign·x) for float32 x and g of one shape, in
// one pass of kernel.SigmoidMul32.
func sigmoidGrad32(x, g *Tensor, sign float32) *Tensor {
	dx := alloc(Float32, g.shape)
	kernel.ParallelFor(g.Len(), ewChunk, func(lo, hi int) {
		d, xs := dx.f32[lo:hi], x.f32[lo:hi]
		if sign < 0 {
			negInto(d, xs)
			xs = d
		}
		kernel.SigmoidMul32(d, xs, g.f32[lo:hi])
	})
	return dx
}

func softplus(v float64) float64 { return math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))) }

// LogSigmoid returns log σ(x) = -softplus(-x), computed stably (float32:
// kernel.Softplus32, backward g ⊙ σ(−x) as in Softplus).
func LogSigmoid(x *Tensor) *Tensor {
	if x.dtype != Float32 {
		return unaryOp(Op{Kind: OpLogSigmoid}, x, func(v float64) float64 { return -softplus(-v) },
			func(x, _ float64) float64 { return sigmoid(-x) })
	}
	out := alloc(Float32, x.shape)
	kernel.ParallelFor(x.Len(), ewChunk, func(lo, hi int) {
		o := out.f32[lo:hi]
		negInto(o, x.f32[lo:hi])
		kernel.Softplus32(o, o)
		negInto(o, o)
	})
	return record(Op{Kind: OpLogSigmoid}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		return []*Tensor{sigmoidGrad32(x, g, -1)}
	})
}
