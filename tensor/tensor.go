package tensor

import (
	"fmt"
	"math"
	"slices"
)

// Tensor is an n-dimensional array of float32, float64 or int64 values,
// stored contiguously in row-major order, with optional gradient tracking
// (float dtypes only).
type Tensor struct {
	shape        []int
	dtype        DType
	requiresGrad bool
	gradOwned    bool // grad was allocated by Backward (not given by SetGrad)
	storage

	grad      *Tensor
	spareGrad *Tensor // storage of an owned gradient cleared by ZeroGrad, reused by the next Backward
	lentGrad  *Tensor // spareGrad handed to an op's backward by gradAlloc, taken back by accumulate
	node      *node   // the operation that produced this tensor, if tracked
	name      string
}

// storage holds a tensor's elements: exactly the slice of its dtype is
// used, the others are nil. Views copy the whole struct, so a new dtype's
// slice is added here and nowhere else in the view, clone and in-place
// dtype code.
type storage struct {
	f32 []float32
	f64 []float64
	i64 []int64
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
// It panics with a *DTypeError if the tensor is not Float32.
func (t *Tensor) Float32s() []float32 {
	t.mustBe("Float32s", Float32)
	return t.f32
}

// Float64s returns the underlying float64 data (shared, not copied).
// It panics with a *DTypeError if the tensor is not Float64.
func (t *Tensor) Float64s() []float64 {
	t.mustBe("Float64s", Float64)
	return t.f64
}

// Int64s returns the underlying int64 data (shared, not copied).
// It panics with a *DTypeError if the tensor is not Int64.
func (t *Tensor) Int64s() []int64 {
	t.mustBe("Int64s", Int64)
	return t.i64
}

// Ints returns a copy of an Int64 tensor's data as []int, for Go code that
// indexes slices with the values. It panics with a *DTypeError if the
// tensor is not Int64 (convert a float tensor with To first).
func (t *Tensor) Ints() []int {
	t.mustBe("Ints", Int64)
	out := make([]int, len(t.i64))
	for i, v := range t.i64 {
		out[i] = int(v)
	}
	return out
}

func (t *Tensor) mustBe(op string, dt DType) {
	if t.dtype != dt {
		panic(&DTypeError{Op: op, DTypes: []DType{t.dtype}, Shapes: [][]int{append([]int(nil), t.shape...)},
			Msg: fmt.Sprintf("want %v; convert with tensor.To(x, tensor.%s)", dt, dt.ident())})
	}
}

// Values returns a copy of the data converted to float64, whatever the
// dtype (int64 values beyond ±2⁵³ are rounded).
func (t *Tensor) Values() []float64 {
	out := make([]float64, t.Len())
	switch t.dtype {
	case Float32:
		convertSlice(out, t.f32)
	case Float64:
		copy(out, t.f64)
	case Int64:
		convertSlice(out, t.i64)
	default:
		panic(unknownDType("Values", t.dtype))
	}
	return out
}

// At returns the element at the given index (one coordinate per axis),
// converted to float64.
func (t *Tensor) At(idx ...int) float64 { return t.get(t.offset("At", idx)) }

// Set stores v at the given index, converted to t's dtype (for Int64,
// truncated toward zero as described at To). It changes the tensor in
// place and must not be used on tensors that take part in a recorded
// computation.
func (t *Tensor) Set(v float64, idx ...int) { t.put(t.offset("Set", idx), v) }

// Item returns the single value of a one-element tensor, as float64.
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
	switch t.dtype {
	case Float32:
		return float64(t.f32[i])
	case Float64:
		return t.f64[i]
	case Int64:
		return float64(t.i64[i])
	}
	panic(unknownDType("get", t.dtype))
}

func (t *Tensor) put(i int, v float64) {
	switch t.dtype {
	case Float32:
		t.f32[i] = float32(v)
	case Float64:
		t.f64[i] = v
	case Int64:
		t.i64[i] = toInt64(v)
	default:
		panic(unknownDType("put", t.dtype))
	}
}

// toInt64 converts v as To does: truncation toward zero, NaN to 0, and
// values beyond the int64 range (±Inf included) saturated.
func toInt64(v float64) int64 {
	switch {
	case v != v:
		return 0
	case v >= 9223372036854775807:
		return math.MaxInt64
	case v <= -9223372036854775808:
		return math.MinInt64
	}
	return int64(v)
}

