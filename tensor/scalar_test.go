package tensor_test

import (
	"fmt"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

func TestScalarOf(t *testing.T) {
	for _, dt := range []DType{Float32, Float64, Int64} {
		s := ScalarOf(dt, 2.5)
		want := 2.5
		if dt == Int64 {
			want = 2 // converted as To does
		}
		if s.DType() != dt || s.NDim() != 0 || s.Item() != want {
			t.Errorf("ScalarOf(%v, 2.5) = %v %v %v", dt, s.DType(), s.Shape(), s.Item())
		}
	}
	// a Float64 scalar combines with Float64 tensors; Scalar's Float32 one does not
	x := FromFloat64([]float64{1, 2})
	if got := Mul(x, ScalarOf(Float64, 0.1)).Float64s(); got[1] != 0.2 {
		t.Errorf("x·0.1 = %v", got)
	}
	mustPanic[*DTypeError](t, "Mul: dtype mismatch float64[2] vs float32[]: convert with tensor.To(x, tensor.Float64), or make the constant with tensor.ScalarOf(tensor.Float64, v)", func() { Mul(x, Scalar(0.1)) })
}

// A float64 constant for float64 tensors (a gradient check, say) comes
// from ScalarOf: Scalar makes float32 ones.
func ExampleScalarOf() {
	x := FromFloat64([]float64{1, 2, 3})
	y := Mul(x, ScalarOf(Float64, 0.5))
	fmt.Println(y.DType(), y.Float64s())
	// Output: float64 [0.5 1 1.5]
}
