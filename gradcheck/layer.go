package gradcheck

import (
	"fmt"
	"slices"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// Layer checks a layer's hand-written BackwardInputs and BackwardParams
// against central differences of L = Σ Forward(x)⊙G for a fixed random G,
// with x and all parameters in Float64 (move a module with nn.To first).
//
// Besides values it catches the classic mistakes of hand-written layers:
// a Forward that modifies its input, a Forward whose output shares memory
// with its input or with a buffer that the next Forward overwrites, a
// backward that modifies its incoming gradient, and gradients of the wrong
// shape (a transposed weight gradient).
func Layer(l nn.Layer, x *tensor.Tensor, opts ...Options) Report {
	o := Options{}
	if len(opts) > 0 {
		o = opts[0]
	}
	o = o.withDefaults()
	requireFloat64("Layer input", x)
	rep := Report{Tol: o.Tol, ATol: o.ATol}
	problem := func(name, msg string) {
		rep.Results = append(rep.Results, Result{Name: name, Problem: msg})
	}

	var y *tensor.Tensor
	x0 := x.Clone()
	tensor.NoGrad(func() { y = l.Forward(x) })
	if !equal(x, x0) {
		problem("forward", "Forward modified its input in place")
		x.CopyFrom(x0)
	}
	// A second Forward on other data must not change the first output.
	y0 := y.Clone()
	x2 := tensor.To(tensor.RandN(tensor.NewRand(o.Seed+7), x.Shape()...), tensor.Float64)
	var y2 *tensor.Tensor
	tensor.NoGrad(func() { y2 = l.Forward(x2) })
	if !equal(y, y0) || y2.SharesData(y) {
		problem("forward", "Forward's output aliases a buffer that the next Forward overwrites (a cached intermediate)")
	}
	tensor.NoGrad(func() { y = l.Forward(x) })

	// Each backward method gets its own copy of G, so that one that
	// modifies its incoming gradient (and perhaps returns it) changes
	// neither the other's input nor the G of the numerical side.
	g := tensor.To(tensor.RandN(tensor.NewRand(o.Seed^0x5eed0f6), y.Shape()...), tensor.Float64)
	gi := g.Clone()
	dx := l.BackwardInputs(gi)
	if !equal(gi, g) {
		problem("backward", "BackwardInputs modified its incoming gradient in place")
	}
	// Snapshot the analytic values before anything else runs:
	// BackwardParams and the numerical differentiation's Forward calls
	// may legitimately reuse buffers.
	dxv := dx.Values()
	gp := g.Clone()
	pgs := l.BackwardParams(gp)
	if !equal(gp, g) {
		problem("backward", "BackwardParams modified its incoming gradient in place")
	}
	type pv struct {
		name  string
		p     *tensor.Tensor
		shape []int
		vals  []float64
	}
	var ps []pv
	for _, pg := range pgs {
		ps = append(ps, pv{pg.Name, pg.Param, pg.Grad.Shape(), pg.Grad.Values()})
	}

	loss := func() float64 {
		var v float64
		tensor.NoGrad(func() { v = weightedSum(l.Forward(x), g) })
		return v
	}
	if !slices.Equal(dx.Shape(), x.Shape()) {
		problem("input", fmt.Sprintf("BackwardInputs returned shape %v for input %v", dx.Shape(), x.Shape()))
	} else {
		rep.Results = append(rep.Results, check("input", x, dxv, loss, o))
	}
	for _, p := range ps {
		requireFloat64("Layer parameter "+p.name, p.p)
		if !slices.Equal(p.shape, p.p.Shape()) {
			problem(p.name, fmt.Sprintf("gradient has shape %v but the parameter has %v (transposed?)", p.shape, p.p.Shape()))
			continue
		}
		rep.Results = append(rep.Results, check(p.name, p.p, p.vals, loss, o))
	}
	return rep
}

// Module checks the autodiff gradients of a whole module: of Σ m(x)⊙G
// with respect to x and every parameter (all Float64). It is Func on the
// module's forward pass, and like Func judges the values against the
// unmodified G and reports a backward that modifies it.
func Module(m nn.Module, x *tensor.Tensor, opts ...Options) Report {
	params := m.Params()
	ins := []*tensor.Tensor{x}
	for _, p := range params {
		ins = append(ins, p.Tensor)
	}
	saved := make([]string, len(params))
	for i, p := range params {
		saved[i] = p.Tensor.Name()
		p.Tensor.SetName(p.Name)
	}
	defer func() {
		for i, p := range params {
			p.Tensor.SetName(saved[i])
		}
	}()
	return Func(func(in []*tensor.Tensor) *tensor.Tensor { return m.Forward(in[0]) }, ins, opts...)
}

func equal(a, b *tensor.Tensor) bool {
	av, bv := a.Values(), b.Values()
	if len(av) != len(bv) {
		return false
	}
	for i := range av {
		if av[i] != bv[i] && !(av[i] != av[i] && bv[i] != bv[i]) {
			return false
		}
	}
	return true
}
