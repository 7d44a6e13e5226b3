package tensor_test

import (
	"math"
	"slices"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	. "github.com/duboko/duboko/tensor"
)

func wantInts(t *testing.T, what string, x *Tensor, shape []int, vals ...int64) {
	t.Helper()
	if x.DType() != Int64 {
		t.Fatalf("%s: dtype %v, want int64", what, x.DType())
	}
	if !slices.Equal(x.Shape(), shape) || !slices.Equal(x.Int64s(), vals) {
		t.Fatalf("%s: got %v %v, want %v %v", what, x.Shape(), x.Int64s(), shape, vals)
	}
}

func wantVals(t *testing.T, what string, x *Tensor, dt DType, shape []int, vals ...float64) {
	t.Helper()
	if x.DType() != dt {
		t.Fatalf("%s: dtype %v, want %v", what, x.DType(), dt)
	}
	if !slices.Equal(x.Shape(), shape) || !sameVals(x.Values(), vals) {
		t.Fatalf("%s: got %v %v, want %v %v", what, x.Shape(), x.Values(), shape, vals)
	}
}

func TestInt64Creation(t *testing.T) {
	big := int64(1)<<62 + 1 // not representable in float64: must survive exactly
	x := FromInt64([]int64{1, -2, big, 4}, 2, 2)
	wantInts(t, "FromInt64", x, []int{2, 2}, 1, -2, big, 4)
	if x.At(0, 1) != -2 || Reshape(Slice(x, 0, 1, 2), 2).At(1) != 4 || x.Len() != 4 || x.DType().Size() != 8 {
		t.Fatal("At/Len/Size")
	}
	x.Set(7.9, 0, 0) // truncated toward zero
	if x.Int64s()[0] != 7 {
		t.Fatalf("Set(7.9) stored %d", x.Int64s()[0])
	}
	wantInts(t, "FromInts", FromInts([]int{3, 1, 2}), []int{3}, 3, 1, 2)
	wantInts(t, "ZerosOf", ZerosOf(Int64, 2), []int{2}, 0, 0)
	wantInts(t, "ZerosLike", ZerosLike(x), []int{2, 2}, 0, 0, 0, 0)
	wantInts(t, "FullOf", FullOf(Int64, -3.7, 3), []int{3}, -3, -3, -3)
	wantInts(t, "FromValues", FromValues(Int64, []float64{1, 2.5, -2.5}), []int{3}, 1, 2, -2)
	wantInts(t, "ArangeOf", ArangeOf(Int64, 0, 5, 2), []int{3}, 0, 2, 4)
	wantInts(t, "ArangeOf down", ArangeOf(Int64, 3, 0, -1), []int{3}, 3, 2, 1)
	if got := FromInts([]int{5, 6}).Ints(); !slices.Equal(got, []int{5, 6}) {
		t.Fatalf("Ints %v", got)
	}
	if got := FromInts([]int{5, 6}).Values(); !slices.Equal(got, []float64{5, 6}) {
		t.Fatalf("Values %v", got)
	}
	mustPanic[*ShapeError](t, "FromInt64: shape mismatch [2 2]: 3 values do not fill the shape", func() { FromInt64([]int64{1, 2, 3}, 2, 2) })
	mustPanic[*ShapeError](t, "FromInts", func() { FromInts([]int{1, 2, 3}, 2) })
}

func TestInt64Conversions(t *testing.T) {
	f := FromFloat64([]float64{2.7, -2.7, 0.5, math.NaN(), math.Inf(1), math.Inf(-1), 1e30}, 7)
	wantInts(t, "To Int64", To(f, Int64), []int{7}, 2, -2, 0, 0, math.MaxInt64, math.MinInt64, math.MaxInt64)
	i := FromInt64([]int64{3, -1, 1 << 40})
	wantVals(t, "To Float32", To(i, Float32), Float32, []int{3}, 3, -1, 1<<40)
	wantVals(t, "To Float64", To(i, Float64), Float64, []int{3}, 3, -1, 1<<40)
	if To(i, Int64) != i {
		t.Fatal("To to the same dtype must return its input")
	}
	// SetDType in place, both ways
	u := FromInts([]int{1, 2})
	u.SetDType(Float64)
	wantVals(t, "SetDType Float64", u, Float64, []int{2}, 1, 2)
	u.SetDType(Int64)
	wantInts(t, "SetDType Int64", u, []int{2}, 1, 2)
	// CopyFrom converts
	dst := ZerosOf(Int64, 2)
	dst.CopyFrom(FromFloat32([]float32{9.5, -9.5}))
	wantInts(t, "CopyFrom", dst, []int{2}, 9, -9)
	g := Zeros(2)
	g.CopyFrom(dst)
	wantVals(t, "CopyFrom int to float", g, Float32, []int{2}, 9, -9)
}

