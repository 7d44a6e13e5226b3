package tensor

import (
	"fmt"
	"math"
	"slices"

	"github.com/duboko/duboko/internal/kernel"
)

// Batch normalisation over the channel axis 1 of x [N,C] or [N,C,d...]
// (e.g. [N,C,H,W]): every channel c is normalised with a mean μ_c and
// variance σ²_c over the M = N·d... values it has in the batch,
//
//	x̂ = (x − μ_c)/√(σ²_c + eps),   y = γ_c·x̂ + β_c.
//
// In training mode μ_c and σ²_c are the batch statistics (σ² the biased
// variance, divided by M) and the running statistics are updated as in
// PyTorch: running_mean ← (1−momentum)·running_mean + momentum·μ and
// running_var ← (1−momentum)·running_var + momentum·σ²·M/(M−1) (the
// UNBIASED variance). In evaluation mode the running statistics are used
// and nothing is updated.
//
// Gradients (G = ∂L/∂y, sums over the M values of a channel):
//
//	∂L/∂β = ΣG,   ∂L/∂γ = ΣG⊙x̂,
//	training: ∂L/∂x = γ/(M·√(σ²+eps)) · (M·G − ΣG − x̂·ΣG⊙x̂),
//	eval:     ∂L/∂x = γ·G/√(σ²+eps).
//
// Statistics are accumulated in float64 for float32 tensors too.

// Operation counts of the formulas above for n = |x| values in C channels
// (M = n/C per channel): the batch statistics in training mode (mean: n−C
// additions, C divisions; biased variance: n subtractions, n squares, n−C
// additions, C divisions), then 1/√(σ²+eps) per channel (C additions, C
// square roots, C divisions), x̂ (n subtractions, n products) and the
// affine map (n products with γ, n additions of β, each when present).
// The update of the running statistics, a few operations per channel, is
// not counted. ∂y/∂x is diagonal in evaluation mode; in training mode each
// output depends on the M inputs of its channel. The receptive field is
// unchanged (a per-channel map; in training mode the statistics mix the
// batch, which the field of one image does not show).
func init() {
	declare(OpBatchNorm, OpDef{Symbol: "BN", Field: fieldSame,
		Counts: func(op *Op, out []int, ins [][]int) Counts {
			n, c := int64(numel(out)), int64(out[1])
			k := Counts{Mul: c + n, Add: c + n, Other: c} // 1/√(σ²+eps), x̂
			if op.Training {
				k = k.Plus(Counts{Mul: n + 2*c, Add: 3*n - 2*c}) // mean, variance
			}
			if ins[1] != nil {
				k.Mul += n
			}
			if ins[2] != nil {
				k.Add += n
			}
			return k
		},
		Jacobian: func(op *Op, out []int, ins [][]int, i int) Structure {
			n, ni := numel(out), numel(ins[i])
			switch {
			case i == 0 && !op.Training:
				return NewStructure(StructDiagonal, n, n, 0)
			case i == 0 && out[1] == 1:
				return NewStructure(StructDense, n, n, 0)
			case i == 0:
				return covering(NewStructure(StructSparse, n, n, int64(n)*int64(n/out[1])))
			case ni == 1:
				return NewStructure(StructDense, n, 1, 0)
			}
			return covering(NewStructure(StructSparse, n, ni, int64(n))) // γ_c, β_c: one per output
		}})
}

// BatchNorm returns batch normalisation of x (see above). gamma and beta
// ([C]) may be nil for no affine transform; runningMean and runningVar ([C],
// updated in place in training mode) may be nil in training mode when no
// running statistics are tracked, and are required in evaluation mode.
func BatchNorm(x, gamma, beta, runningMean, runningVar *Tensor, training bool, momentum, eps float64) *Tensor {
	y, _, _ := BatchNormStats(x, gamma, beta, runningMean, runningVar, training, momentum, eps)
	return y
}

