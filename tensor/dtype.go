package tensor

import (
	"fmt"
	"runtime"
	"strings"
	"unicode"
)

// DType is the element type of a tensor.
//
// Float32 and Float64 are the float dtypes: every differentiable operation
// accepts them. Int64 holds labels, indices, counts and lengths (PyTorch's
// torch.long); it supports creation, conversion with To, views (Reshape,
// Squeeze, ...), copying (Clone, Concat, Stack, Slice, IndexSelect),
// comparisons and Where, and serves as the index argument of Gather,
// IndexSelect and OneHot. A float-only operation given an Int64 tensor
// panics with a *DTypeError that names the operation and says how to
// convert. Integer tensors never require gradients.
type DType uint8

const (
	// Float32 is the default dtype, used for training.
	Float32 DType = iota
	// Float64 is used for exact gradient checks.
	Float64
	// Int64 holds integers: labels, indices, counts, lengths.
	Int64
)

// dtypeFacts is everything the package needs to know about one dtype
// except how its elements are stored: a slice field of storage and one
// case in each storage switch of tensor.go (allocAny, copyRange, CopyFrom,
// convertInto, Values, get, put, SharesData), plus the dtype switches of
// compare.go (compare, Sign) and index.go (argExtreme). Each such switch
// panics on a dtype it lacks, and TestEveryDTypeStores runs them all on
// every dtype of this table.
type dtypeFacts struct {
	name    string // as printed and in errors
	ident   string // the Go constant, for hints in errors
	size    int    // bytes per element
	float   bool   // a floating-point type
	compute bool   // the differentiable operations have kernels for it
	bits    int    // precision for printing floats: 32 or 64
}

// dtypes is the one table of per-dtype facts, indexed by DType.
var dtypes = [...]dtypeFacts{
	Float32: {name: "float32", ident: "Float32", size: 4, float: true, compute: true, bits: 32},
	Float64: {name: "float64", ident: "Float64", size: 8, float: true, compute: true, bits: 64},
	Int64:   {name: "int64", ident: "Int64", size: 8},
}

func (d DType) facts() (dtypeFacts, bool) {
	if int(d) < len(dtypes) {
		return dtypes[d], true
	}
	return dtypeFacts{}, false
}

// String returns the dtype's name: "float32", "float64" or "int64".
func (d DType) String() string {
	if f, ok := d.facts(); ok {
		return f.name
	}
	return fmt.Sprintf("DType(%d)", uint8(d))
}

// Size returns the number of bytes of one element (0 for an unknown dtype).
func (d DType) Size() int {
	f, _ := d.facts()
	return f.size
}

// IsFloat reports whether d is a floating-point dtype (Float32 or Float64
// today), the kind every differentiable operation accepts.
func (d DType) IsFloat() bool { return int(d) < len(dtypes) && dtypes[d].float }

// computes reports whether the differentiable operations have kernels for
// d. A storage-only float dtype (float16 or bfloat16, say) would be float
// but not compute, and be rejected by them until they learn it.
func (d DType) computes() bool { return int(d) < len(dtypes) && dtypes[d].compute }

func (d DType) ident() string {
	if f, ok := d.facts(); ok {
		return f.ident
	}
	return d.String()
}

// floatOnly is the error of a float operation given a tensor of dtype dt
// (and shape, if known; nil omits it): it names the exported function of this package through
// which the caller entered (found on the call stack, so that no operation
// needs its own check) and says how to convert.
func floatOnly(dt DType, shape []int) *DTypeError {
	e := &DTypeError{Op: callerOp(), DTypes: []DType{dt},
		Msg: "the operation needs float32 or float64 tensors; convert with tensor.To(x, tensor.Float32)"}
	if shape != nil {
		e.Shapes = [][]int{append([]int(nil), shape...)}
	}
	return e
}

// mustFloat panics with floatOnly unless the operations have kernels for
// x's dtype, for the few that read their input before allocating a result.
func mustFloat(x *Tensor) {
	if !x.dtype.computes() {
		panic(floatOnly(x.dtype, x.shape))
	}
}

// callerOp returns the name of the outermost exported function of this
// package on the call stack below the first frame outside it, e.g. "Mean"
// for a call Mean → sum → sumAxis → alloc, or "Tensor.Backward".
func callerOp() string {
	pc := make([]uintptr, 64)
	n := runtime.Callers(1, pc)
	frames := runtime.CallersFrames(pc[:n])
	first, more := frames.Next() // callerOp itself
	pkg := first.Function[:strings.LastIndex(first.Function, ".callerOp")+1]
	op := "tensor operation"
	for more {
		var f runtime.Frame
		f, more = frames.Next()
		name, ok := strings.CutPrefix(f.Function, pkg)
		if !ok || strings.HasSuffix(f.File, "_test.go") {
			break
		}
		recv := ""
		if r, m, ok := strings.Cut(name, ")."); ok && strings.HasPrefix(r, "(*") {
			recv, name = r[2:]+".", m
		}
		if i := strings.IndexAny(name, ".["); i >= 0 {
			name = name[:i] // closures (Op.func1) count as their function
		}
		if name != "" && unicode.IsUpper(rune(name[0])) {
			op = recv + name
		}
	}
	return op
}

// unknownDType is the error of a storage switch without a case for dt: a
// dtype not in the table, or added to it but not yet to that switch.
func unknownDType(op string, dt DType) *DTypeError {
	return &DTypeError{Op: op, DTypes: []DType{dt}, Msg: "unknown dtype (no storage case for it)"}
}

// Float is the constraint satisfied by the Go types behind the float dtypes.
type Float interface{ ~float32 | ~float64 }

// elem is the constraint satisfied by the Go types behind every dtype.
type elem interface{ ~float32 | ~float64 | ~int64 }

// convertHint suggests how to make operands of the given dtypes agree: to
// the first computing dtype among them, or to Float32.
func convertHint(dts []DType) string {
	return fmt.Sprintf("convert with tensor.To(x, tensor.%s)", hintDType(dts).ident())
}

// hintDType is the dtype convertHint suggests.
func hintDType(dts []DType) DType {
	for _, d := range dts {
		if d.computes() {
			return d
		}
	}
	return Float32
}