func TestInt64ViewsAndCopies(t *testing.T) {
	x := FromInts([]int{0, 1, 2, 3, 4, 5}, 2, 3)
	r := Reshape(x, 3, 2)
	wantInts(t, "Reshape", r, []int{3, 2}, 0, 1, 2, 3, 4, 5)
	if !r.SharesData(x) || Flatten(x, 0).Len() != 6 || Unsqueeze(x, 0).NDim() != 3 || Squeeze(Unsqueeze(x, 1)).NDim() != 2 {
		t.Fatal("views of Int64 tensors")
	}
	c := x.Clone()
	c.Int64s()[0] = 42
	if x.Int64s()[0] != 0 || c.SharesData(x) {
		t.Fatal("Clone shares data")
	}
	if d := x.Detach(); !d.SharesData(x) || d.DType() != Int64 {
		t.Fatal("Detach")
	}
	wantInts(t, "Concat", Concat(1, x, FromInts([]int{6, 7}, 2, 1)), []int{2, 4}, 0, 1, 2, 6, 3, 4, 5, 7)
	wantInts(t, "Stack", Stack(0, FromInts([]int{1, 2}), FromInts([]int{3, 4})), []int{2, 2}, 1, 2, 3, 4)
	wantInts(t, "Slice", Slice(x, 1, 1, 3), []int{2, 2}, 1, 2, 4, 5)
	mustPanic[*DTypeError](t, "Concat: dtype mismatch int64[2 3] vs float32[2 1]", func() { Concat(1, x, Zeros(2, 1)) })
}

func TestInt64String(t *testing.T) {
	got := FromInts([]int{1, -20, 300, 4, 5, 6}, 2, 3).String()
	want := "tensor([2 3], int64)\n[[1 -20 300]\n [4 5 6]]"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if got := FromInt64([]int64{math.MaxInt64}).String(); got != "tensor([1], int64)\n[9223372036854775807]" {
		t.Fatalf("large value printed as %q", got)
	}
}

func TestArgmaxArgmin(t *testing.T) {
	x := FromFloat32([]float32{1, 5, 5, -1, 0, -3}, 2, 3)
	wantInts(t, "Argmax axis 1", Argmax(x, 1), []int{2}, 1, 1) // first on ties
	wantInts(t, "Argmin axis 1", Argmin(x, -1), []int{2}, 0, 2)
	wantInts(t, "Argmax axis 0", Argmax(x, 0), []int{3}, 0, 0, 0)
	nan := FromFloat64([]float64{1, math.NaN(), 3, math.NaN()}, 4)
	wantInts(t, "Argmax NaN", Argmax(nan, 0), []int{}, 1)
	wantInts(t, "Argmin NaN", Argmin(nan, 0), []int{}, 1)
	wantInts(t, "Argmax Int64", Argmax(FromInt64([]int64{1<<62 + 1, 1 << 62}), 0), []int{}, 0)
	y := FromFloat32([]float32{1, 2, 3}).SetRequiresGrad(true)
	if a := Argmax(y, 0); a.RequiresGrad() {
		t.Fatal("Argmax recorded")
	}
	mustPanic[*ShapeError](t, "Argmax: shape mismatch [2 0]: reduction over an empty axis", func() { Argmax(Zeros(2, 0), 1) })
	mustPanic[*ShapeError](t, "axis 2 out of range", func() { Argmin(x, 2) })
}

