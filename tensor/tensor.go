package tensor

import (
	"fmt"
	"slices"
)

// Tensor is an n-dimensional array of float32 or float64 values, stored
// contiguously in row-major order, with optional gradient tracking.
type Tensor struct {
	shape []int
	dtype DType
	f32   []float32
	f64   []float64

	requiresGrad bool
	grad         *Tensor
	gradOwned    bool    // grad was allocated by Backward (not given by SetGrad)
	spareGrad    *Tensor // storage of an owned gradient cleared by ZeroGrad, reused by the next Backward
	lentGrad     *Tensor // spareGrad handed to an op's backward by gradAlloc, taken back by accumulate
	node         *node   // the operation that produced this tensor, if tracked
	name         string
}

// Shape returns a copy of the tensor's shape.
func (t *Tensor) Shape() []int { return append([]int(nil), t.shape...) }

// Dim returns the size of axis i; negative i counts from the end.
func (t *Tensor) Dim(i int) int { return t.shape[normAxis("Dim", i, len(t.shape), t.shape)] }

// NDim returns the number of axes.
func (t *Tensor) NDim() int { return len(t.shape) }

// Len returns the number of elements.
func (t *Tensor) Len() int { return numel(t.shape) }

// DType returns the element type.
func (t *Tensor) DType() DType { return t.dtype }

// Name returns the tensor's name ("" unless set with SetName).
func (t *Tensor) Name() string { return t.name }

// SetName names the tensor (for graphs, traces and error messages) and
// returns it.
func (t *Tensor) SetName(name string) *Tensor { t.name = name; return t }

// Float32s returns the underlying float32 data (shared, not copied).
// It panics if the tensor is not Float32.
func (t *Tensor) Float32s() []float32 {
	if t.dtype != Float32 {
		panic(&DTypeError{Op: "Float32s", DTypes: []DType{t.dtype}, Shapes: [][]int{t.shape}})
	}
	return t.f32
}

// Float64s returns the underlying float64 data (shared, not copied).
// It panics if the tensor is not Float64.
func (t *Tensor) Float64s() []float64 {
	if t.dtype != Float64 {
		panic(&DTypeError{Op: "Float64s", DTypes: []DType{t.dtype}, Shapes: [][]int{t.shape}})
	}
	return t.f64
}

// Values returns a copy of the data converted to float64, whatever the dtype.
func (t *Tensor) Values() []float64 {
	out := make([]float64, t.Len())
	if t.dtype == Float64 {
		copy(out, t.f64)
	} else {
		for i, v := range t.f32 {
			out[i] = float64(v)
		}
	}
	return out
}

// At returns the element at the given index (one coordinate per axis).
func (t *Tensor) At(idx ...int) float64 { return t.get(t.offset("At", idx)) }

// Set stores v at the given index. It changes the tensor in place and must
// not be used on tensors that take part in a recorded computation.
func (t *Tensor) Set(v float64, idx ...int) { t.put(t.offset("Set", idx), v) }

// Item returns the single value of a one-element tensor.
func (t *Tensor) Item() float64 {
	if t.Len() != 1 {
		panic(shapeErr("Item", "tensor has more than one element", t.shape))
	}
	return t.get(0)
}

func (t *Tensor) offset(op string, idx []int) int {
	if len(idx) != len(t.shape) {
		panic(shapeErr(op, fmt.Sprintf("index %v has %d coordinates", idx, len(idx)), t.shape))
	}
	off := 0
	for i, v := range idx {
		if v < 0 || v >= t.shape[i] {
			panic(shapeErr(op, fmt.Sprintf("index %v out of range", idx), t.shape))
		}
		off = off*t.shape[i] + v
	}
	return off
}

func (t *Tensor) get(i int) float64 {
	if t.dtype == Float64 {
		return t.f64[i]
	}
	return float64(t.f32[i])
}

func (t *Tensor) put(i int, v float64) {
	if t.dtype == Float64 {
		t.f64[i] = v
	} else {
		t.f32[i] = float32(v)
	}
}

