package optim

import (
	"github.com/duboko/duboko/nn"
)

// AdagradConfig configures Adagrad, with the meaning of torch.optim.Adagrad's
// arguments. Zero fields select PyTorch's defaults.
type AdagradConfig struct {
	LR                      float64 // learning rate (0: 1e-2)
	LRDecay                 float64 // the step-t learning rate is LR/(1+(t−1)·LRDecay)
	WeightDecay             float64 // L2 penalty added to the gradient
	InitialAccumulatorValue float64 // starting value of the sum of squared gradients
	Eps                     float64 // added to the denominator (0: 1e-10)
}

// Adagrad is the Adagrad optimizer, exactly as torch.optim.Adagrad. With t
// the parameter's step count:
//
//	g ← ∇p + λ·p
//	s ← s + g²
//	p ← p − lr/(1+(t−1)·lr_decay) · g / (√s + ε)
type Adagrad struct {
	base
	cfg AdagradConfig
}

// NewAdagrad returns an Adagrad optimizer for params. It panics with a
// *ConfigError for negative settings.
func NewAdagrad(params []nn.Param, cfg AdagradConfig) *Adagrad {
	const name = "Adagrad"
	if cfg.LR == 0 {
		cfg.LR = 1e-2
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-10
	}
	if !(cfg.LRDecay >= 0) || !(cfg.WeightDecay >= 0) || !(cfg.InitialAccumulatorValue >= 0) || !(cfg.Eps >= 0) {
		configPanic(name, "negative or NaN setting in %+v", cfg)
	}
	return &Adagrad{base: newBase(name, params, cfg.LR), cfg: cfg}
}

// Config returns the configuration (defaults filled in) with the current
// learning rate.
func (o *Adagrad) Config() AdagradConfig {
	c := o.cfg
	c.LR = o.lr
	return c
}

// Step updates every parameter that has a gradient.
func (o *Adagrad) Step() {
	o.each(func(s *slot, p, g []float32) { adagradUpdate(o, s, p, g) },
		func(s *slot, p, g []float64) { adagradUpdate(o, s, p, g) })
}

// adagradUpdate applies one Adagrad step to p with gradient g.
func adagradUpdate[T float](o *Adagrad, s *slot, p, g []T) {
	c := o.cfg
	n := len(p)
	g = g[:n]
	sum := buffers(s, 1, T(c.InitialAccumulatorValue))[0][:n]
	clr := T(-(o.lr / (1 + float64(s.step-1)*c.LRDecay)))
	wd := T(c.WeightDecay)
	eps := T(c.Eps)
	parallel(n, func(lo, hi int) {
		p := p[lo:hi]
		g, sum := g[lo:hi], sum[lo:hi]
		for j, pj := range p {
			d := g[j]
			if c.WeightDecay != 0 {
				d += wd * pj
			}
			sj := sum[j] + d*d
			sum[j] = sj
			p[j] = pj + clr*d/(sqrt(sj)+eps)
		}
	})
}
