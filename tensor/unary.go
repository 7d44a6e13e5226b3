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
		d := mapBinaryNoGrad(x, out, df)
		return []*Tensor{Mul(g, d)}
	})
}

// Neg returns -x.
func Neg(x *Tensor) *Tensor {
	out := mapUnary(x, func(v float64) float64 { return -v })
	return record(Op{Kind: OpNeg}, out, []*Tensor{x}, func(g *Tensor) []*Tensor { return []*Tensor{Neg(g)} })
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

// Exp returns e^x.
func Exp(x *Tensor) *Tensor {
	return unaryOp(Op{Kind: OpExp}, x, math.Exp, func(_, y float64) float64 { return y })
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
			leakyReLU(x.f64[lo:hi], x.f64[lo:hi], out.f64[lo:hi], slope)
		} else {
			leakyReLU(x.f32[lo:hi], x.f32[lo:hi], out.f32[lo:hi], float32(slope))
		}
	})
	return record(Op{Kind: OpLeakyReLU, Slope: slope}, out, []*Tensor{x}, func(g *Tensor) []*Tensor {
		dx := alloc(g.dtype, g.shape)
		kernel.ParallelFor(g.Len(), ewChunk, func(lo, hi int) {
			if g.dtype == Float64 {
				leakyReLU(x.f64[lo:hi], g.f64[lo:hi], dx.f64[lo:hi], slope)
			} else {
				leakyReLU(x.f32[lo:hi], g.f32[lo:hi], dx.f32[lo:hi], float32(slope))
			}
		})
		return []*Tensor{dx}
	})
}

// leakyReLU sets out[i] = v[i] where x[i] > 0 and slope·v[i] elsewhere:
// the forward pass with v = x, the backward pass with v = g. The factor
// comes from a two-entry table indexed by the comparison (a SETcc, no
// branch): the signs of activations are random, and a branch on them
// mispredicts half the time (it made this loop 20 % of a DCGAN step).
// Multiplying by exactly 1 leaves v[i] as it is.
func leakyReLU[T float32 | float64](x, v, out []T, slope T) {
	out = out[:len(x)]
	v = v[:len(x)]
	f := [2]T{slope, 1}
	for i, xi := range x {
		k := 0
		if xi > 0 {
			k = 1
		}
		out[i] = f[k] * v[i]
	}
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
func Sigmoid(x *Tensor) *Tensor {
	return unaryOp(Op{Kind: OpSigmoid}, x, sigmoid, func(_, y float64) float64 { return y * (1 - y) })
}

// Tanh returns the hyperbolic tangent.
func Tanh(x *Tensor) *Tensor {
	return unaryOp(Op{Kind: OpTanh}, x, math.Tanh, func(_, y float64) float64 { return 1 - y*y })
}

// Softplus returns log(1+e^x), computed stably as max(x,0)+log1p(e^-|x|).
func Softplus(x *Tensor) *Tensor {
	return unaryOp(Op{Kind: OpSoftplus}, x, softplus, func(x, _ float64) float64 { return sigmoid(x) })
}

func softplus(v float64) float64 { return math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))) }

// LogSigmoid returns log σ(x) = -softplus(-x), computed stably.
func LogSigmoid(x *Tensor) *Tensor {
	return unaryOp(Op{Kind: OpLogSigmoid}, x, func(v float64) float64 { return -softplus(-v) },
		func(x, _ float64) float64 { return sigmoid(-x) })
}
