package optim

import (
	"fmt"
	"math"

	"github.com/duboko/duboko/internal/kernel"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// Optimizer updates parameters in place from their gradients.
type Optimizer interface {
	// Step applies one update to every parameter that has a gradient;
	// parameters whose gradient is nil are skipped.
	Step()
	// ZeroGrad clears the gradients of all parameters.
	ZeroGrad()
	// SetLR sets the learning rate used by the following steps.
	SetLR(lr float64)
	// LR returns the current learning rate.
	LR() float64
}

// ConfigError reports an invalid optimizer or schedule setting. Constructors
// panic with it.
type ConfigError struct {
	Optimizer string // "SGD", "Adam", ...
	Msg       string
}

// Error returns "Optimizer: message".
func (e *ConfigError) Error() string { return e.Optimizer + ": " + e.Msg }

// configPanic panics with a *ConfigError.
func configPanic(opt, format string, args ...any) {
	panic(&ConfigError{Optimizer: opt, Msg: fmt.Sprintf(format, args...)})
}

// slot is the state of one parameter.
type slot struct {
	p    *tensor.Tensor
	step int // updates applied so far
	f32  [][]float32
	f64  [][]float64
}

// base holds what every optimizer shares: parameters, their state and the
// learning rate.
type base struct {
	name   string
	params []nn.Param
	slots  []slot
	lr     float64

	scratch32 []float32 // temporary of the largest parameter's size
	scratch64 []float64
}

// newBase validates params and lr; the same tensor listed twice (tied
// weights) is kept once, at its first position.
func newBase(name string, params []nn.Param, lr float64) base {
	checkLR(name, lr)
	b := base{name: name, lr: lr}
	seen := make(map[*tensor.Tensor]bool, len(params))
	for _, p := range params {
		if p.Tensor == nil {
			configPanic(name, "parameter %q has a nil tensor", p.Name)
		}
		if seen[p.Tensor] {
			continue
		}
		seen[p.Tensor] = true
		b.params = append(b.params, p)
		b.slots = append(b.slots, slot{p: p.Tensor})
	}
	return b
}

// checkLR panics unless lr is finite and non-negative.
func checkLR(name string, lr float64) {
	if !(lr >= 0) || math.IsInf(lr, 0) {
		configPanic(name, "invalid learning rate %v", lr)
	}
}

// LR returns the current learning rate.
func (b *base) LR() float64 { return b.lr }

// SetLR sets the learning rate for the following steps; it panics with a
// *ConfigError if lr is negative, NaN or infinite.
func (b *base) SetLR(lr float64) {
	checkLR(b.name, lr)
	b.lr = lr
}

// ZeroGrad clears the gradients of all parameters.
func (b *base) ZeroGrad() {
	for _, p := range b.params {
		p.Tensor.ZeroGrad()
	}
}

// Params returns the optimized parameters (duplicates removed).
func (b *base) Params() []nn.Param { return append([]nn.Param(nil), b.params...) }

// each advances the step counter of every parameter that has a gradient
// and calls the update for its dtype: f32 or f64, the two instantiations
// of an optimizer's generic update.
func (b *base) each(f32 func(s *slot, p, g []float32), f64 func(s *slot, p, g []float64)) {
	for i := range b.slots {
		g := b.grad(i)
		if g == nil {
			continue
		}
		s := &b.slots[i]
		s.step++
		if s.p.DType() == tensor.Float64 {
			f64(s, s.p.Float64s(), g.Float64s())
		} else {
			f32(s, s.p.Float32s(), g.Float32s())
		}
	}
}

// grad returns slot i's gradient, or nil, after checking it fits the
// parameter.
func (b *base) grad(i int) *tensor.Tensor {
	p := b.slots[i].p
	g := p.Grad()
	if g == nil {
		return nil
	}
	if g.DType() != p.DType() {
		panic(&tensor.DTypeError{Op: b.name + " " + b.params[i].Name,
			DTypes: []tensor.DType{p.DType(), g.DType()}, Shapes: [][]int{p.Shape(), g.Shape()}})
	}
	if g.Len() != p.Len() {
		panic(&tensor.ShapeError{Op: b.name + " " + b.params[i].Name,
			Shapes: [][]int{p.Shape(), g.Shape()}, Msg: "gradient does not match parameter"})
	}
	return g
}

// float is the element type of parameter data.
type float interface{ float32 | float64 }

// data returns t's data as []T (T must match t's dtype).
func data[T float](t *tensor.Tensor) []T {
	var z T
	if _, ok := any(z).(float32); ok {
		return any(t.Float32s()).([]T)
	}
	return any(t.Float64s()).([]T)
}

// buffers returns the slot's k state buffers, allocating them filled with
// init on first use.
func buffers[T float](s *slot, k int, init T) [][]T {
	var z T
	if _, ok := any(z).(float32); ok {
		if s.f32 == nil {
			s.f32 = newBuffers(k, s.p.Len(), float32(init))
		}
		return any(s.f32).([][]T)
	}
	if s.f64 == nil {
		s.f64 = newBuffers(k, s.p.Len(), float64(init))
	}
	return any(s.f64).([][]T)
}

// scratch returns a temporary slice of n elements, reused between calls.
func scratch[T float](b *base, n int) []T {
	var z T
	if _, ok := any(z).(float32); ok {
		if cap(b.scratch32) < n {
			b.scratch32 = make([]float32, n)
		}
		return any(b.scratch32[:n]).([]T)
	}
	if cap(b.scratch64) < n {
		b.scratch64 = make([]float64, n)
	}
	return any(b.scratch64[:n]).([]T)
}

// newBuffers allocates k slices of n elements set to v.
func newBuffers[T float](k, n int, v T) [][]T {
	out := make([][]T, k)
	for i := range out {
		out[i] = make([]T, n)
		if v != 0 {
			for j := range out[i] {
				out[i][j] = v
			}
		}
	}
	return out
}

// parallelChunk is the smallest number of elements per goroutine in the
// element-wise update loops.
const parallelChunk = 1 << 15

// parallel runs fn over [0, n) in contiguous chunks on several goroutines
// when n is large. Updates are element-wise, so the result does not depend
// on the split.
func parallel(n int, fn func(lo, hi int)) {
	if n < 2*parallelChunk {
		fn(0, n)
		return
	}
	kernel.ParallelFor(n, parallelChunk, fn)
}

// sub returns x[lo:hi], or nil for a nil x.
func sub[T float](x []T, lo, hi int) []T {
	if x == nil {
		return nil
	}
	return x[lo:hi]
}

// sqrt is the square root in T (float32 sqrt compiles to one instruction).
func sqrt[T float](x T) T { return T(math.Sqrt(float64(x))) }
