package tensor_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// intsLike returns an Int64 tensor of small values with the given shape.
func intsLike(shape ...int) *Tensor {
	n := 1
	for _, s := range shape {
		n *= s
	}
	v := make([]int64, n)
	for i := range v {
		v[i] = int64(i%5) + 1
	}
	return FromInt64(v, shape...)
}

// floatOps calls every float-only public operation of the package on
// Int64 operands (i) or on a mix of Float32 (f) and Int64 operands. Keys
// are the operation's name, which the DTypeError must carry.
var floatOps = map[string][]func(){
	"Abs":       {func() { Abs(intsLike(2, 3)) }},
	"Add":       {func() { Add(intsLike(2, 3), intsLike(2, 3)) }, func() { Add(Ones(2, 3), intsLike(2, 3)) }, func() { Add(intsLike(3), Ones(2, 3)) }},
	"AddScalar": {func() { AddScalar(intsLike(2, 3), 1) }},
	"AvgPool2d": {func() { AvgPool2d(intsLike(1, 1, 4, 4), [2]int{2, 2}, [2]int{2, 2}, [2]int{}) }},
	"AvgPool2dBackward": {func() {
		AvgPool2dBackward(intsLike(1, 1, 2, 2), []int{1, 1, 4, 4}, [2]int{2, 2}, [2]int{2, 2}, [2]int{})
	}},
	"BatchNorm": {
		func() { BatchNorm(intsLike(2, 3, 2, 2), nil, nil, nil, nil, true, 0.1, 1e-5) },
		func() { BatchNorm(intsLike(2, 3, 2, 2), intsLike(3), intsLike(3), nil, nil, false, 0.1, 1e-5) },
		func() { BatchNorm(Ones(2, 3, 2, 2), intsLike(3), nil, nil, nil, true, 0.1, 1e-5) },
	},
	"BatchNormBackward": {func() {
		BatchNormBackward(intsLike(2, 3, 2, 2), intsLike(2, 3, 2, 2), nil, intsLike(3), intsLike(3), true)
	}},
	"BatchNormStats": {func() { BatchNormStats(intsLike(2, 3, 2, 2), nil, nil, nil, nil, true, 0.1, 1e-5) }},
	"Clamp":          {func() { Clamp(intsLike(2, 3), 0, 1) }},
	"Conv2d": {
		func() { Conv2d(intsLike(1, 1, 4, 4), intsLike(2, 1, 3, 3), nil, [2]int{1, 1}, [2]int{}, [2]int{1, 1}) },
		func() { Conv2d(Ones(1, 1, 4, 4), intsLike(2, 1, 3, 3), nil, [2]int{1, 1}, [2]int{}, [2]int{1, 1}) },
	},
	"Conv2dBackwardBias": {func() { Conv2dBackwardBias(intsLike(1, 2, 2, 2)) }},
	"Conv2dBackwardInput": {func() {
		Conv2dBackwardInput(intsLike(1, 2, 2, 2), intsLike(2, 1, 3, 3), []int{1, 1, 4, 4}, [2]int{1, 1}, [2]int{}, [2]int{1, 1})
	}},
	"Conv2dBackwardWeight": {func() {
		Conv2dBackwardWeight(intsLike(1, 2, 2, 2), intsLike(1, 1, 4, 4), []int{2, 1, 3, 3}, [2]int{1, 1}, [2]int{}, [2]int{1, 1})
	}},
	"Div":                     {func() { Div(intsLike(2, 3), intsLike(2, 3)) }},
	"Dropout":                 {func() { Dropout(intsLike(2, 3), 0.5, NewRand(1)) }},
	"DropoutMask":             {func() { DropoutMask(intsLike(2, 3), 0.5, NewRand(1)) }},
	"Exp":                     {func() { Exp(intsLike(2, 3)) }},
	"Expand":                  {func() { Expand(intsLike(1, 3), 2, 3) }},
	"GlobalAvgPool2d":         {func() { GlobalAvgPool2d(intsLike(1, 2, 2, 2)) }},
	"GlobalAvgPool2dBackward": {func() { GlobalAvgPool2dBackward(intsLike(1, 2), []int{1, 2, 2, 2}) }},
	"GlobalMaxPool2d":         {func() { GlobalMaxPool2d(intsLike(1, 2, 2, 2)) }},
	"GlobalMaxPool2dBackward": {func() { GlobalMaxPool2dBackward(intsLike(1, 2), make([]int32, 2), []int{1, 2, 2, 2}) }},
	"GlobalMaxPool2dIndices":  {func() { GlobalMaxPool2dIndices(intsLike(1, 2, 2, 2)) }},
	"LeakyReLU":               {func() { LeakyReLU(intsLike(2, 3), 0.1) }},
	"Linear": {
		func() { Linear(intsLike(2, 3), intsLike(4, 3), nil) },
		func() { Linear(Ones(2, 3), Ones(4, 3), intsLike(4)) },
	},
	"LinearReLU":       {func() { LinearReLU(intsLike(2, 3), intsLike(4, 3), intsLike(4)) }},
	"LinearReLUInto":   {func() { LinearReLUInto(intsLike(2, 4), intsLike(2, 3), intsLike(4, 3), nil) }},
	"Log":              {func() { Log(intsLike(2, 3)) }},
	"LogSigmoid":       {func() { LogSigmoid(intsLike(2, 3)) }},
	"LogSoftmax":       {func() { LogSoftmax(intsLike(2, 3), 1) }},
	"LogSumExp":        {func() { LogSumExp(intsLike(2, 3), 1) }},
	"LogSumExpKeepDim": {func() { LogSumExpKeepDim(intsLike(2, 3), 1) }},
	"MatMul": {
		func() { MatMul(intsLike(2, 3), intsLike(3, 2)) },
		func() { MatMul(Ones(2, 3), intsLike(3, 2)) },
		func() { MatMul(intsLike(2, 2, 3), intsLike(2, 3, 2)) },
		func() { MatMul(intsLike(3), intsLike(3)) },
	},
	"Max":        {func() { Max(intsLike(2, 3), 1) }},
	"MaxKeepDim": {func() { MaxKeepDim(intsLike(2, 3), 1) }},
	"MaxPool2d":  {func() { MaxPool2d(intsLike(1, 1, 4, 4), [2]int{2, 2}, [2]int{2, 2}, [2]int{}) }},
	"MaxPool2dBackward": {func() {
		MaxPool2dBackward(intsLike(1, 1, 2, 2), make([]int32, 4), []int{1, 1, 4, 4})
	}},
	"MaxPool2dIndices": {func() { MaxPool2dIndices(intsLike(1, 1, 4, 4), [2]int{2, 2}, [2]int{2, 2}, [2]int{}) }},
	"Maximum":          {func() { Maximum(intsLike(2, 3), intsLike(2, 3)) }},
	"Mean":             {func() { Mean(intsLike(2, 3)) }, func() { Mean(intsLike(2, 3), 0) }},
	"MeanKeepDim":      {func() { MeanKeepDim(intsLike(2, 3), 1) }},
	"Min":              {func() { Min(intsLike(2, 3), 1) }},
	"MinKeepDim":       {func() { MinKeepDim(intsLike(2, 3), 1) }},
	"Mul":              {func() { Mul(intsLike(2, 3), intsLike(2, 3)) }, func() { Mul(intsLike(2, 3), Ones(2, 3)) }},
	"MulScalar":        {func() { MulScalar(intsLike(2, 3), 2) }},
	"Neg":              {func() { Neg(intsLike(2, 3)) }},
	"Permute":          {func() { Permute(intsLike(2, 3), 1, 0) }},
	"Pow":              {func() { Pow(intsLike(2, 3), 2) }},
	"ReLU":             {func() { ReLU(intsLike(2, 3)) }},
	"Sigmoid":          {func() { Sigmoid(intsLike(2, 3)) }},
	"Softmax":          {func() { Softmax(intsLike(2, 3), 1) }},
	"Softplus":         {func() { Softplus(intsLike(2, 3)) }},
	"Sqrt":             {func() { Sqrt(intsLike(2, 3)) }},
	"Square":           {func() { Square(intsLike(2, 3)) }},
	"Sub":              {func() { Sub(intsLike(2, 3), intsLike(2, 3)) }},
	"Sum":              {func() { Sum(intsLike(2, 3)) }, func() { Sum(intsLike(2, 3), 1) }},
	"SumKeepDim":       {func() { SumKeepDim(intsLike(2, 3), 1) }},
	"SumTo":            {func() { SumTo(intsLike(2, 3), []int{3}) }},
	"T":                {func() { T(intsLike(2, 3)) }},
	"Tanh":             {func() { Tanh(intsLike(2, 3)) }},
	"Transpose":        {func() { Transpose(intsLike(2, 3), 0, 1) }},
	"Amax":             {func() { Amax(intsLike(2, 3), 1) }},
	"AmaxKeepDim":      {func() { AmaxKeepDim(intsLike(2, 3)) }},
	"Amin":             {func() { Amin(intsLike(2, 3), 1) }},
	"AminKeepDim":      {func() { AminKeepDim(intsLike(2, 3), 0) }},
	"ConvTranspose2d": {
		func() {
			ConvTranspose2d(intsLike(1, 1, 4, 4), intsLike(1, 2, 3, 3), nil, [2]int{1, 1}, [2]int{}, [2]int{}, [2]int{1, 1})
		},
		func() {
			ConvTranspose2d(Ones(1, 1, 4, 4), intsLike(1, 2, 3, 3), nil, [2]int{1, 1}, [2]int{}, [2]int{}, [2]int{1, 1})
		},
	},
	"Bernoulli": {func() { Bernoulli(intsLike(2, 3), NewRand(1)) }},
	"ConvTranspose2dBackwardInput": {func() {
		ConvTranspose2dBackwardInput(intsLike(1, 2, 6, 6), intsLike(1, 2, 3, 3), []int{1, 1, 4, 4}, [2]int{1, 1}, [2]int{}, [2]int{}, [2]int{1, 1})
	}},
	"ConvTranspose2dBackwardWeight": {func() {
		ConvTranspose2dBackwardWeight(intsLike(1, 2, 6, 6), intsLike(1, 1, 4, 4), []int{1, 2, 3, 3}, [2]int{1, 1}, [2]int{}, [2]int{}, [2]int{1, 1})
	}},
	"Recurrent": {func() {
		Recurrent(RecurrentConfig{Cell: CellGRU}, intsLike(2, 1, 3), intsLike(6, 3), intsLike(6, 2), intsLike(6), intsLike(6), nil, nil, nil)
	}},
}

