package nn_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// cell is a toy recurrent cell with two inputs and two outputs, written as
// a student writes one: (x [N,I], h [N,H] optional) → (y [N,O], h' [N,H])
// with h' = tanh(x·Wxᵀ + h·Whᵀ + b) and y = h'·Wyᵀ. Its ForwardN is built
// from recorded ops, so it is a MultiModule for autodiff as it stands; its
// backward methods are derived by hand.
type cell struct {
	Wx, Wh, B, Wy *tensor.Tensor

	x, h, hn *tensor.Tensor // last ForwardN (h nil when omitted)
	n        int            // number of inputs of the last ForwardN
}

func newCell(seed uint64, in, hidden, out int) *cell {
	p := func(s uint64, shape ...int) *tensor.Tensor {
		return tensor.MulScalar(rnd(seed+s, shape...), 0.5).SetRequiresGrad(true)
	}
	return &cell{Wx: p(1, hidden, in), Wh: p(2, hidden, hidden), B: p(3, hidden), Wy: p(4, out, hidden)}
}

func (c *cell) ForwardN(in ...*tensor.Tensor) []*tensor.Tensor {
	c.x, c.h, c.n = in[0], nil, len(in)
	z := tensor.Add(tensor.MatMul(c.x, tensor.T(c.Wx)), c.B)
	if len(in) > 1 && in[1] != nil {
		c.h = in[1]
		z = tensor.Add(z, tensor.MatMul(c.h, tensor.T(c.Wh)))
	}
	c.hn = tensor.Tanh(z)
	return []*tensor.Tensor{tensor.MatMul(c.hn, tensor.T(c.Wy)), c.hn}
}

// dz returns ∂L/∂z from the output gradients (nil = zeros).
func (c *cell) dz(g []*tensor.Tensor) *tensor.Tensor {
	var d *tensor.Tensor
	tensor.NoGrad(func() {
		d = tensor.ZerosLike(c.hn)
		if g[0] != nil {
			d = tensor.Add(d, tensor.MatMul(g[0], c.Wy.Detach()))
		}
		if g[1] != nil {
			d = tensor.Add(d, g[1])
		}
		hn := c.hn.Detach()
		d = tensor.Mul(d, tensor.AddScalar(tensor.Neg(tensor.Mul(hn, hn)), 1))
	})
	return d
}

func (c *cell) BackwardInputsN(g []*tensor.Tensor) []*tensor.Tensor {
	dz := c.dz(g)
	out := make([]*tensor.Tensor, 2)
	tensor.NoGrad(func() {
		out[0] = tensor.MatMul(dz, c.Wx.Detach())
		if c.h != nil {
			out[1] = tensor.MatMul(dz, c.Wh.Detach())
		}
	})
	return out[:c.n]
}

func (c *cell) BackwardParamsN(g []*tensor.Tensor) []nn.ParamGrad {
	dz := c.dz(g)
	var out []nn.ParamGrad
	tensor.NoGrad(func() {
		dwh := tensor.ZerosLike(c.Wh)
		if c.h != nil {
			dwh = tensor.MatMul(tensor.T(dz), c.h.Detach())
		}
		dwy := tensor.ZerosLike(c.Wy)
		if g[0] != nil {
			dwy = tensor.MatMul(tensor.T(g[0]), c.hn.Detach())
		}
		out = []nn.ParamGrad{
			{Name: "weight_ih", Param: c.Wx, Grad: tensor.MatMul(tensor.T(dz), c.x.Detach())},
			{Name: "weight_hh", Param: c.Wh, Grad: dwh},
			{Name: "bias", Param: c.B, Grad: tensor.Sum(dz, 0)},
			{Name: "weight_out", Param: c.Wy, Grad: dwy},
		}
	})
	return out
}

func (c *cell) Params() []nn.Param {
	return []nn.Param{{Name: "weight_ih", Tensor: c.Wx}, {Name: "weight_hh", Tensor: c.Wh}, {Name: "bias", Tensor: c.B}, {Name: "weight_out", Tensor: c.Wy}}
}

func (c *cell) SetTraining(bool) {}

