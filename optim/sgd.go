package optim

import (
	"github.com/duboko/duboko/internal/kernel"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
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
	for i := range o.slots {
		g := o.grad(i)
		if g == nil {
			continue
		}
		s := &o.slots[i]
		s.step++
		if s.p.DType() == tensor.Float64 {
			sgdUpdate(o, s, s.p.Float64s(), g.Float64s())
		} else {
			sgdUpdate(o, s, s.p.Float32s(), g.Float32s())
		}
	}
}

// sgdUpdate applies one SGD step to p with gradient g.
func sgdUpdate[T float](o *SGD, s *slot, p, g []T) {
	lr := T(-o.lr)
	wd := T(o.cfg.WeightDecay)
	g = g[:len(p)]
	if o.cfg.Momentum == 0 {
		if o.cfg.WeightDecay == 0 {
			kernel.Axpy(lr, g, p)
			return
		}
		for j, pj := range p {
			d := g[j] + wd*pj
			p[j] = pj + lr*d
		}
		return
	}
	mu := T(o.cfg.Momentum)
	damp := T(1 - o.cfg.Dampening)
	first := s.f32 == nil && s.f64 == nil
	buf := buffers[T](s, 1, 0)[0][:len(p)]
	for j, pj := range p {
		d := g[j]
		if o.cfg.WeightDecay != 0 {
			d += wd * pj
		}
		b := d
		if !first {
			b = buf[j]*mu + damp*d
		}
		buf[j] = b
		if o.cfg.Nesterov {
			d += mu * b
		} else {
			d = b
		}
		p[j] = pj + lr*d
	}
}
