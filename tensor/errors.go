package tensor

import (
	"fmt"
	"slices"
	"strings"
)

// ShapeError reports tensors whose shapes do not fit an operation.
// Operations panic with a *ShapeError; it names the op and every shape.
type ShapeError struct {
	Op     string  // operation or layer name, e.g. "MatMul"
	Shapes [][]int // the shapes involved
	Msg    string  // what is wrong, e.g. "inner dimensions differ"
}

func (e *ShapeError) Error() string {
	parts := make([]string, len(e.Shapes))
	for i, s := range e.Shapes {
		parts[i] = fmt.Sprint(s)
	}
	msg := fmt.Sprintf("%s: shape mismatch %s", e.Op, strings.Join(parts, " vs "))
	if e.Msg != "" {
		msg += ": " + e.Msg
	}
	return msg
}

// DTypeError reports operands of different or unsupported dtypes.
type DTypeError struct {
	Op     string
	DTypes []DType
	Shapes [][]int
	Msg    string // what to do about it, e.g. how to convert
}

func (e *DTypeError) Error() string {
	parts := make([]string, len(e.DTypes))
	for i, d := range e.DTypes {
		if i < len(e.Shapes) {
			parts[i] = fmt.Sprintf("%v%v", d, e.Shapes[i])
		} else {
			parts[i] = d.String()
		}
	}
	what := "dtype mismatch"
	if len(parts) == 1 {
		what = "unsupported dtype"
	}
	msg := fmt.Sprintf("%s: %s %s", e.Op, what, strings.Join(parts, " vs "))
	if e.Msg != "" {
		msg += ": " + e.Msg
	}
	return msg
}

// GradError reports a misuse of automatic differentiation, such as calling
// Backward on a non-scalar without an upstream gradient.
type GradError struct {
	Op  string
	Msg string
}

func (e *GradError) Error() string { return e.Op + ": " + e.Msg }

func shapeErr(op, msg string, shapes ...[]int) *ShapeError {
	cp := make([][]int, len(shapes))
	for i, s := range shapes {
		cp[i] = append([]int(nil), s...)
	}
	return &ShapeError{Op: op, Shapes: cp, Msg: msg}
}

// sameDType checks that the operands of a float operation have one float
// dtype.
func sameDType(op string, ts ...*Tensor) {
	sameDTypeAny(op, ts...)
	if !ts[0].dtype.computes() {
		panic(floatOnly(ts[0].dtype, ts[0].shape))
	}
}

// sameDTypeAny checks that the operands have one dtype, of any kind.
func sameDTypeAny(op string, ts ...*Tensor) {
	for _, t := range ts[1:] {
		if t.dtype != ts[0].dtype {
			e := &DTypeError{Op: op}
			for _, u := range ts {
				e.DTypes = append(e.DTypes, u.dtype)
				e.Shapes = append(e.Shapes, append([]int(nil), u.shape...))
			}
			e.Msg = convertHint(e.DTypes)
			if to := hintDType(e.DTypes); slices.ContainsFunc(ts, func(u *Tensor) bool { return len(u.shape) == 0 && u.dtype != to }) {
				e.Msg += fmt.Sprintf(", or make the constant with tensor.ScalarOf(tensor.%s, v)", to.ident())
			}
			panic(e)
		}
	}
}
