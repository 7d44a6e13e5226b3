package tensor

import "fmt"

// DType is the element type of a tensor.
type DType uint8

const (
	// Float32 is the default dtype, used for training.
	Float32 DType = iota
	// Float64 is used for exact gradient checks.
	Float64
)

// String returns "float32" or "float64".
func (d DType) String() string {
	switch d {
	case Float32:
		return "float32"
	case Float64:
		return "float64"
	}
	return fmt.Sprintf("DType(%d)", uint8(d))
}

// Size returns the number of bytes of one element.
func (d DType) Size() int {
	if d == Float64 {
		return 8
	}
	return 4
}

// Float is the constraint satisfied by the Go types behind the dtypes.
type Float interface{ ~float32 | ~float64 }