// convertSlice converts src element-wise into dst (same length) for a float
// destination; integer destinations go through toInt64.
func convertSlice[D Float, S elem](dst []D, src []S) {
	for i, v := range src {
		dst[i] = D(v)
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

// alloc returns a zero tensor of a computing dtype (Float32, Float64;
// shape is copied) for the
// result of a differentiable operation. Every float operation allocates its
// result with its input's dtype through here before touching data, so this
// is the one place that turns an Int64 input into a *DTypeError naming the
// operation; integer-capable code calls allocAny.
func alloc(dt DType, shape []int) *Tensor {
	if !dt.computes() {
		panic(floatOnly(dt, nil)) // shape is the result's, not the input's: not shown
	}
	return allocAny(dt, shape)
}

// allocAny returns a zero tensor of any dtype (shape is copied).
func allocAny(dt DType, shape []int) *Tensor {
	checkShape("alloc", shape)
	t := &Tensor{shape: append([]int(nil), shape...), dtype: dt}
	n := numel(shape)
	switch dt {
	case Float32:
		t.f32 = make([]float32, n)
	case Float64:
		t.f64 = make([]float64, n)
	case Int64:
		t.i64 = make([]int64, n)
	default:
		panic(unknownDType("alloc", dt))
	}
	return t
}

// view returns a tensor sharing t's data with a new shape.
func (t *Tensor) view(shape []int) *Tensor {
	return &Tensor{shape: append([]int(nil), shape...), dtype: t.dtype, storage: t.storage}
}

// Clone returns a copy of t's data and shape, detached from any graph.
func (t *Tensor) Clone() *Tensor {
	c := allocAny(t.dtype, t.shape)
	c.copyRange(0, t, 0, t.Len())
	c.name = t.name
	return c
}

// copyRange copies n elements of src from position so to t at position
// do; t and src have the same dtype.
func (t *Tensor) copyRange(do int, src *Tensor, so, n int) {
	switch t.dtype {
	case Float32:
		copy(t.f32[do:do+n], src.f32[so:so+n])
	case Float64:
		copy(t.f64[do:do+n], src.f64[so:so+n])
	case Int64:
		copy(t.i64[do:do+n], src.i64[so:so+n])
	default:
		panic(unknownDType("copy", t.dtype))
	}
}

// CopyFrom overwrites t's values with src's (same shape; dtypes may differ
// and are converted as To does). It changes t in place, for optimizers and
// for setting weights by hand.
func (t *Tensor) CopyFrom(src *Tensor) {
	if !slices.Equal(t.shape, src.shape) {
		panic(shapeErr("CopyFrom", "shapes differ", t.shape, src.shape))
	}
	if t.dtype == src.dtype {
		t.copyRange(0, src, 0, t.Len())
		return
	}
	switch t.dtype {
	case Float32:
		convertInto(t.f32, src)
	case Float64:
		convertInto(t.f64, src)
	case Int64:
		for i := range t.i64 {
			t.i64[i] = toInt64(src.get(i))
		}
	default:
		panic(unknownDType("CopyFrom", t.dtype))
	}
}

// convertInto converts src's elements, whatever its dtype, into dst.
func convertInto[D Float](dst []D, src *Tensor) {
	switch src.dtype {
	case Float32:
		convertSlice(dst, src.f32)
	case Float64:
		convertSlice(dst, src.f64)
	case Int64:
		convertSlice(dst, src.i64)
	default:
		panic(unknownDType("CopyFrom", src.dtype))
	}
}

// SharesData reports whether t and u use the same underlying storage (as a
// view does). Gradient checks use it to catch outputs that alias inputs or
// cached intermediates.
func (t *Tensor) SharesData(u *Tensor) bool {
	switch {
	case t.dtype != u.dtype || t.Len() == 0 || u.Len() == 0:
		return false
	case t.dtype == Float32:
		return &t.f32[0] == &u.f32[0]
	case t.dtype == Float64:
		return &t.f64[0] == &u.f64[0]
	case t.dtype == Int64:
		return &t.i64[0] == &u.i64[0]
	}
	panic(unknownDType("SharesData", t.dtype))
}

// SetDType converts a leaf tensor's storage to dt in place (its gradient is
// cleared). Modules use it to move all parameters to Float64 for exact
// gradient checks. A tensor that requires a gradient cannot become Int64.
func (t *Tensor) SetDType(dt DType) {
	if t.node != nil {
		panic(&GradError{Op: "SetDType", Msg: "only leaf tensors can change dtype in place"})
	}
	if t.dtype == dt {
		return
	}
	if t.requiresGrad && !dt.IsFloat() {
		panic(&GradError{Op: "SetDType", Msg: fmt.Sprintf("a tensor that requires a gradient cannot become %v", dt)})
	}
	c := allocAny(dt, t.shape)
	c.CopyFrom(t)
	t.dtype, t.storage, t.grad, t.spareGrad, t.lentGrad = dt, c.storage, nil, nil, nil
}

// SetFlat stores v at flat (row-major) position i, in place.
func (t *Tensor) SetFlat(i int, v float64) { t.put(i, v) }

// Flat returns the value at flat (row-major) position i.
func (t *Tensor) Flat(i int) float64 { return t.get(i) }
