package tensor

import (
	"fmt"
	"math/rand/v2"
)

// Bernoulli returns a tensor of p's shape and dtype holding independent
// samples of Bernoulli(p): 1 with probability p[i], else 0, as
// torch.bernoulli(p). Each element draws one Float64 u from rng, in
// row-major order, and is 1 when u < p[i], so p = 0 gives 0 and p = 1
// gives 1 exactly. It records nothing (sampling has no gradient; see a
// VAE's reparameterisation for a differentiable sample). A probability
// outside [0, 1] or NaN panics with a *ShapeError naming the element.
func Bernoulli(p *Tensor, rng *rand.Rand) *Tensor {
	sameDType("Bernoulli", p)
	out := alloc(p.dtype, p.shape)
	if p.dtype == Float64 {
		bernoulli(p.f64, out.f64, p.shape, rng)
	} else {
		bernoulli(p.f32, out.f32, p.shape, rng)
	}
	return out
}

func bernoulli[T kfloat](p, out []T, shape []int, rng *rand.Rand) {
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			panic(shapeErr("Bernoulli", fmt.Sprintf("probability %v at flat index %d outside [0, 1]", v, i), shape))
		}
	}
	for i, v := range p {
		if rng.Float64() < float64(v) {
			out[i] = 1
		}
	}
}
