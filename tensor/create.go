package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Zeros returns a Float32 tensor of zeros.
func Zeros(shape ...int) *Tensor { return alloc(Float32, shape) }

// ZerosOf returns a tensor of zeros with the given dtype.
func ZerosOf(dt DType, shape ...int) *Tensor { return allocAny(dt, shape) }

// ZerosLike returns zeros with t's shape and dtype.
func ZerosLike(t *Tensor) *Tensor { return allocAny(t.dtype, t.shape) }

// Ones returns a Float32 tensor of ones.
func Ones(shape ...int) *Tensor { return Full(1, shape...) }

// Full returns a Float32 tensor filled with v.
func Full(v float64, shape ...int) *Tensor { return FullOf(Float32, v, shape...) }

// FullOf returns a tensor of the given dtype filled with v (converted as
// To does for Int64).
func FullOf(dt DType, v float64, shape ...int) *Tensor {
	t := allocAny(dt, shape)
	for i := range t.f32 {
		t.f32[i] = float32(v)
	}
	for i := range t.f64 {
		t.f64[i] = v
	}
	if len(t.i64) > 0 {
		iv := toInt64(v)
		for i := range t.i64 {
			t.i64[i] = iv
		}
	}
	return t
}

// Scalar returns a Float32 tensor of shape [] holding v.
func Scalar(v float64) *Tensor { return Full(v) }

// ScalarOf returns a tensor of shape [] and dtype dt holding v (converted
// as To does for Int64): ScalarOf(Float64, 0.5) is the float64 constant
// to combine with float64 tensors, which Scalar's float32 one does not.
func ScalarOf(dt DType, v float64) *Tensor { return FullOf(dt, v) }

// FromFloat32 returns a Float32 tensor with the given data and shape. The
// data is used directly, not copied. With no shape, a 1-D tensor is made.
func FromFloat32(data []float32, shape ...int) *Tensor {
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	checkShape("FromFloat32", shape)
	if numel(shape) != len(data) {
		panic(shapeErr("FromFloat32", fmt.Sprintf("%d values do not fill the shape", len(data)), shape))
	}
	return &Tensor{shape: append([]int(nil), shape...), dtype: Float32, storage: storage{f32: data}}
}

// FromFloat64 returns a Float64 tensor with the given data and shape. The
// data is used directly, not copied. With no shape, a 1-D tensor is made.
func FromFloat64(data []float64, shape ...int) *Tensor {
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	checkShape("FromFloat64", shape)
	if numel(shape) != len(data) {
		panic(shapeErr("FromFloat64", fmt.Sprintf("%d values do not fill the shape", len(data)), shape))
	}
	return &Tensor{shape: append([]int(nil), shape...), dtype: Float64, storage: storage{f64: data}}
}

// FromInt64 returns an Int64 tensor with the given data and shape. The data
// is used directly, not copied. With no shape, a 1-D tensor is made.
func FromInt64(data []int64, shape ...int) *Tensor {
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	checkShape("FromInt64", shape)
	if numel(shape) != len(data) {
		panic(shapeErr("FromInt64", fmt.Sprintf("%d values do not fill the shape", len(data)), shape))
	}
	return &Tensor{shape: append([]int(nil), shape...), dtype: Int64, storage: storage{i64: data}}
}

// FromInts returns an Int64 tensor holding a copy of data, such as a batch
// of class labels. With no shape, a 1-D tensor is made.
func FromInts(data []int, shape ...int) *Tensor {
	v := make([]int64, len(data))
	for i, x := range data {
		v[i] = int64(x)
	}
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	checkShape("FromInts", shape)
	if numel(shape) != len(data) {
		panic(shapeErr("FromInts", fmt.Sprintf("%d values do not fill the shape", len(data)), shape))
	}
	return &Tensor{shape: append([]int(nil), shape...), dtype: Int64, storage: storage{i64: v}}
}

// FromValues returns a tensor of dtype dt holding a copy of vals.
func FromValues(dt DType, vals []float64, shape ...int) *Tensor {
	if len(shape) == 0 {
		shape = []int{len(vals)}
	}
	if numel(shape) != len(vals) {
		panic(shapeErr("FromValues", fmt.Sprintf("%d values do not fill the shape", len(vals)), shape))
	}
	t := allocAny(dt, shape)
	for i, v := range vals {
		t.put(i, v)
	}
	return t
}

// Arange returns the Float32 1-D tensor start, start+step, ... below stop.
func Arange(start, stop, step float64) *Tensor { return ArangeOf(Float32, start, stop, step) }

// ArangeOf returns the 1-D tensor start, start+step, ... below stop with
// dtype dt; ArangeOf(Int64, 0, n, 1) is the indices 0..n-1.
func ArangeOf(dt DType, start, stop, step float64) *Tensor {
	if step == 0 || math.IsNaN(start+stop+step) || math.IsInf(start+stop+step, 0) {
		panic(&ShapeError{Op: "Arange", Msg: fmt.Sprintf("invalid range start=%v stop=%v step=%v", start, stop, step)})
	}
	n := int(math.Ceil((stop - start) / step))
	if n < 0 {
		n = 0
	}
	t := allocAny(dt, []int{n})
	for i := 0; i < n; i++ {
		t.put(i, start+float64(i)*step)
	}
	return t
}

// RandN returns a Float32 tensor of standard normal samples drawn from rng.
func RandN(rng *rand.Rand, shape ...int) *Tensor {
	t := alloc(Float32, shape)
	for i := range t.f32 {
		t.f32[i] = float32(rng.NormFloat64())
	}
	return t
}

// RandU returns a Float32 tensor of samples uniform in [lo, hi) drawn from rng.
func RandU(rng *rand.Rand, lo, hi float64, shape ...int) *Tensor {
	t := alloc(Float32, shape)
	for i := range t.f32 {
		t.f32[i] = float32(lo + (hi-lo)*rng.Float64())
	}
	return t
}

// NewRand returns a deterministic random source for the given seed, for use
// with RandN, RandU and the initialisers.
func NewRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }
