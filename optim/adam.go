package optim

import (
	"math"

	"github.com/duboko/duboko/internal/kernel"
	"github.com/duboko/duboko/nn"
)

// AdamConfig configures Adam and AdamW, with the meaning of torch.optim.Adam's
// arguments. Zero fields select PyTorch's defaults, except WeightDecay.
type AdamConfig struct {
	LR          float64    // learning rate (0: 1e-3)
	Betas       [2]float64 // decay rates β1, β2 of the moment estimates ({0, 0}: {0.9, 0.999})
	Eps         float64    // added to the denominator, outside the square root (0: 1e-8)
	WeightDecay float64    // Adam: L2 penalty added to the gradient; AdamW: decoupled decay. Literal: PyTorch's AdamW default 0.01 must be given
	AMSGrad     bool       // use the running maximum of the second moment
}

// Adam is the Adam optimizer (Kingma & Ba), or AdamW (Loshchilov & Hutter)
// when built by NewAdamW, exactly as torch.optim.Adam and AdamW. With t the
// parameter's step count:
//
//	p ← p·(1 − lr·λ)                    (AdamW only)
//	g ← ∇p + λ·p                        (Adam only)
//	m ← β1·m + (1−β1)·g
//	v ← β2·v + (1−β2)·g²                (AMSGrad: v̂ ← max(v̂, v), used below)
//	p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)
type Adam struct {
	base
	cfg       AdamConfig
	decoupled bool
}

// NewAdam returns an Adam optimizer for params. It panics with a
// *ConfigError for invalid settings (negative lr, eps or weight decay,
// betas outside [0, 1)).
func NewAdam(params []nn.Param, cfg AdamConfig) *Adam {
	return newAdam("Adam", params, cfg, false)
}

// NewAdamW returns an AdamW optimizer (Adam with decoupled weight decay
// p ← p·(1 − lr·WeightDecay)) for params.
func NewAdamW(params []nn.Param, cfg AdamConfig) *Adam {
	return newAdam("AdamW", params, cfg, true)
}

// newAdam fills defaults, validates and builds the optimizer.
func newAdam(name string, params []nn.Param, cfg AdamConfig, decoupled bool) *Adam {
	if cfg.LR == 0 {
		cfg.LR = 1e-3
	}
	if cfg.Betas == [2]float64{} {
		cfg.Betas = [2]float64{0.9, 0.999}
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-8
	}
	for _, b := range cfg.Betas {
		if !(b >= 0 && b < 1) {
			configPanic(name, "invalid beta %v (want 0 ≤ β < 1)", b)
		}
	}
	if !(cfg.Eps >= 0) || !(cfg.WeightDecay >= 0) {
		configPanic(name, "invalid eps %v or weight decay %v", cfg.Eps, cfg.WeightDecay)
	}
	return &Adam{base: newBase(name, params, cfg.LR), cfg: cfg, decoupled: decoupled}
}

// Config returns the configuration (defaults filled in) with the current
// learning rate.
func (o *Adam) Config() AdamConfig {
	c := o.cfg
	c.LR = o.lr
	return c
}

// Step updates every parameter that has a gradient.
func (o *Adam) Step() {
	o.each(func(s *slot, p, g []float32) { adamUpdate(o, s, p, g) },
		func(s *slot, p, g []float64) { adamUpdate(o, s, p, g) })
}

// adamUpdate applies one Adam/AdamW step to p with gradient g.
func adamUpdate[T float](o *Adam, s *slot, p, g []T) {
	c := o.cfg
	k := 2
	if c.AMSGrad {
		k = 3
	}
	bufs := buffers[T](s, k, 0)
	n := len(p)
	g = g[:n]
	m, v := bufs[0][:n], bufs[1][:n]
	var vmax []T
	if c.AMSGrad {
		vmax = bufs[2][:n]
	}
	t := float64(s.step)
	bc1 := 1 - math.Pow(c.Betas[0], t)
	bc2 := 1 - math.Pow(c.Betas[1], t)
	stepSize := T(-(o.lr / bc1))
	bc2Sqrt := T(math.Sqrt(bc2))
	b1, b2 := T(c.Betas[0]), T(c.Betas[1])
	c1, c2 := T(1-c.Betas[0]), T(1-c.Betas[1])
	eps := T(c.Eps)
	wd := T(c.WeightDecay)
	decay := T(1 - o.lr*c.WeightDecay)
	if p32, ok := any(p).([]float32); ok && !c.AMSGrad && c.WeightDecay == 0 {
		// the common case on the vector loop, bit for bit the loop below
		k := &kernel.AdamConsts{B1: float32(b1), C1: float32(c1), B2: float32(b2), C2: float32(c2),
			StepSize: float32(stepSize), BC2Sqrt: float32(bc2Sqrt), Eps: float32(eps)}
		g32, m32, v32 := any(g).([]float32), any(m).([]float32), any(v).([]float32)
		parallel(n, func(lo, hi int) { kernel.AdamStep32(p32[lo:hi], g32[lo:hi], m32[lo:hi], v32[lo:hi], k) })
		return
	}
	parallel(n, func(lo, hi int) {
		p := p[lo:hi]
		g, m, v, vmax := g[lo:hi], m[lo:hi], v[lo:hi], sub(vmax, lo, hi)
		for j, pj := range p {
			d := g[j]
			if o.decoupled {
				pj *= decay
			} else if c.WeightDecay != 0 {
				d += wd * pj
			}
			mj := m[j]*b1 + c1*d
			vj := v[j]*b2 + c2*d*d
			m[j], v[j] = mj, vj
			if vmax != nil {
				vj = max(vmax[j], vj)
				vmax[j] = vj
			}
			denom := sqrt(vj)/bc2Sqrt + eps
			p[j] = pj + stepSize*mj/denom
		}
	})
}
