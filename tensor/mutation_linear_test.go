package tensor_test

import (
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestLinearReLUIntoRefusesEachGradInput: writing into a destination
// records nothing, so outside NoGrad it refuses an input, a weight or a
// bias that requires a gradient, each on its own; and a destination of the
// wrong width or rank is a *ShapeError.
func TestLinearReLUIntoRefusesEachGradInput(t *testing.T) {
	x, w, b := RandN(NewRand(1), 5, 3), RandN(NewRand(2), 4, 3), RandN(NewRand(3), 4)
	dst := Zeros(5, 4)
	grad := func(t *Tensor) *Tensor { return t.Clone().SetRequiresGrad(true) }
	for name, f := range map[string]func(){
		"input":  func() { LinearReLUInto(dst, grad(x), w, b) },
		"weight": func() { LinearReLUInto(dst, x, grad(w), b) },
		"bias":   func() { LinearReLUInto(dst, x, w, grad(b)) },
	} {
		t.Run(name, func(t *testing.T) {
			mustPanic[*GradError](t, "NoGrad", f)
			NoGrad(f) // allowed where nothing is recorded
		})
	}
	LinearReLUInto(dst, x, w, nil) // no bias, nothing requiring a gradient
	mustPanic[*ShapeError](t, "destination must be [5,4]", func() { LinearReLUInto(Zeros(5, 3), x, w, b) })
	mustPanic[*ShapeError](t, "destination must be [5,4]", func() { LinearReLUInto(Zeros(20), x, w, b) })
}
