package tensor

import (
	"fmt"
	"math/rand/v2"

	"github.com/duboko/duboko/internal/kernel"
)

// Dropout multiplies each element by its mask value: one product per
// element, a diagonal Jacobian.
func init() {
	declare(OpDropout, OpDef{Symbol: "dropout", Counts: perElement(Counts{Mul: 1}), Jacobian: diagonalJ, Field: fieldSame})
}

// Dropout returns inverted dropout of x: each element is zeroed with
// probability p and the kept ones are scaled by 1/(1−p), so the expected
// output equals x and evaluation needs no rescaling. The mask is drawn from
// rng (one Float64 per element, in row-major order) and saved for the
// backward pass, ∂L/∂x = grad ⊙ mask. p = 0 returns x unchanged; p = 1
// zeroes everything.
func Dropout(x *Tensor, p float64, rng *rand.Rand) *Tensor {
	y, _ := DropoutMask(x, p, rng)
	return y
}

// DropoutMask is Dropout that also returns the mask: a tensor of x's shape
// holding 0 for dropped elements and 1/(1−p) for kept ones, so that
// y = x ⊙ mask and ∂L/∂x = grad ⊙ mask. For p = 0 the mask is nil.
func DropoutMask(x *Tensor, p float64, rng *rand.Rand) (*Tensor, *Tensor) {
	if !(p >= 0 && p <= 1) {
		panic(shapeErr("Dropout", fmt.Sprintf("probability %v outside [0, 1]", p), x.shape))
	}
	if p == 0 {
		return x, nil
	}
	mask := alloc(x.dtype, x.shape)
	scale := 0.0
	if p < 1 {
		scale = 1 / (1 - p)
	}
	y := alloc(x.dtype, x.shape)
	if x.dtype == Float64 {
		fillMask(mask.f64, p, scale, rng)
		kernel.Mul(x.f64, mask.f64, y.f64)
	} else {
		fillMask(mask.f32, p, scale, rng)
		kernel.Mul(x.f32, mask.f32, y.f32)
	}
	y = record(Op{Kind: OpDropout, P: p}, y, []*Tensor{x}, func(g *Tensor) []*Tensor {
		return []*Tensor{mulNoGrad(g, mask)}
	})
	return y, mask
}

func fillMask[T kfloat](m []T, p, scale float64, rng *rand.Rand) {
	s := T(scale)
	for i := range m {
		if rng.Float64() >= p {
			m[i] = s
		}
	}
}

// mulNoGrad returns a ⊙ b for equal shapes without recording.
func mulNoGrad(a, b *Tensor) *Tensor {
	out := alloc(a.dtype, a.shape)
	if a.dtype == Float64 {
		kernel.Mul(a.f64, b.f64, out.f64)
	} else {
		kernel.Mul(a.f32, b.f32, out.f32)
	}
	return out
}