var _ nn.MultiModule = (*cell)(nil)

// multiCase is a multi-input layer with its inputs and output gradients.
type multiCase struct {
	name   string
	m      nn.MultiModule
	inputs []*tensor.Tensor // float64; nil for an omitted optional input
	grads  []*tensor.Tensor // one per output; nil for an unused output
}

// lossOf returns Σ_k Σ y_k ⊙ g_k, recorded when recording is on.
func lossOf(ys, gs []*tensor.Tensor) *tensor.Tensor {
	var l *tensor.Tensor
	for k, y := range ys {
		if gs[k] == nil {
			continue
		}
		t := tensor.Sum(tensor.Mul(y, gs[k]))
		if l == nil {
			l = t
		} else {
			l = tensor.Add(l, t)
		}
	}
	return l
}

// checkMulti checks a multi-input layer three ways against central
// differences in float64: its explicit BackwardInputsN/BackwardParamsN,
// autodiff through its ForwardN, and autodiff through WrapN(m) (which
// calls the explicit methods from Backward).
func checkMulti(t *testing.T, c multiCase, wrapped nn.MultiModule) {
	t.Helper()
	loss := func() float64 {
		var v float64
		tensor.NoGrad(func() { v = lossOf(c.m.ForwardN(c.inputs...), c.grads).Item() })
		return v
	}
	var wantIn [][]float64
	for _, x := range c.inputs {
		if x == nil {
			wantIn = append(wantIn, nil)
			continue
		}
		wantIn = append(wantIn, numGrad(x, loss))
	}
	params := c.m.Params()
	var wantP [][]float64
	for _, p := range params {
		wantP = append(wantP, numGrad(p.Tensor, loss))
	}
	const tol = 1e-6

	// Explicit methods.
	c.m.ForwardN(c.inputs...)
	dx := c.m.BackwardInputsN(c.grads)
	for i, w := range wantIn {
		if w == nil {
			if i < len(dx) && dx[i] != nil {
				t.Fatalf("explicit: gradient for omitted input %d", i)
			}
			continue
		}
		agree(t, fmt.Sprintf("%s explicit ∂L/∂input%d", c.name, i), dx[i].Values(), w, tol)
	}
	pgs := c.m.BackwardParamsN(c.grads)
	if len(pgs) != len(params) {
		t.Fatalf("explicit: %d parameter gradients for %d parameters", len(pgs), len(params))
	}
	for i, pg := range pgs {
		if pg.Param != params[i].Tensor || pg.Name != params[i].Name {
			t.Fatalf("explicit: gradient %d is %q, parameter %q", i, pg.Name, params[i].Name)
		}
		agree(t, c.name+" explicit ∂L/∂"+pg.Name, pg.Grad.Values(), wantP[i], tol)
	}

	// Autodiff, through the layer's own recorded ForwardN and through WrapN.
	for _, ad := range []struct {
		name string
		m    nn.MultiModule
	}{{"autodiff", c.m}, {"WrapN", wrapped}} {
		xs := make([]*tensor.Tensor, len(c.inputs))
		for i, x := range c.inputs {
			if x != nil {
				xs[i] = x.Clone().SetRequiresGrad(true)
			}
		}
		for _, p := range params {
			p.Tensor.ZeroGrad()
		}
		lossOf(ad.m.ForwardN(xs...), c.grads).Backward()
		for i, x := range xs {
			if x != nil {
				agree(t, fmt.Sprintf("%s %s ∂L/∂input%d", c.name, ad.name, i), x.Grad().Values(), wantIn[i], tol)
			}
		}
		for i, p := range params {
			got := make([]float64, p.Tensor.Len()) // no gradient: zeros
			if g := p.Tensor.Grad(); g != nil {
				got = g.Values()
			}
			agree(t, c.name+" "+ad.name+" ∂L/∂"+p.Name, got, wantP[i], tol)
		}
	}
}