// intOps are the public functions that accept Int64 tensors (tested in
// int_test.go) or take no tensor operand to check.
var intOps = []string{
	"Arange", "ArangeOf", "Argmax", "Argmin", "BroadcastShapes", "Concat", "Custom", "CustomOp", "Equal", "Flatten",
	"FromFloat32", "FromFloat64", "FromInt64", "FromInts", "FromValues", "Full", "FullOf", "Gather",
	"GradEnabled", "Greater", "GreaterEqual", "IndexSelect", "Less", "LessEqual", "NewRand", "NoGrad",
	"NotEqual", "OneHot", "Ones", "RandN", "RandU", "Reshape", "Scalar", "Sign", "Slice", "Squeeze",
	"Stack", "To", "Unsqueeze", "VJP", "Where", "Zeros", "ZerosLike", "ZerosOf",
	"OpKinds", "NewStructure", // not tensor operations
	"ScalarOf",
}

// TestFloatOpsRejectInt64 runs every float operation on Int64 operands and
// wants a *DTypeError naming the operation and saying how to convert, never
// a runtime error or a silent result.
func TestFloatOpsRejectInt64(t *testing.T) {
	for name, calls := range floatOps {
		for i, call := range calls {
			var r any
			func() {
				defer func() { r = recover() }()
				call()
			}()
			err, _ := r.(error)
			var de *DTypeError
			if !errors.As(err, &de) {
				t.Errorf("%s #%d: panic %v (%T), want *DTypeError", name, i, r, r)
				continue
			}
			if de.Op != name || !strings.Contains(err.Error(), "tensor.To(") || !strings.Contains(err.Error(), "int64") {
				t.Errorf("%s #%d: error %q (op %q) does not name the op, the dtype and the fix", name, i, err, de.Op)
			}
		}
	}
}

