package optim

import (
	"math"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// allOptimizers builds one of each optimizer over params.
func allOptimizers(params []nn.Param) map[string]Optimizer {
	return map[string]Optimizer{
		"SGD":      NewSGD(params, SGDConfig{LR: 0.1}),
		"momentum": NewSGD(params, SGDConfig{LR: 0.1, Momentum: 0.9, WeightDecay: 0.1}),
		"Adam":     NewAdam(params, AdamConfig{}),
		"AdamW":    NewAdamW(params, AdamConfig{WeightDecay: 0.01, AMSGrad: true}),
		"Adagrad":  NewAdagrad(params, AdagradConfig{}),
		"RMSProp":  NewRMSProp(params, RMSPropConfig{Momentum: 0.5, Centered: true}),
	}
}

func TestNilGradSkipped(t *testing.T) {
	for _, dt := range []tensor.DType{tensor.Float32, tensor.Float64} {
		a := tensor.FromValues(dt, []float64{1, 2}, 2)
		b := tensor.FromValues(dt, []float64{3, 4}, 2)
		for name, opt := range allOptimizers([]nn.Param{{Name: "a", Tensor: a}, {Name: "b", Tensor: b}}) {
			a.SetGrad(tensor.FromValues(dt, []float64{0.5, -0.5}, 2))
			b.ZeroGrad()
			before := b.Values()
			opt.Step()
			if got := b.Values(); got[0] != before[0] || got[1] != before[1] {
				t.Errorf("%s %v: parameter without gradient changed: %v", name, dt, got)
			}
			if a.Grad() == nil {
				t.Errorf("%s: Step cleared the gradient", name)
			}
			opt.ZeroGrad()
			if a.Grad() != nil || b.Grad() != nil {
				t.Errorf("%s: ZeroGrad left gradients", name)
			}
		}
	}
}

func TestDuplicateParamsUpdatedOnce(t *testing.T) {
	p := tensor.FromFloat64([]float64{1}, 1)
	opt := NewSGD([]nn.Param{{Name: "w", Tensor: p}, {Name: "tied", Tensor: p}}, SGDConfig{LR: 0.5})
	if len(opt.Params()) != 1 {
		t.Fatalf("Params() = %v", opt.Params())
	}
	p.SetGrad(tensor.FromFloat64([]float64{1}, 1))
	opt.Step()
	if got := p.Flat(0); got != 0.5 {
		t.Fatalf("p = %v, want 0.5", got)
	}
}

func TestDeterministic(t *testing.T) {
	run := func() []float64 {
		rng := tensor.NewRand(7)
		w := tensor.RandN(rng, 5, 3)
		params := []nn.Param{{Name: "w", Tensor: w}}
		opt := NewAdamW(params, AdamConfig{LR: 0.01, WeightDecay: 0.1})
		for range 4 {
			w.SetGrad(tensor.RandN(rng, 5, 3))
			opt.Step()
		}
		return w.Values()
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("two runs with the same seed differ")
		}
	}
}

func TestConfigPanics(t *testing.T) {
	p := []nn.Param{{Name: "w", Tensor: tensor.Zeros(2)}}
	for name, fn := range map[string]func(){
		"sgd no lr":          func() { NewSGD(p, SGDConfig{}) },
		"sgd negative lr":    func() { NewSGD(p, SGDConfig{LR: -1}) },
		"sgd nan lr":         func() { NewSGD(p, SGDConfig{LR: math.NaN()}) },
		"nesterov no mom":    func() { NewSGD(p, SGDConfig{LR: 1, Nesterov: true}) },
		"nesterov damp":      func() { NewSGD(p, SGDConfig{LR: 1, Momentum: 0.9, Dampening: 0.1, Nesterov: true}) },
		"sgd negative wd":    func() { NewSGD(p, SGDConfig{LR: 1, WeightDecay: -1}) },
		"adam beta 1":        func() { NewAdam(p, AdamConfig{Betas: [2]float64{0.9, 1}}) },
		"adamw negative eps": func() { NewAdamW(p, AdamConfig{Eps: -1}) },
		"adagrad negative":   func() { NewAdagrad(p, AdagradConfig{LRDecay: -1}) },
		"rmsprop alpha":      func() { NewRMSProp(p, RMSPropConfig{Alpha: 1.5}) },
		"nil tensor":         func() { NewAdam([]nn.Param{{Name: "x"}}, AdamConfig{}) },
		"SetLR negative":     func() { NewAdam(p, AdamConfig{}).SetLR(-0.1) },
		"SetLR inf":          func() { NewAdam(p, AdamConfig{}).SetLR(math.Inf(1)) },
	} {
		func() {
			defer func() {
				if _, ok := recover().(*ConfigError); !ok {
					t.Errorf("%s: no *ConfigError panic", name)
				}
			}()
			fn()
		}()
	}
}

func TestGradMismatchPanics(t *testing.T) {
	w := tensor.Zeros(3)
	opt := NewSGD([]nn.Param{{Name: "w", Tensor: w}}, SGDConfig{LR: 1})
	for name, g := range map[string]*tensor.Tensor{
		"dtype": tensor.ZerosOf(tensor.Float64, 3),
		"size":  tensor.Zeros(4),
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s mismatch: no panic", name)
				}
			}()
			w.SetGrad(g)
			opt.Step()
		}()
	}
}