// sliceOf returns t's data as []T, which must match t's dtype.
func sliceOf[T Float](t *Tensor) []T {
	var z T
	if _, ok := any(z).(float32); ok {
		return any(t.f32).([]T)
	}
	return any(t.f64).([]T)
}

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// normAxis maps a possibly negative axis to [0, n).
func normAxis(op string, axis, n int, shape []int) int {
	a := axis
	if a < 0 {
		a += n
	}
	if a < 0 || a >= n {
		panic(shapeErr(op, fmt.Sprintf("axis %d out of range for %d axes", axis, n), shape))
	}
	return a
}

func checkShape(op string, shape []int) {
	for _, s := range shape {
		if s < 0 {
			panic(shapeErr(op, "negative dimension", shape))
		}
	}
}

// alloc returns a zero tensor of the given dtype and shape (shape is copied).
func alloc(dt DType, shape []int) *Tensor {
	checkShape("alloc", shape)
	t := &Tensor{shape: append([]int(nil), shape...), dtype: dt}
	n := numel(shape)
	if dt == Float64 {
		t.f64 = make([]float64, n)
	} else {
		t.f32 = make([]float32, n)
	}
	return t
}

// view returns a tensor sharing t's data with a new shape.
func (t *Tensor) view(shape []int) *Tensor {
	return &Tensor{shape: append([]int(nil), shape...), dtype: t.dtype, f32: t.f32, f64: t.f64}
}

// Clone returns a copy of t's data and shape, detached from any graph.
func (t *Tensor) Clone() *Tensor {
	c := alloc(t.dtype, t.shape)
	copy(c.f32, t.f32)
	copy(c.f64, t.f64)
	c.name = t.name
	return c
}

// CopyFrom overwrites t's values with src's (same shape; dtypes may differ).
// It changes t in place, for optimizers and for setting weights by hand.
func (t *Tensor) CopyFrom(src *Tensor) {
	if !slices.Equal(t.shape, src.shape) {
		panic(shapeErr("CopyFrom", "shapes differ", t.shape, src.shape))
	}
	switch {
	case t.dtype == src.dtype:
		copy(t.f32, src.f32)
		copy(t.f64, src.f64)
	case t.dtype == Float32:
		for i, v := range src.f64 {
			t.f32[i] = float32(v)
		}
	default:
		for i, v := range src.f32 {
			t.f64[i] = float64(v)
		}
	}
}

// SharesData reports whether t and u use the same underlying storage (as a
// view does). Gradient checks use it to catch outputs that alias inputs or
// cached intermediates.
func (t *Tensor) SharesData(u *Tensor) bool {
	switch {
	case t.dtype != u.dtype:
		return false
	case t.dtype == Float64 && len(t.f64) > 0 && len(u.f64) > 0:
		return &t.f64[0] == &u.f64[0]
	case t.dtype == Float32 && len(t.f32) > 0 && len(u.f32) > 0:
		return &t.f32[0] == &u.f32[0]
	}
	return false
}

// SetDType converts a leaf tensor's storage to dt in place (its gradient is
// cleared). Modules use it to move all parameters to Float64 for exact
// gradient checks.
func (t *Tensor) SetDType(dt DType) {
	if t.node != nil {
		panic(&GradError{Op: "SetDType", Msg: "only leaf tensors can change dtype in place"})
	}
	if t.dtype == dt {
		return
	}
	c := alloc(dt, t.shape)
	c.CopyFrom(t)
	t.dtype, t.f32, t.f64, t.grad, t.spareGrad, t.lentGrad = dt, c.f32, c.f64, nil, nil, nil
}

// SetFlat stores v at flat (row-major) position i, in place.
func (t *Tensor) SetFlat(i int, v float64) { t.put(i, v) }

// Flat returns the value at flat (row-major) position i.
func (t *Tensor) Flat(i int) float64 { return t.get(i) }