// BatchNormStats is BatchNorm that also returns the per-channel mean and
// inverse standard deviation 1/√(σ²+eps) it normalised with ([C], x's
// dtype), for BatchNormBackward.
func BatchNormStats(x, gamma, beta, runningMean, runningVar *Tensor, training bool, momentum, eps float64) (y, mean, invStd *Tensor) {
	n, c, hw := bnDims("BatchNorm", x)
	for _, p := range []*Tensor{gamma, beta, runningMean, runningVar} {
		if p != nil {
			sameDType("BatchNorm", x, p)
			if len(p.shape) != 1 || p.shape[0] != c {
				panic(shapeErr("BatchNorm", "parameters and running statistics must be [C]", x.shape, p.shape))
			}
		}
	}
	m := n * hw
	mu, v := make([]float64, c), make([]float64, c)
	if training {
		if m < 2 {
			panic(shapeErr("BatchNorm", fmt.Sprintf("training needs more than one value per channel (got %d)", m), x.shape))
		}
		if x.dtype == Float64 {
			bnStats(x.f64, n, c, hw, mu, v)
		} else {
			bnStats(x.f32, n, c, hw, mu, v)
		}
		if runningMean != nil {
			for i := 0; i < c; i++ {
				runningMean.put(i, (1-momentum)*runningMean.get(i)+momentum*mu[i])
			}
		}
		if runningVar != nil { // tracked on its own, also without a running mean
			unb := float64(m) / float64(m-1)
			for i := 0; i < c; i++ {
				runningVar.put(i, (1-momentum)*runningVar.get(i)+momentum*v[i]*unb)
			}
		}
	} else {
		if runningMean == nil || runningVar == nil {
			panic(shapeErr("BatchNorm", "evaluation mode needs running statistics", x.shape))
		}
		for i := 0; i < c; i++ {
			mu[i], v[i] = runningMean.get(i), runningVar.get(i)
		}
	}
	mean, invStd = alloc(x.dtype, []int{c}), alloc(x.dtype, []int{c})
	scale, shift := make([]float64, c), make([]float64, c)
	for i := 0; i < c; i++ {
		is := 1 / math.Sqrt(v[i]+eps)
		v[i] = is
		mean.put(i, mu[i])
		invStd.put(i, is)
		g := 1.0
		if gamma != nil {
			g = gamma.get(i)
		}
		scale[i] = g * is
		if beta != nil {
			shift[i] = beta.get(i)
		}
		shift[i] -= mu[i] * scale[i]
	}
	y = alloc(x.dtype, x.shape)
	if x.dtype == Float64 {
		bnApply(x.f64, n, c, hw, scale, shift, y.f64)
	} else {
		bnApply(x.f32, n, c, hw, scale, shift, y.f32)
	}
	ins := []*Tensor{x, gamma, beta}
	y = record(Op{Kind: OpBatchNorm, Training: training, Momentum: momentum, Eps: eps}, y, ins, func(g *Tensor) []*Tensor {
		dx, dg, db := bnBackward(g, x, gamma, mu, v, training, x.requiresGrad)
		gs := []*Tensor{dx, nil, nil}
		if gamma != nil && gamma.requiresGrad {
			gs[1] = dg
		}
		if beta != nil && beta.requiresGrad {
			gs[2] = db
		}
		return gs
	})
	return y, mean, invStd
}

func bnDims(op string, x *Tensor) (n, c, hw int) {
	mustFloat(x)
	if len(x.shape) < 2 {
		panic(shapeErr(op, "want x [N,C] or [N,C,...]", x.shape))
	}
	return x.shape[0], x.shape[1], numel(x.shape[2:])
}

// bnChunk is ParallelFor's minimum number of channels per worker.
func bnChunk(n, hw int) int { return (1<<15)/max(n*hw, 1) + 1 }

// bnStats writes each channel's mean and biased variance (two passes).
func bnStats[T kfloat](x []T, n, c, hw int, mu, v []float64) {
	m := float64(n * hw)
	kernel.ParallelFor(c, bnChunk(n, hw), func(lo, hi int) {
		for ch := lo; ch < hi; ch++ {
			s := 0.0
			for b := 0; b < n; b++ {
				s += sum4(x[(b*c+ch)*hw : (b*c+ch+1)*hw])
			}
			mean := s / m
			ss := 0.0
			for b := 0; b < n; b++ {
				ss += sqDev4(x[(b*c+ch)*hw:(b*c+ch+1)*hw], mean)
			}
			mu[ch], v[ch] = mean, ss/m
		}
	})
}

// bnApply writes y = x·scale_c + shift_c.
func bnApply[T kfloat](x []T, n, c, hw int, scale, shift []float64, y []T) {
	kernel.ParallelFor(n*c, (1<<15)/max(hw, 1)+1, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			a, b := T(scale[p%c]), T(shift[p%c])
			out := y[p*hw : (p+1)*hw]
			for i, e := range x[p*hw : (p+1)*hw] {
				out[i] = e*a + b
			}
		}
	})
}

// BatchNormBackward returns the hand-derived gradients of BatchNorm with
// respect to x, gamma and beta (see the formulas above), given grad =
// ∂L/∂y, the input x, gamma (nil means 1) and the mean and inverse standard
// deviation returned by BatchNormStats for the same call. training must be
// the mode of that call. It records nothing.
func BatchNormBackward(grad, x, gamma, mean, invStd *Tensor, training bool) (dx, dgamma, dbeta *Tensor) {
	_, c, _ := bnDims("BatchNormBackward", x)
	if !slices.Equal(grad.shape, x.shape) {
		panic(shapeErr("BatchNormBackward", "gradient must have the input's shape", x.shape, grad.shape))
	}
	sameDType("BatchNormBackward", grad, x, mean, invStd)
	mu, is := make([]float64, c), make([]float64, c)
	for i := 0; i < c; i++ {
		mu[i], is[i] = mean.get(i), invStd.get(i)
	}
	return bnBackward(grad, x, gamma, mu, is, training, true)
}

