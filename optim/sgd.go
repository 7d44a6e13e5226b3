package optim

import (
	"github.com/duboko/duboko/internal/kernel"
	"github.com/duboko/duboko/nn"
)

// SGDConfig configures stochastic gradient descent, with the meaning of
// torch.optim.SGD's arguments.
type SGDConfig struct {
	LR          float64 // learning rate; required (SGD has no default)
	Momentum    float64 // momentum factor μ (0: none)
	Dampening   float64 // dampening of the gradient in the momentum buffer
	WeightDecay float64 // L2 penalty λ, added to the gradient as λ·p
	Nesterov    bool    // Nesterov momentum (needs Momentum > 0, Dampening 0)
}

// SGD is stochastic gradient descent with optional momentum, Nesterov
// momentum and weight decay, exactly as torch.optim.SGD:
//
//	g ← ∇p + λ·p
//	b ← g on the first step, else μ·b + (1−dampening)·g
//	g ← g + μ·b (Nesterov) or b (momentum)
//	p ← p − lr·g
//
// Without momentum and weight decay a step is one in-place axpy per
// parameter, p −= lr·∇p.
type SGD struct {
	base
	cfg SGDConfig
}

// NewSGD returns an SGD optimizer for params. It panics with a *ConfigError
// for a zero, negative or non-finite learning rate, negative momentum,
// dampening or weight decay, or Nesterov without momentum or with
// dampening.
func NewSGD(params []nn.Param, cfg SGDConfig) *SGD {
	const name = "SGD"
	if cfg.LR == 0 {
		configPanic(name, "learning rate must be set")
	}
	if cfg.Momentum < 0 || cfg.Dampening < 0 || cfg.WeightDecay < 0 {
		configPanic(name, "negative momentum, dampening or weight decay (%v, %v, %v)",
			cfg.Momentum, cfg.Dampening, cfg.WeightDecay)
	}
	if cfg.Nesterov && (cfg.Momentum <= 0 || cfg.Dampening != 0) {
		configPanic(name, "Nesterov momentum requires a momentum and zero dampening")
	}
	return &SGD{base: newBase(name, params, cfg.LR), cfg: cfg}
}

// Config returns the configuration with the current learning rate.
func (o *SGD) Config() SGDConfig {
	c := o.cfg
	c.LR = o.lr
	return c
}

// Step updates every parameter that has a gradient.
func (o *SGD) Step() {
	o.each(func(s *slot, p, g []float32) { sgdUpdate(o, s, p, g) },
		func(s *slot, p, g []float64) { sgdUpdate(o, s, p, g) })
}

// sgdUpdate applies one SGD step to p with gradient g. Every path is a
// sequence of vectorised passes performing PyTorch's operations in
// PyTorch's order.
func sgdUpdate[T float](o *SGD, s *slot, p, g []T) {
	c := o.cfg
	lr := T(-o.lr)
	n := len(p)
	g = g[:n]
	d := g
	if c.WeightDecay != 0 {
		d = scratch[T](&o.base, n) // d = g + λ·p
		copy(d, g)
		kernel.Axpy(T(c.WeightDecay), p, d)
	}
	if c.Momentum != 0 {
		mu := T(c.Momentum)
		first := s.f32 == nil && s.f64 == nil
		buf := buffers[T](s, 1, 0)[0][:n]
		if first {
			copy(buf, d)
		} else {
			kernel.Scale(mu, buf)
			kernel.Axpy(T(1-c.Dampening), d, buf)
		}
		if c.Nesterov {
			if c.WeightDecay == 0 {
				d = scratch[T](&o.base, n)
				copy(d, g)
			}
			kernel.Axpy(mu, buf, d)
		} else {
			d = buf
		}
	}
	parallel(n, func(lo, hi int) { kernel.Axpy(lr, d[lo:hi], p[lo:hi]) }) // p −= lr·d
}