func TestGatherIndexSelectOneHot(t *testing.T) {
	x := FromFloat64([]float64{0, 1, 2, 10, 11, 12}, 2, 3)
	wantVals(t, "Gather", Gather(x, 1, FromInts([]int{2, 0})), Float64, []int{2}, 2, 10)
	wantVals(t, "Gather axis 0", Gather(x, 0, FromInts([]int{1, 0, 1})), Float64, []int{3}, 10, 1, 12)
	wantVals(t, "IndexSelect", IndexSelect(x, 1, FromInts([]int{2, 2, 0})), Float64, []int{2, 3}, 2, 2, 0, 12, 12, 10)
	xi := FromInts([]int{0, 1, 2, 10, 11, 12}, 2, 3)
	wantInts(t, "IndexSelect Int64", IndexSelect(xi, 0, FromInts([]int{1})), []int{1, 3}, 10, 11, 12)
	wantInts(t, "Gather Int64", Gather(xi, 1, FromInts([]int{1, 2})), []int{2}, 1, 12)
	wantVals(t, "OneHot", OneHot(Float32, FromInts([]int{2, 0}), 3), Float32, []int{2, 3}, 0, 0, 1, 1, 0, 0)
	wantInts(t, "OneHot 2-D labels", OneHot(Int64, FromInts([]int{1, 0}, 2, 1), 2), []int{2, 1, 2}, 0, 1, 1, 0)

	mustPanic[*ShapeError](t, "Gather: shape mismatch [2 3] vs [2]: index 3 at position 1 out of range for axis 1 of size 3", func() { Gather(x, 1, FromInts([]int{0, 3})) })
	mustPanic[*ShapeError](t, "index -1 at position 0 out of range", func() { Gather(x, 1, FromInts([]int{-1, 0})) })
	mustPanic[*ShapeError](t, "index shape must be x's shape without axis 1, [2]", func() { Gather(x, 1, FromInts([]int{0, 1, 2})) })
	mustPanic[*ShapeError](t, "IndexSelect: shape mismatch [2 3] vs [1]: index 2 at position 0 out of range for axis 0 of size 2", func() { IndexSelect(x, 0, FromInts([]int{2})) })
	mustPanic[*ShapeError](t, "indices must be 1-D", func() { IndexSelect(x, 0, FromInts([]int{0}, 1, 1)) })
	mustPanic[*ShapeError](t, "OneHot: shape mismatch [2] vs [2]: label 3 at position 1 out of range for 3 classes", func() { OneHot(Float32, FromInts([]int{0, 3}), 3) })
	for _, f := range []func(){
		func() { Gather(x, 1, FromFloat32([]float32{0, 1})) },
		func() { IndexSelect(x, 1, FromFloat32([]float32{0})) },
		func() { OneHot(Float32, Ones(2), 3) },
	} {
		mustPanic[*DTypeError](t, "indices must be an Int64 tensor; convert with tensor.To(idx, tensor.Int64)", f)
	}
}