func TestMultiLayers(t *testing.T) {
	rng := tensor.NewRand(5)
	bl := nn.NewBilinear(rng, 3, 4, 2)
	nn.To(bl, tensor.Float64)
	blNoBias := nn.NewBilinear(rng, 3, 4, 2, nn.BilinearNoBias())
	nn.To(blNoBias, tensor.Float64)
	lin := nn.NewLinear(rng, 3, 2)
	nn.To(lin, tensor.Float64)
	cases := []multiCase{
		{"Bilinear", bl, []*tensor.Tensor{rnd(1, 5, 3), rnd(2, 5, 4)}, []*tensor.Tensor{rnd(3, 5, 2)}},
		{"Bilinear/no bias", blNoBias, []*tensor.Tensor{rnd(1, 5, 3), rnd(2, 5, 4)}, []*tensor.Tensor{rnd(3, 5, 2)}},
		{"cell", newCell(10, 3, 4, 2), []*tensor.Tensor{rnd(1, 5, 3), rnd(2, 5, 4)}, []*tensor.Tensor{rnd(3, 5, 2), rnd(4, 5, 4)}},
		{"cell/no h0", newCell(10, 3, 4, 2), []*tensor.Tensor{rnd(1, 5, 3), nil}, []*tensor.Tensor{rnd(3, 5, 2), rnd(4, 5, 4)}},
		{"cell/state unused", newCell(10, 3, 4, 2), []*tensor.Tensor{rnd(1, 5, 3), rnd(2, 5, 4)}, []*tensor.Tensor{rnd(3, 5, 2), nil}},
		{"cell/output unused", newCell(10, 3, 4, 2), []*tensor.Tensor{rnd(1, 5, 3), rnd(2, 5, 4)}, []*tensor.Tensor{nil, rnd(4, 5, 4)}},
		{"AsMulti(Linear)", nn.AsMulti(lin), []*tensor.Tensor{rnd(1, 5, 3)}, []*tensor.Tensor{rnd(3, 5, 2)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkMulti(t, c, nn.WrapN(c.m))
		})
	}
}

// TestSelectInSequential puts the two-output cell into a Sequential,
// keeping its first output, and checks both the explicit and the autodiff
// paths, for the cell as built (recorded ops) and wrapped.
func TestSelectInSequential(t *testing.T) {
	rng := tensor.NewRand(8)
	for _, wrap := range []bool{false, true} {
		var m nn.MultiModule = newCell(20, 4, 5, 3)
		if wrap {
			m = nn.WrapN(m)
		}
		s := nn.NewSequential(nn.NewLinear(rng, 2, 4), nn.NewTanh())
		s.Add("cell", nn.Select(m, 0)).Add("out", nn.NewLinear(rng, 3, 1))
		nn.To(s, tensor.Float64)
		x := rnd(9, 6, 2)
		if rep := gradcheck.Layer(s, x); !rep.OK() {
			t.Fatalf("wrap=%v explicit:\n%s", wrap, rep)
		}
		if rep := gradcheck.Module(s, x); !rep.OK() {
			t.Fatalf("wrap=%v autodiff:\n%s", wrap, rep)
		}
		var names []string
		for _, p := range s.Params() {
			names = append(names, p.Name)
		}
		if got := strings.Join(names, ","); got != "0.weight,0.bias,cell.weight_ih,cell.weight_hh,cell.bias,cell.weight_out,out.weight,out.bias" {
			t.Fatalf("names %s", got)
		}
	}
	mustLayerError(t, "output 2", func() { nn.Select(newCell(1, 2, 2, 2), 2).Forward(rnd(1, 3, 2)) })
	mustLayerError(t, "takes 1 input", func() { nn.AsMulti(nn.NewTanh()).ForwardN(rnd(1, 2), rnd(2, 2)) })
	mustLayerError(t, "takes 2 inputs", func() { nn.NewBilinear(rng, 2, 2, 2).ForwardN(rnd(1, 2, 2)) })
}

func mustLayerError(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		var le *nn.LayerError
		if err, ok := r.(error); !ok || !errors.As(err, &le) || !strings.Contains(err.Error(), want) {
			t.Fatalf("panic %v, want a *nn.LayerError containing %q", r, want)
		}
	}()
	f()
}