// TestEveryPublicOpClassified fails when an exported function of the
// package is neither checked above on Int64 input nor listed as accepting
// integers, so that a new operation cannot skip the dtype check.
func TestEveryPublicOpClassified(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !fd.Name.IsExported() {
				continue
			}
			if _, ok := floatOps[fd.Name.Name]; !ok && !slices.Contains(intOps, fd.Name.Name) {
				missing = append(missing, fd.Name.Name)
			}
		}
	}
	if len(missing) > 0 {
		t.Fatalf("exported functions not classified for Int64 input (add them to floatOps or intOps): %v", missing)
	}
}

func TestIntegerTensorsHaveNoGradient(t *testing.T) {
	mustPanic[*GradError](t, "int64 tensors have no gradient", func() { intsLike(3).SetRequiresGrad(true) })
	intsLike(3).SetRequiresGrad(false) // clearing is allowed
	w := Ones(3).SetRequiresGrad(true)
	mustPanic[*GradError](t, "cannot become int64", func() { w.SetDType(Int64) })
	if y := To(w, Int64); y.RequiresGrad() || !y.IsLeaf() {
		t.Fatal("To(x, Int64) of a tensor requiring a gradient was recorded")
	}
	// a float result computed from integers through To does get recorded
	x := Ones(3).SetRequiresGrad(true)
	y := Mul(x, To(intsLike(3), Float32))
	Sum(y).Backward()
	if got := x.Grad().Values(); !slices.Equal(got, []float64{1, 2, 3}) {
		t.Fatalf("gradient through an integer-derived factor %v", got)
	}
}