func TestCompare(t *testing.T) {
	a := FromFloat32([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	b := FromFloat32([]float32{2, 2, 4}, 3) // broadcast over rows
	f32 := []int{2, 3}
	wantVals(t, "Equal", Equal(a, b), Float32, f32, 0, 1, 0, 0, 0, 0)
	wantVals(t, "NotEqual", NotEqual(a, b), Float32, f32, 1, 0, 1, 1, 1, 1)
	wantVals(t, "Greater", Greater(a, b), Float32, f32, 0, 0, 0, 1, 1, 1)
	wantVals(t, "GreaterEqual", GreaterEqual(a, b), Float32, f32, 0, 1, 0, 1, 1, 1)
	wantVals(t, "Less", Less(a, b), Float32, f32, 1, 0, 1, 0, 0, 0)
	wantVals(t, "LessEqual", LessEqual(a, b), Float32, f32, 1, 1, 1, 0, 0, 0)
	// column against row broadcasts both ways, in Int64
	col, row := FromInts([]int{1, 2}, 2, 1), FromInts([]int{0, 1, 2})
	wantInts(t, "Greater Int64", Greater(col, row), []int{2, 3}, 1, 0, 0, 1, 1, 0)
	big := FromInt64([]int64{1<<62 + 1})
	wantInts(t, "Equal exact Int64", Equal(big, FromInt64([]int64{1 << 62})), []int{1}, 0)
	nan := FromFloat64([]float64{math.NaN(), 1})
	wantVals(t, "NaN Equal", Equal(nan, nan), Float64, []int{2}, 0, 1)
	wantVals(t, "NaN NotEqual", NotEqual(nan, nan), Float64, []int{2}, 1, 0)
	wantVals(t, "NaN Less", Less(nan, FromFloat64([]float64{2})), Float64, []int{2}, 0, 1)
	// accuracy as in the package docs
	pred, labels := Argmax(FromFloat32([]float32{0, 1, 1, 0, 1, 0}, 3, 2), 1), FromInts([]int{1, 0, 1})
	if acc := Mean(To(Equal(pred, labels), Float32)).Item(); math.Abs(acc-2.0/3) > 1e-6 {
		t.Fatalf("accuracy %v", acc)
	}
	x := Ones(2).SetRequiresGrad(true)
	if Greater(x, Zeros(2)).RequiresGrad() {
		t.Fatal("comparison recorded")
	}
	mustPanic[*DTypeError](t, "Less: dtype mismatch float32[2] vs int64[2]", func() { Less(Zeros(2), FromInts([]int{1, 2})) })
	mustPanic[*ShapeError](t, "Equal: shape mismatch [2] vs [3]", func() { Equal(Zeros(2), Zeros(3)) })
}

func TestSign(t *testing.T) {
	wantVals(t, "Sign", Sign(FromFloat64([]float64{-2, 0, 3, math.NaN(), math.Copysign(0, -1)})), Float64, []int{5}, -1, 0, 1, 0, 0)
	wantInts(t, "Sign Int64", Sign(FromInts([]int{-7, 0, 9})), []int{3}, -1, 0, 1)
	if Sign(Ones(2).SetRequiresGrad(true)).RequiresGrad() {
		t.Fatal("Sign recorded")
	}
}

func TestWhere(t *testing.T) {
	cond := FromInts([]int{1, 0, 1}) // broadcast over rows
	a := FromFloat32([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	b := FromFloat32([]float32{-1, -2}, 2, 1)
	wantVals(t, "Where", Where(cond, a, b), Float32, []int{2, 3}, 1, -1, 3, 4, -2, 6)
	// a float mask from a comparison, and a NaN condition counts as true
	wantVals(t, "Where float cond", Where(FromFloat64([]float64{0, math.NaN()}), FromFloat64([]float64{1, 1}), FromFloat64([]float64{2})), Float64, []int{2}, 2, 1)
	// Where selects and never multiplies: Inf/NaN in the branch not taken stay out
	x := FromFloat64([]float64{-1, 4})
	safe := Where(Greater(x, FromFloat64([]float64{0})), Sqrt(x), FromFloat64([]float64{0}))
	wantVals(t, "Where sqrt", safe, Float64, []int{2}, 0, 2)
	wantInts(t, "Where Int64", Where(Ones(2), FromInts([]int{1, 2}), FromInts([]int{3})), []int{2}, 1, 2)
	mustPanic[*DTypeError](t, "Where: dtype mismatch float32[2 3] vs int64[1]", func() { Where(cond, a, FromInts([]int{0})) })
	mustPanic[*ShapeError](t, "Where: shape mismatch [4] vs [2 3]", func() { Where(Ones(4), a, a) })

	// gradients against central differences, with the condition and both
	// operands broadcast
	c := Greater(rnd(9, 3, 1), FromFloat64([]float64{0}))
	rep := gradcheck.Func(func(in []*Tensor) *Tensor { return Where(c, in[0], in[1]) }, []*Tensor{rnd(1, 1, 4), rnd(2, 3, 4)})
	if !rep.OK() {
		t.Fatal(rep)
	}
	// the gradient reaches a where cond holds and b elsewhere
	ga, gb := Ones(3).SetRequiresGrad(true), Ones(3).SetRequiresGrad(true)
	Sum(Mul(Where(FromInts([]int{1, 0, 1}), ga, gb), FromFloat32([]float32{2, 3, 4}))).Backward()
	wantVals(t, "dWhere/da", ga.Grad(), Float32, []int{3}, 2, 0, 4)
	wantVals(t, "dWhere/db", gb.Grad(), Float32, []int{3}, 0, 3, 0)
}

func TestOpNameOfNestedCalls(t *testing.T) {
	// the DTypeError names the function the caller called, not a helper
	mustPanic[*DTypeError](t, "Mean: unsupported dtype int64: the operation needs float32 or float64 tensors", func() { Mean(FromInts([]int{1, 2, 3, 4, 5, 6}, 2, 3), 1) })
	// inside NoGrad and through an exported op that calls another one
	NoGrad(func() {
		mustPanic[*DTypeError](t, "LogSoftmax: unsupported dtype int64", func() { LogSoftmax(FromInts([]int{1, 2}), 0) })
	})
}
