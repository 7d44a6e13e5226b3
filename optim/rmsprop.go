package optim

import (
	"github.com/duboko/duboko/nn"
)

// RMSPropConfig configures RMSProp, with the meaning of torch.optim.RMSprop's
// arguments. Zero fields select PyTorch's defaults.
type RMSPropConfig struct {
	LR          float64 // learning rate (0: 1e-2)
	Alpha       float64 // smoothing constant of the squared-gradient average (0: 0.99)
	Eps         float64 // added to the denominator, outside the square root (0: 1e-8)
	WeightDecay float64 // L2 penalty added to the gradient
	Momentum    float64 // momentum factor (0: none)
	Centered    bool    // normalise by the estimated variance instead of the second moment
}

// RMSProp is the RMSProp optimizer, exactly as torch.optim.RMSprop:
//
//	g ← ∇p + λ·p
//	v ← α·v + (1−α)·g²
//	a ← √v + ε, or √(v − ḡ²) + ε with ḡ ← α·ḡ + (1−α)·g when centered
//	b ← μ·b + g/a;  p ← p − lr·b     (momentum)
//	p ← p − lr·g/a                    (no momentum)
type RMSProp struct {
	base
	cfg RMSPropConfig
}

// NewRMSProp returns an RMSProp optimizer for params. It panics with a
// *ConfigError for negative settings or Alpha ≥ 1.
func NewRMSProp(params []nn.Param, cfg RMSPropConfig) *RMSProp {
	const name = "RMSProp"
	if cfg.LR == 0 {
		cfg.LR = 1e-2
	}
	if cfg.Alpha == 0 {
		cfg.Alpha = 0.99
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-8
	}
	if !(cfg.Alpha > 0 && cfg.Alpha < 1) || !(cfg.Eps >= 0) || !(cfg.WeightDecay >= 0) || !(cfg.Momentum >= 0) {
		configPanic(name, "invalid setting in %+v", cfg)
	}
	return &RMSProp{base: newBase(name, params, cfg.LR), cfg: cfg}
}

// Config returns the configuration (defaults filled in) with the current
// learning rate.
func (o *RMSProp) Config() RMSPropConfig {
	c := o.cfg
	c.LR = o.lr
	return c
}

// Step updates every parameter that has a gradient.
func (o *RMSProp) Step() {
	o.each(func(s *slot, p, g []float32) { rmspropUpdate(o, s, p, g) },
		func(s *slot, p, g []float64) { rmspropUpdate(o, s, p, g) })
}

// rmspropUpdate applies one RMSProp step to p with gradient g. State
// buffers: square average, then the momentum buffer (if Momentum > 0), then
// the gradient average (if Centered).
func rmspropUpdate[T float](o *RMSProp, s *slot, p, g []T) {
	c := o.cfg
	k := 1
	var ib, ig int
	if c.Momentum > 0 {
		ib = k
		k++
	}
	if c.Centered {
		ig = k
		k++
	}
	bufs := buffers[T](s, k, 0)
	n := len(p)
	g = g[:n]
	sq := bufs[0][:n]
	var mb, ga []T
	if c.Momentum > 0 {
		mb = bufs[ib][:n]
	}
	if c.Centered {
		ga = bufs[ig][:n]
	}
	lr := T(-o.lr)
	alpha, c1 := T(c.Alpha), T(1-c.Alpha)
	eps, wd, mu := T(c.Eps), T(c.WeightDecay), T(c.Momentum)
	parallel(n, func(lo, hi int) {
		p := p[lo:hi]
		g, sq, mb, ga := g[lo:hi], sq[lo:hi], sub(mb, lo, hi), sub(ga, lo, hi)
		for j, pj := range p {
			d := g[j]
			if c.WeightDecay != 0 {
				d += wd * pj
			}
			v := sq[j]*alpha + c1*d*d
			sq[j] = v
			if ga != nil {
				a := ga[j]*alpha + c1*d
				ga[j] = a
				v -= a * a
			}
			avg := sqrt(v) + eps
			if mb != nil {
				b := mb[j]*mu + d/avg
				mb[j] = b
				p[j] = pj + lr*b
			} else {
				p[j] = pj + lr*d/avg
			}
		}
	})
}