func TestDefaultsFilled(t *testing.T) {
	p := []nn.Param{{Name: "w", Tensor: tensor.Zeros(1)}}
	if c := NewAdam(p, AdamConfig{}).Config(); c.LR != 1e-3 || c.Betas != [2]float64{0.9, 0.999} || c.Eps != 1e-8 || c.WeightDecay != 0 {
		t.Errorf("Adam defaults %+v", c)
	}
	if c := NewAdam(p, AdamConfig{Betas: [2]float64{0, 0.9}}).Config(); c.Betas != [2]float64{0, 0.9} {
		t.Errorf("β1 = 0 not kept: %+v", c)
	}
	if c := NewAdagrad(p, AdagradConfig{}).Config(); c.LR != 1e-2 || c.Eps != 1e-10 {
		t.Errorf("Adagrad defaults %+v", c)
	}
	if c := NewRMSProp(p, RMSPropConfig{}).Config(); c.LR != 1e-2 || c.Alpha != 0.99 || c.Eps != 1e-8 {
		t.Errorf("RMSProp defaults %+v", c)
	}
	o := NewSGD(p, SGDConfig{LR: 0.1, Momentum: 0.9})
	o.SetLR(0.01)
	if c := o.Config(); c.LR != 0.01 || c.Momentum != 0.9 {
		t.Errorf("SGD config %+v", c)
	}
}

// TestSGDTrainsLinearRegression checks the optimizers end to end with
// autodiff: a least-squares fit must drive the loss down.
func TestSGDTrainsLinearRegression(t *testing.T) {
	x := tensor.FromFloat64([]float64{0, 1, 2, 3}, 4, 1)
	y := tensor.FromFloat64([]float64{1, 3, 5, 7}, 4, 1) // y = 2x + 1
	for name, mk := range map[string]func([]nn.Param) Optimizer{
		"SGD":     func(p []nn.Param) Optimizer { return NewSGD(p, SGDConfig{LR: 0.05, Momentum: 0.9}) },
		"Adam":    func(p []nn.Param) Optimizer { return NewAdam(p, AdamConfig{LR: 0.1}) },
		"RMSProp": func(p []nn.Param) Optimizer { return NewRMSProp(p, RMSPropConfig{LR: 0.05}) },
		"Adagrad": func(p []nn.Param) Optimizer { return NewAdagrad(p, AdagradConfig{LR: 0.5}) },
	} {
		w := tensor.ZerosOf(tensor.Float64, 1, 1).SetRequiresGrad(true)
		b := tensor.ZerosOf(tensor.Float64, 1).SetRequiresGrad(true)
		opt := mk([]nn.Param{{Name: "w", Tensor: w}, {Name: "b", Tensor: b}})
		var loss float64
		for range 500 {
			opt.ZeroGrad()
			d := tensor.Sub(tensor.Add(tensor.MatMul(x, w), b), y)
			l := tensor.Mean(tensor.Mul(d, d))
			l.Backward()
			opt.Step()
			loss = l.Item()
		}
		if loss > 1e-3 {
			t.Errorf("%s: loss %v after 500 steps (w %v, b %v)", name, loss, w.Values(), b.Values())
		}
	}
}

// TestLargeParamMatchesSmall updates one parameter big enough for the
// parallel path and the same values split into small parameters (updated
// serially); element-wise updates must agree exactly.
func TestLargeParamMatchesSmall(t *testing.T) {
	const n, parts = 4*parallelChunk + 123, 7
	rng := tensor.NewRand(3)
	init := tensor.RandN(rng, n).Values()
	grads := [][]float64{tensor.RandN(rng, n).Values(), tensor.RandN(rng, n).Values(), tensor.RandN(rng, n).Values()}
	for _, dt := range []tensor.DType{tensor.Float32, tensor.Float64} {
		for name := range allOptimizers(nil) {
			big := tensor.FromValues(dt, init, n)
			bigOpt := allOptimizers([]nn.Param{{Name: "big", Tensor: big}})[name]
			var small []nn.Param
			var bounds []int
			for k := range parts {
				lo, hi := k*n/parts, (k+1)*n/parts
				bounds = append(bounds, lo)
				small = append(small, nn.Param{Name: "s", Tensor: tensor.FromValues(dt, init[lo:hi], hi-lo)})
			}
			bounds = append(bounds, n)
			smallOpt := allOptimizers(small)[name]
			for _, g := range grads {
				big.SetGrad(tensor.FromValues(dt, g, n))
				for k, p := range small {
					p.Tensor.SetGrad(tensor.FromValues(dt, g[bounds[k]:bounds[k+1]], bounds[k+1]-bounds[k]))
				}
				bigOpt.Step()
				smallOpt.Step()
			}
			got := big.Values()
			for k, p := range small {
				for j, w := range p.Tensor.Values() {
					if got[bounds[k]+j] != w {
						t.Fatalf("%s %v: element %d: %v vs %v", name, dt, bounds[k]+j, got[bounds[k]+j], w)
					}
				}
			}
		}
	}
}