func bnBackward(g, x, gamma *Tensor, mu, is []float64, training, needX bool) (dx, dgamma, dbeta *Tensor) {
	n, c, hw := bnDims("BatchNormBackward", x)
	gm := make([]float64, c)
	for i := range gm {
		gm[i] = 1
		if gamma != nil {
			gm[i] = gamma.get(i)
		}
	}
	dgamma, dbeta = alloc(x.dtype, []int{c}), alloc(x.dtype, []int{c})
	sg, sgx := make([]float64, c), make([]float64, c)
	if needX {
		dx = alloc(x.dtype, x.shape)
	}
	if x.dtype == Float64 {
		bnGrad(g.f64, x.f64, n, c, hw, gm, mu, is, sg, sgx, training, dxData[float64](dx))
	} else {
		bnGrad(g.f32, x.f32, n, c, hw, gm, mu, is, sg, sgx, training, dxData[float32](dx))
	}
	for i := 0; i < c; i++ {
		dgamma.put(i, sgx[i])
		dbeta.put(i, sg[i])
	}
	return dx, dgamma, dbeta
}

func dxData[T kfloat](dx *Tensor) []T {
	if dx == nil {
		return nil
	}
	return sliceOf[T](dx)
}

// bnGrad computes the per-channel sums ΣG and ΣG⊙x̂ and, when dx is not
// nil, the input gradient.
func bnGrad[T kfloat](g, x []T, n, c, hw int, gm, mu, is, sg, sgx []float64, training bool, dx []T) {
	m := float64(n * hw)
	kernel.ParallelFor(c, bnChunk(n, hw), func(lo, hi int) {
		for ch := lo; ch < hi; ch++ {
			mean, inv := mu[ch], is[ch]
			s, sx := 0.0, 0.0
			for b := 0; b < n; b++ {
				off := (b*c + ch) * hw
				bs, bsx := gradDev4(g[off:off+hw], x[off:off+hw], mean)
				s += bs
				sx += bsx
			}
			sx *= inv
			sg[ch], sgx[ch] = s, sx
			if dx == nil {
				continue
			}
			k := gm[ch] * inv
			if !training {
				for b := 0; b < n; b++ {
					off := (b*c + ch) * hw
					for i, gv := range g[off : off+hw] {
						dx[off+i] = T(k * float64(gv))
					}
				}
				continue
			}
			a, bm, cx := k, s/m, sx/m
			for b := 0; b < n; b++ {
				off := (b*c + ch) * hw
				xs, gs := x[off:off+hw], g[off:off+hw]
				for i, e := range xs {
					xh := (float64(e) - mean) * inv
					dx[off+i] = T(a * (float64(gs[i]) - bm - xh*cx))
				}
			}
		}
	})
}

// sum4 returns Σ x[i] in float64 with four partial sums, so the additions
// overlap instead of waiting on one another.
func sum4[T kfloat](x []T) float64 {
	var a, b, c, d float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		a += float64(x[i])
		b += float64(x[i+1])
		c += float64(x[i+2])
		d += float64(x[i+3])
	}
	for ; i < len(x); i++ {
		a += float64(x[i])
	}
	return (a + b) + (c + d)
}

// sqDev4 returns Σ (x[i]−mean)² in float64 with four partial sums.
func sqDev4[T kfloat](x []T, mean float64) float64 {
	var a, b, c, d float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		e0, e1, e2, e3 := float64(x[i])-mean, float64(x[i+1])-mean, float64(x[i+2])-mean, float64(x[i+3])-mean
		a += e0 * e0
		b += e1 * e1
		c += e2 * e2
		d += e3 * e3
	}
	for ; i < len(x); i++ {
		e := float64(x[i]) - mean
		a += e * e
	}
	return (a + b) + (c + d)
}

// gradDev4 returns Σ g[i] and Σ g[i]·(x[i]−mean) in float64, two partial
// sums each.
func gradDev4[T kfloat](g, x []T, mean float64) (s, sx float64) {
	x = x[:len(g)]
	var s0, s1, t0, t1 float64
	i := 0
	for ; i+2 <= len(g); i += 2 {
		g0, g1 := float64(g[i]), float64(g[i+1])
		s0 += g0
		s1 += g1
		t0 += g0 * (float64(x[i]) - mean)
		t1 += g1 * (float64(x[i+1]) - mean)
	}
	for ; i < len(g); i++ {
		gv := float64(g[i])
		s0 += gv
		t0 += gv * (float64(x[i]) - mean)
	}
	return s0 + s1, t0 + t1
}