func TestDTypeFacts(t *testing.T) {
	for _, c := range []struct {
		d     DType
		name  string
		size  int
		float bool
	}{{Float32, "float32", 4, true}, {Float64, "float64", 8, true}, {Int64, "int64", 8, false}, {DType(200), "DType(200)", 0, false}} {
		if c.d.String() != c.name || c.d.Size() != c.size || c.d.IsFloat() != c.float {
			t.Errorf("%v: got %q %d %v", c.name, c.d.String(), c.d.Size(), c.d.IsFloat())
		}
	}
	mustPanic[*DTypeError](t, "unknown dtype", func() { ZerosOf(DType(200), 2) })
}

func TestAccessorDTypeErrors(t *testing.T) {
	mustPanic[*DTypeError](t, "Float32s: unsupported dtype int64[3]: want float32; convert with tensor.To(x, tensor.Float32)", func() { intsLike(3).Float32s() })
	mustPanic[*DTypeError](t, "Float64s: unsupported dtype int64[3]", func() { intsLike(3).Float64s() })
	mustPanic[*DTypeError](t, "Int64s: unsupported dtype float32[3]: want int64; convert with tensor.To(x, tensor.Int64)", func() { Ones(3).Int64s() })
	mustPanic[*DTypeError](t, "Ints: unsupported dtype float64[2]", func() { FromFloat64([]float64{1, 2}).Ints() })
	mustPanic[*DTypeError](t, "Add: dtype mismatch float32[2] vs int64[2]: convert with tensor.To(x, tensor.Float32)", func() { Add(Ones(2), intsLike(2)) })
	mustPanic[*DTypeError](t, "Add: dtype mismatch float32[2] vs float64[2]: convert with tensor.To(x, tensor.Float32)", func() { Add(Ones(2), FromFloat64([]float64{1, 2})) })
}

// knownDTypes lists every dtype of the package's table (String gives
// "DType(n)" past its end).
func knownDTypes() []DType {
	var dts []DType
	for d := DType(0); !strings.HasPrefix(d.String(), "DType("); d++ {
		dts = append(dts, d)
	}
	return dts
}

// TestEveryDTypeStores runs the storage operations every dtype must
// support on every dtype of the table, so that a dtype added to the table
// without its storage cases fails here.
func TestEveryDTypeStores(t *testing.T) {
	dts := knownDTypes()
	if !slices.Equal(dts[:3], []DType{Float32, Float64, Int64}) {
		t.Fatalf("dtypes %v", dts)
	}
	for _, dt := range dts {
		t.Run(dt.String(), func(t *testing.T) {
			x := FromValues(dt, []float64{1, 2, 3, 4, 5, 6}, 2, 3)
			if x.DType() != dt || !sameVals(x.Values(), []float64{1, 2, 3, 4, 5, 6}) || x.At(1, 2) != 6 {
				t.Fatalf("FromValues/Values/At: %v", x)
			}
			if c := x.Clone(); c.SharesData(x) || !sameVals(c.Values(), x.Values()) {
				t.Fatal("Clone")
			}
			if r := Reshape(x, 3, 2); !r.SharesData(x) {
				t.Fatal("Reshape is not a view")
			}
			wantVals(t, "Concat", Concat(0, x, FullOf(dt, 7, 1, 3)), dt, []int{3, 3}, 1, 2, 3, 4, 5, 6, 7, 7, 7)
			wantVals(t, "Slice", Slice(x, 1, 1, 2), dt, []int{2, 1}, 2, 5)
			wantVals(t, "IndexSelect", IndexSelect(x, 0, FromInts([]int{1})), dt, []int{1, 3}, 4, 5, 6)
			wantVals(t, "Where", Where(FromInts([]int{0, 1, 0}), x, ZerosOf(dt, 1)), dt, []int{2, 3}, 0, 2, 0, 0, 5, 0)
			wantVals(t, "Equal", Equal(x, FullOf(dt, 5)), dt, []int{2, 3}, 0, 0, 0, 0, 1, 0)
			wantVals(t, "Sign", Sign(ArangeOf(dt, -1, 2, 1)), dt, []int{3}, -1, 0, 1)
			wantInts(t, "Argmax", Argmax(x, 1), []int{2}, 2, 2)
			for _, to := range dts {
				y := To(x, to)
				if y.DType() != to || !sameVals(y.Values(), x.Values()) {
					t.Fatalf("To %v: %v", to, y)
				}
				z := ZerosOf(to, 2, 3)
				z.CopyFrom(x)
				if !sameVals(z.Values(), x.Values()) {
					t.Fatalf("CopyFrom into %v: %v", to, z)
				}
			}
			u := x.Clone()
			u.SetDType(Float64)
			u.SetDType(dt)
			u.Set(9, 0, 0)
			if u.DType() != dt || u.At(0, 0) != 9 {
				t.Fatal("SetDType/Set")
			}
			if s := x.String(); !strings.HasPrefix(s, "tensor([2 3], "+dt.String()+")\n[[1 2 3]") {
				t.Fatalf("String %q", s)
			}
		})
	}
}
