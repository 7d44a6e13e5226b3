package tensor

import (
	"strings"
	"testing"
)

// TestOpNamesAndAttrs pins the op descriptions graphs and errors print for
// the cases no other test reaches: a dtype conversion's name and symbol,
// the keepdim flag of reductions, and a convolution's fused or batched
// path.
func TestOpNamesAndAttrs(t *testing.T) {
	win := Window{Kernel: [2]int{3, 3}, Stride: [2]int{1, 1}, Pad: [2]int{1, 1}, Dilation: [2]int{1, 1}}
	for _, c := range []struct {
		got, want string
	}{
		{Op{Kind: OpTo, DType: Float64}.String(), "Tofloat64"},
		{Op{Kind: OpTo, DType: Float64}.Symbol(), "tofloat64"},
		{Op{Kind: OpSum, Axes: []int{1}, KeepDim: true}.Attrs(), "axes [1], keepdim"},
		{Op{Kind: OpSum, Axes: []int{1}}.Attrs(), "axes [1]"},
		{Op{Kind: OpMax, Axis: 2, KeepDim: true}.Attrs(), "axis 2, keepdim"},
		{Op{Kind: OpConv2d, Window: win, Fused: true}.Attrs(), "kernel 3×3, stride 1×1, pad 1×1, dilation 1×1, image at a time"},
		{Op{Kind: OpConv2d, Window: win}.Attrs(), "kernel 3×3, stride 1×1, pad 1×1, dilation 1×1, batched"},
		{Op{Kind: OpConvTranspose2d, Window: win, OutputPad: [2]uint8{1, 0}, Fused: true}.Attrs(), "kernel 3×3, stride 1×1, pad 1×1, output pad 1×0, dilation 1×1, image at a time"},
		{Op{Kind: OpConvTranspose2d, Window: win}.Attrs(), "kernel 3×3, stride 1×1, pad 1×1, output pad 0×0, dilation 1×1, batched"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestJacobianForUndeclared: an op that declares no Jacobian structure
// (one recorded by Custom) has a Dense Jacobian when it has one row or one
// column, and an Unknown one otherwise.
func TestJacobianForUndeclared(t *testing.T) {
	op := Op{Kind: OpCustom, Name: "f"}
	for _, c := range []struct {
		out, in []int
		want    StructKind
	}{{[]int{1}, []int{3, 2}, StructDense}, {[]int{3, 2}, []int{1}, StructDense}, {[]int{2}, []int{3}, StructUnknown}, {[]int{1}, []int{1}, StructDense}} {
		s := op.JacobianFor(c.out, [][]int{c.in}, 0)
		if s.Kind != c.want || s.Rows != numel(c.out) || s.Cols != numel(c.in) {
			t.Errorf("out %v, in %v: %v (%d×%d), want kind %v", c.out, c.in, s, s.Rows, s.Cols, c.want)
		}
	}
}

// TestDeclareTwice: declaring a built-in kind again panics, naming it, and
// leaves the first declaration in place.
func TestDeclareTwice(t *testing.T) {
	before := defs[OpAdd]
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "op kind Add declared twice") {
			t.Errorf("recovered %q", msg)
		}
		if defs[OpAdd].Symbol != before.Symbol || defs[OpAdd].Name != before.Name {
			t.Errorf("the first declaration changed: %+v", defs[OpAdd])
		}
	}()
	declare(OpAdd, OpDef{Symbol: "other"})
}
