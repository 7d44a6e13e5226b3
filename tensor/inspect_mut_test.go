package tensor_test

import (
	"errors"
	"slices"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestVJP checks VJP in package tensor: y = Σ (a·b + a) over a graph with
// a used twice, so that a's gradient sums two paths (b + 1), and an
// intermediate (m = a·b, whose gradient is 1), a leaf that does not reach
// y (nil), a scalar y without g and a non-scalar one with it; it leaves
// the leaves' Grad untouched and keeps the graph, so it can be called
// again. Misuse panics: a y that requires no gradient, a non-scalar y
// without g, a g of another shape or dtype, a graph freed by Backward, and a
// backward that returns a gradient of another shape than its input's.
func TestVJP(t *testing.T) {
	a := FromFloat64([]float64{1, 2, 3}, 3).SetRequiresGrad(true)
	b := FromFloat64([]float64{4, 5, 6}, 3).SetRequiresGrad(true)
	other := FromFloat64([]float64{7}, 1).SetRequiresGrad(true)
	m := Mul(a, b)
	s := Add(m, a)
	y := Sum(s)
	for call := range 2 {
		g := VJP(y, nil, a, b, m, other)
		if len(g) != 4 || g[3] != nil {
			t.Fatalf("call %d: %d gradients, the unreached one %v", call, len(g), g[len(g)-1])
		}
		for i, want := range [][]float64{{5, 6, 7}, {1, 2, 3}, {1, 1, 1}} {
			if g[i] == nil || !slices.Equal(g[i].Values(), want) {
				t.Errorf("call %d: gradient %d = %v, want %v", call, i, g[i], want)
			}
		}
	}
	if a.Grad() != nil || b.Grad() != nil {
		t.Errorf("VJP changed Grad: %v %v", a.Grad(), b.Grad())
	}
	// a non-scalar output with its upstream gradient
	up := FromFloat64([]float64{1, -1, 2}, 3)
	if g := VJP(s, up, a); !slices.Equal(g[0].Values(), []float64{5, -6, 14}) {
		t.Errorf("VJP of s with g: %v, want [5 -6 14]", g[0].Values())
	}

	mustPanic[*GradError](t, "does not require a gradient", func() { VJP(FromFloat64([]float64{1}, 1), nil) })
	mustPanic[*GradError](t, "is not a scalar", func() { VJP(s, nil, a) })
	mustPanic[*ShapeError](t, "upstream gradient must have the tensor's shape", func() { VJP(s, FromFloat64([]float64{1, 2}, 2), a) })
	mustPanic[*DTypeError](t, "VJP", func() { VJP(s, To(up, Float32), a) })
	bad := Custom("bad", Add(a.Detach(), a.Detach()), []*Tensor{a}, func(g *Tensor) []*Tensor { return []*Tensor{Sum(g)} })
	mustPanic[*ShapeError](t, "VJP of bad: shape mismatch [3] vs []: gradient shape differs from input shape", func() { VJP(bad, up, a) })
	y.Backward()
	mustPanic[*GradError](t, "graph already released", func() { VJP(y, nil, a) })
}

// TestVJPShortGradientSlice: a Custom op whose backward returns fewer
// gradients than it has inputs gives the missing ones no gradient (or a
// *GradError), never an index out of range.
func TestVJPShortGradientSlice(t *testing.T) {
	a := FromFloat64([]float64{1, 2}, 2).SetRequiresGrad(true)
	b := FromFloat64([]float64{3, 4}, 2).SetRequiresGrad(true)
	y := Custom("first", Add(a.Detach(), b.Detach()), []*Tensor{a, b}, func(g *Tensor) []*Tensor { return []*Tensor{g} })
	var g []*Tensor
	func() {
		defer func() {
			if r := recover(); r != nil {
				if err, ok := r.(error); !ok || !errors.As(err, new(*GradError)) {
					t.Fatalf("panic %v (%T), want a gradient or a *GradError", r, r)
				}
			}
		}()
		g = VJP(y, FromFloat64([]float64{1, 1}, 2), a, b)
	}()
	if g != nil && (g[0] == nil || !slices.Equal(g[0].Values(), []float64{1, 1}) || g[1] != nil) {
		t.Errorf("gradients %v, want [1 1] and nil", g)
	}
}
