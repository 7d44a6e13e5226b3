package safetensors

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Tensor is one named tensor: its dtype, its shape (row-major, as in
// PyTorch) and its raw little-endian bytes. A scalar has an empty shape and
// one element; a shape with a zero dimension has no elements and no bytes.
type Tensor struct {
	Name  string
	DType DType
	Shape []int
	Data  []byte
}

// NumElements returns the number of elements the shape describes
// (1 for a scalar). It does not check for overflow; Encode and Decode do.
func (t Tensor) NumElements() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// numBytes returns the number of bytes the dtype and shape call for, or an
// error if a dimension is negative, the dtype is unknown, or the count
// overflows.
func numBytes(dtype DType, shape []int) (int, error) {
	size := dtype.Size()
	if size == 0 {
		return 0, fmt.Errorf("unknown dtype %q", string(dtype))
	}
	n := size
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension in shape %v", shape)
		}
		if d != 0 && n > math.MaxInt/d {
			return 0, fmt.Errorf("shape %v of %s is too large", shape, dtype)
		}
		n *= d
	}
	return n, nil
}

func checkLen(fn, name string, shape []int, n int) {
	want := 1
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("safetensors.%s: tensor %q: negative dimension in shape %v", fn, name, shape))
		}
		want *= d
	}
	if want != n {
		panic(fmt.Sprintf("safetensors.%s: tensor %q: shape %v needs %d values, got %d", fn, name, shape, want, n))
	}
}

// Float32 returns an F32 tensor holding a copy of v. It panics if the
// number of values does not match the shape.
func Float32(name string, shape []int, v []float32) Tensor {
	checkLen("Float32", name, shape, len(v))
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return Tensor{Name: name, DType: F32, Shape: append([]int{}, shape...), Data: b}
}

// Float64 returns an F64 tensor holding a copy of v. It panics if the
// number of values does not match the shape.
func Float64(name string, shape []int, v []float64) Tensor {
	checkLen("Float64", name, shape, len(v))
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return Tensor{Name: name, DType: F64, Shape: append([]int{}, shape...), Data: b}
}

// Int64 returns an I64 tensor holding a copy of v, as PyTorch stores
// integer buffers such as BatchNorm's num_batches_tracked. It panics if the
// number of values does not match the shape.
func Int64(name string, shape []int, v []int64) Tensor {
	checkLen("Int64", name, shape, len(v))
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
	}
	return Tensor{Name: name, DType: I64, Shape: append([]int{}, shape...), Data: b}
}

// check reports whether the data length fits dtype and shape.
func (t Tensor) check() error {
	n, err := numBytes(t.DType, t.Shape)
	if err != nil {
		return err
	}
	if n != len(t.Data) {
		return fmt.Errorf("%s shape %v needs %d bytes, data has %d", t.DType, t.Shape, n, len(t.Data))
	}
	return nil
}

// AsFloat32 returns the values converted to float32. It accepts F32, F64
// (rounded), F16 and BF16 tensors.
func (t Tensor) AsFloat32() ([]float32, error) {
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("safetensors: tensor %q: %v", t.Name, err)
	}
	n := t.NumElements()
	out := make([]float32, n)
	b := t.Data
	switch t.DType {
	case F32:
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
	case F64:
		for i := range out {
			out[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])))
		}
	case F16:
		for i := range out {
			out[i] = halfToFloat32(binary.LittleEndian.Uint16(b[2*i:]))
		}
	case BF16:
		for i := range out {
			out[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(b[2*i:])) << 16)
		}
	default:
		return nil, fmt.Errorf("safetensors: tensor %q: cannot read %s as float32", t.Name, t.DType)
	}
	return out, nil
}

// AsFloat64 returns the values converted to float64. It accepts F64, F32,
// F16 and BF16 tensors; the conversion is exact.
func (t Tensor) AsFloat64() ([]float64, error) {
	if t.DType != F64 {
		switch t.DType {
		case F32, F16, BF16:
		default:
			return nil, fmt.Errorf("safetensors: tensor %q: cannot read %s as float64", t.Name, t.DType)
		}
		f, err := t.AsFloat32()
		if err != nil {
			return nil, err
		}
		out := make([]float64, len(f))
		for i, x := range f {
			out[i] = float64(x)
		}
		return out, nil
	}
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("safetensors: tensor %q: %v", t.Name, err)
	}
	out := make([]float64, t.NumElements())
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(t.Data[8*i:]))
	}
	return out, nil
}

// AsInt64 returns the values converted to int64. It accepts the integer
// dtypes I64, I32, I16, I8, U32, U16, U8, BOOL, and U64 when every value
// fits in an int64.
func (t Tensor) AsInt64() ([]int64, error) {
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("safetensors: tensor %q: %v", t.Name, err)
	}
	out := make([]int64, t.NumElements())
	b := t.Data
	le := binary.LittleEndian
	switch t.DType {
	case I64:
		for i := range out {
			out[i] = int64(le.Uint64(b[8*i:]))
		}
	case U64:
		for i := range out {
			u := le.Uint64(b[8*i:])
			if u > math.MaxInt64 {
				return nil, fmt.Errorf("safetensors: tensor %q: U64 value %d at index %d does not fit in int64", t.Name, u, i)
			}
			out[i] = int64(u)
		}
	case I32:
		for i := range out {
			out[i] = int64(int32(le.Uint32(b[4*i:])))
		}
	case U32:
		for i := range out {
			out[i] = int64(le.Uint32(b[4*i:]))
		}
	case I16:
		for i := range out {
			out[i] = int64(int16(le.Uint16(b[2*i:])))
		}
	case U16:
		for i := range out {
			out[i] = int64(le.Uint16(b[2*i:]))
		}
	case I8:
		for i := range out {
			out[i] = int64(int8(b[i]))
		}
	case U8, BOOL:
		for i := range out {
			out[i] = int64(b[i])
		}
	default:
		return nil, fmt.Errorf("safetensors: tensor %q: cannot read %s as int64", t.Name, t.DType)
	}
	return out, nil
}

// halfToFloat32 converts an IEEE 754 binary16 value to float32 exactly.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	case exp != 0: // normal
		return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
	case mant == 0: // signed zero
		return math.Float32frombits(sign)
	default: // subnormal: mant * 2^-24
		f := float32(mant) * (1.0 / (1 << 24))
		if sign != 0 {
			f = -f
		}
		return f
	}
}
