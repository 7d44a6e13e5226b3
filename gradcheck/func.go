package gradcheck

import (
	"fmt"

	"github.com/duboko/duboko/tensor"
)

// inPlaceProblem is Func's report of a backward that modified G.
const inPlaceProblem = "the backward pass modified its incoming gradient in place (autodiff may hand that tensor to other ops too: write into a copy)"

// Func checks the autodiff gradients of f with respect to each input.
// The inputs must be Float64. For a non-scalar output, the checked scalar
// is Σ f(inputs)⊙G for a fixed random G. Inputs' names (SetName) are used
// in the report, else "input i".
//
// As Layer does, Func hands the backward pass a copy of G and compares
// with the derivatives of Σ f⊙G for the unmodified G; a backward that
// modifies the G it receives (the last op's, such as a hand-written layer
// wrapped with nn.Wrap) fails with a line of its own that says so, and its
// values are judged on their own merit.
func Func(f func(in []*tensor.Tensor) *tensor.Tensor, inputs []*tensor.Tensor, opts ...Options) Report {
	o := Options{}
	if len(opts) > 0 {
		o = opts[0]
	}
	o = o.withDefaults()
	for _, in := range inputs {
		requireFloat64("Func", in)
	}
	saved := make([]bool, len(inputs))
	for i, in := range inputs {
		saved[i] = in.RequiresGrad()
		in.ZeroGrad()
		in.SetRequiresGrad(true)
	}
	defer func() {
		for i, in := range inputs {
			in.SetRequiresGrad(saved[i])
		}
	}()
	y := f(inputs)
	g := tensor.RandN(tensor.NewRand(o.Seed^0x5eed0f6), y.Shape()...)
	g = tensor.To(g, tensor.Float64)
	rep := Report{Tol: o.Tol, ATol: o.ATol}
	if !y.RequiresGrad() {
		rep.Results = []Result{{Name: "output", Problem: "output does not depend on any input through recorded ops"}}
		return rep
	}
	// Backward gets a copy of G: a backward that modifies its incoming
	// gradient in place must not change the G of the numerical side (the
	// analytic values are then compared with the true derivatives of
	// Σ f⊙G, and the modification is reported by itself).
	gb := g.Clone()
	y.BackwardWith(gb)
	if !equal(gb, g) {
		rep.Results = append(rep.Results, Result{Name: "backward", Problem: inPlaceProblem})
	}
	loss := func() float64 {
		var v float64
		tensor.NoGrad(func() { v = weightedSum(f(inputs), g) })
		return v
	}
	for i, in := range inputs {
		name := in.Name()
		if name == "" {
			name = fmt.Sprintf("input %d", i)
		}
		var ana []float64
		if in.Grad() != nil {
			ana = in.Grad().Values()
		} else {
			ana = make([]float64, in.Len())
		}
		rep.Results = append(rep.Results, check(name, in, ana, loss, o))
		in.ZeroGrad()
	}
	return rep
}

// Params checks the autodiff gradients of a scalar loss with respect to
// named parameters (a whole model: pass its parameters), all Float64.
// loss is called once with recording on and then repeatedly without.
func Params(loss func() *tensor.Tensor, names []string, params []*tensor.Tensor, opts ...Options) Report {
	o := Options{}
	if len(opts) > 0 {
		o = opts[0]
	}
	o = o.withDefaults()
	for _, p := range params {
		requireFloat64("Params", p)
		p.ZeroGrad()
	}
	l := loss()
	l.Backward()
	scalar := func() float64 {
		var v float64
		tensor.NoGrad(func() { v = loss().Item() })
		return v
	}
	rep := Report{Tol: o.Tol, ATol: o.ATol}
	for i, p := range params {
		var ana []float64
		if p.Grad() != nil {
			ana = p.Grad().Values()
		} else {
			ana = make([]float64, p.Len())
		}
		rep.Results = append(rep.Results, check(names[i], p, ana, scalar, o))
	}
	return rep
}
