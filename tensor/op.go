package tensor

import (
	"fmt"
	"strings"
)

// OpKind is the kind of a recorded operation. Every kind that package
// tensor records has a constant here, a name (String) and a declaration
// (OpDef: symbol, operation counts, Jacobian structure, receptive-field
// rule) made beside its forward code.
type OpKind uint8

// The operation kinds. Each comment starts with the name String returns
// and names the Op fields the kind records.
const (
	OpNone            OpKind = iota // no operation: a leaf ("")
	OpCustom                        // a hand-written op recorded by Custom or CustomOp (Op.Name names it)
	OpAdd                           // Add: a+b, broadcasting
	OpSub                           // Sub: a−b
	OpMul                           // Mul: a⊙b
	OpDiv                           // Div: a/b
	OpMaximum                       // Maximum: max(a, b)
	OpNeg                           // Neg: −x
	OpAbs                           // Abs: |x|
	OpExp                           // Exp: eˣ
	OpLog                           // Log: ln x
	OpSqrt                          // Sqrt: √x
	OpPow                           // Pow: xᵖ (Op.Exponent)
	OpSquare                        // Square: x²
	OpClamp                         // Clamp: x limited to [Op.Lo, Op.Hi]
	OpReLU                          // ReLU: max(x, 0)
	OpLeakyReLU                     // LeakyReLU: x or Op.Slope·x
	OpSigmoid                       // Sigmoid: σ(x)
	OpTanh                          // Tanh: tanh x
	OpSoftplus                      // Softplus: log(1+eˣ)
	OpLogSigmoid                    // LogSigmoid: log σ(x)
	OpSum                           // Sum: over Op.Axes, Op.KeepDim
	OpMax                           // Max: over Op.Axis, Op.KeepDim
	OpMin                           // Min: over Op.Axis, Op.KeepDim
	OpSoftmax                       // Softmax: along Op.Axis
	OpLogSoftmax                    // LogSoftmax: along Op.Axis
	OpReshape                       // Reshape: a view with a new shape
	OpPermute                       // Permute: axes reordered by Op.Axes
	OpConcat                        // Concat: along Op.Axis
	OpSlice                         // Slice: Op.Start..Op.End−1 along Op.Axis
	OpTo                            // To: conversion to Op.DType (named "Tofloat32", "Tofloat64")
	OpIndexSelect                   // IndexSelect: entries along Op.Axis; inputs x and the Int64 indices
	OpGather                        // Gather: one entry per position along Op.Axis; inputs x and the Int64 index
	OpMatMul                        // MatMul: matrix product, batched or broadcast
	OpLinear                        // Linear: x·wᵀ+b, fused
	OpLinearReLU                    // LinearReLU: ReLU(x·wᵀ+b), fused into the product's epilogue
	OpConv2d                        // Conv2d: with Op.Window; Op.Fused when it ran image at a time
	OpMaxPool2d                     // MaxPool2d: with Op.Window
	OpAvgPool2d                     // AvgPool2d: with Op.Window
	OpGlobalAvgPool2d               // GlobalAvgPool2d: mean of each plane
	OpGlobalMaxPool2d               // GlobalMaxPool2d: maximum of each plane
	OpBatchNorm                     // BatchNorm: Op.Training, Op.Momentum, Op.Eps
	OpDropout                       // Dropout: with probability Op.P
	OpWhere                         // Where: a where a condition holds, b elsewhere, broadcasting
	OpAmax                          // Amax: maximum over Op.Axes (sorted), Op.KeepDim
	OpAmin                          // Amin: minimum over Op.Axes (sorted), Op.KeepDim
	OpConvTranspose2d               // ConvTranspose2d: with Op.Window and Op.OutputPad; Op.Fused as Conv2d
	OpRNN                           // RNN: one direction of a plain recurrent layer over a sequence (Recurrent; Reverse, Act)
	OpLSTM                          // LSTM: one direction of an LSTM layer over a sequence (Recurrent; Reverse)
	OpGRU                           // GRU: one direction of a GRU layer over a sequence (Recurrent; Reverse)

	numOpKinds // the number of kinds; keep last
)

var opKindNames = [numOpKinds]string{
	"", "Custom", "Add", "Sub", "Mul", "Div", "Maximum", "Neg", "Abs", "Exp", "Log", "Sqrt", "Pow", "Square", "Clamp",
	"ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softplus", "LogSigmoid", "Sum", "Max", "Min", "Softmax", "LogSoftmax",
	"Reshape", "Permute", "Concat", "Slice", "To", "IndexSelect", "Gather", "MatMul", "Linear", "LinearReLU",
	"Conv2d", "MaxPool2d", "AvgPool2d", "GlobalAvgPool2d", "GlobalMaxPool2d", "BatchNorm", "Dropout",
	"Where",
	"Amax", "Amin",
	"ConvTranspose2d", "RNN", "LSTM", "GRU",
}

// String returns the kind's name ("Add", "Conv2d"; "" for OpNone).
func (k OpKind) String() string {
	if k < numOpKinds {
		return opKindNames[k]
	}
	return fmt.Sprintf("OpKind(%d)", uint8(k))
}

// OpKinds returns every kind an operation can be recorded with: OpCustom
// and the built-in kinds (OpNone, which marks a leaf, is not one).
func OpKinds() []OpKind {
	ks := make([]OpKind, 0, numOpKinds-1)
	for k := OpCustom; k < numOpKinds; k++ {
		ks = append(ks, k)
	}
	return ks
}

// Window is the sliding window of a convolution or pooling, per spatial
// axis (height, width): kernel size, stride, zero padding and dilation
// (1 for pooling).
type Window struct {
	Kernel, Stride, Pad, Dilation [2]int
}

// Span returns the extent in input pixels of one window, (k−1)·d+1 per axis.
func (w Window) Span() [2]int {
	return [2]int{(w.Kernel[0]-1)*max(w.Dilation[0], 1) + 1, (w.Kernel[1]-1)*max(w.Dilation[1], 1) + 1}
}

// Op is the record of one operation: its kind and the attributes it ran
// with. Only the fields its kind documents are set; the others are zero.
// Tensor.Op returns the record of the op that produced a tensor, and its
// declaration (Def) gives counts, Jacobian structure and receptive field.
type Op struct {
	Kind OpKind
	// The one-byte attributes sit together after Kind, so that the record
	// packs without padding (it lives inside every graph node).
	DType    DType // To: the target dtype
	KeepDim  bool  // Sum, Max, Min, Amax, Amin: reduced axes kept with size 1
	Training bool  // BatchNorm: batch statistics (true) or running statistics
	// Fused is set for a Conv2d that ran image at a time, im2col and the
	// products of each image fused in cache (conv_fused.go), and unset for
	// one that ran batch-wide products over a shared columns matrix.
	Fused bool
	// OutputPad is a ConvTranspose2d's output padding (rows added at the
	// bottom, columns at the right), below 256: it fills two of the
	// record's spare bytes instead of enlarging every graph node.
	OutputPad [2]uint8
	// Reverse is set for an RNN, LSTM or GRU that ran its sequence from
	// the last step to the first (RecurrentConfig.Reverse).
	Reverse bool
	// Act is an RNN's nonlinearity (RecurrentConfig.Act.Kind()):
	// ActivationCustom for a function the user gave.
	Act ActivationKind

	// Name is a custom op's name (Custom, CustomOp); empty for built-ins.
	Name string
	// Decl is a custom op's declaration (CustomOp); nil for Custom and built-ins.
	Decl *OpDef

	Axis       int   // Max, Min, Softmax, LogSoftmax, Concat, Slice, IndexSelect, Gather (normalised, ≥ 0)
	Axes       []int // Sum, Amax, Amin: the reduced axes (sorted); Permute: the permutation
	Start, End int   // Slice: the range along Axis

	Window Window // Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d

	Momentum float64 // BatchNorm: running-statistics momentum
	Eps      float64 // BatchNorm: added to the variance
	Slope    float64 // LeakyReLU: slope for x ≤ 0
	P        float64 // Dropout: drop probability
	Exponent float64 // Pow: the constant exponent
	Lo, Hi   float64 // Clamp: bounds
}

// String returns the op's name as it appears in graphs and errors: the
// kind's name, a custom op's own name, or "To" with the dtype
// ("Tofloat64").
func (o Op) String() string {
	switch o.Kind {
	case OpCustom:
		return o.Name
	case OpTo:
		return "To" + o.DType.String()
	}
	return o.Kind.String()
}

// Attrs formats the attributes the op's kind records, e.g.
// "kernel 5×5, stride 1×1, pad 2×2, dilation 1×1", or "" when it has none.
func (o Op) Attrs() string {
	pair := func(p [2]int) string { return fmt.Sprintf("%d×%d", p[0], p[1]) }
	keep := func(s string) string {
		if o.KeepDim {
			return s + ", keepdim"
		}
		return s
	}
	switch o.Kind {
	case OpPow:
		return fmt.Sprintf("exponent %g", o.Exponent)
	case OpClamp:
		return fmt.Sprintf("range [%g, %g]", o.Lo, o.Hi)
	case OpLeakyReLU:
		return fmt.Sprintf("slope %g", o.Slope)
	case OpSum, OpAmax, OpAmin:
		return keep(fmt.Sprintf("axes %v", o.Axes))
	case OpMax, OpMin:
		return keep(fmt.Sprintf("axis %d", o.Axis))
	case OpSoftmax, OpLogSoftmax, OpConcat, OpIndexSelect, OpGather:
		return fmt.Sprintf("axis %d", o.Axis)
	case OpPermute:
		return fmt.Sprintf("perm %v", o.Axes)
	case OpSlice:
		return fmt.Sprintf("axis %d, [%d:%d]", o.Axis, o.Start, o.End)
	case OpConv2d:
		s := fmt.Sprintf("kernel %s, stride %s, pad %s, dilation %s", pair(o.Window.Kernel), pair(o.Window.Stride), pair(o.Window.Pad), pair(o.Window.Dilation))
		if o.Fused {
			return s + ", image at a time"
		}
		return s + ", batched"
	case OpConvTranspose2d:
		s := fmt.Sprintf("kernel %s, stride %s, pad %s, output pad %d×%d, dilation %s", pair(o.Window.Kernel), pair(o.Window.Stride), pair(o.Window.Pad), o.OutputPad[0], o.OutputPad[1], pair(o.Window.Dilation))
		if o.Fused {
			return s + ", image at a time"
		}
		return s + ", batched"
	case OpMaxPool2d, OpAvgPool2d:
		return fmt.Sprintf("kernel %s, stride %s, pad %s", pair(o.Window.Kernel), pair(o.Window.Stride), pair(o.Window.Pad))
	case OpBatchNorm:
		mode := "eval"
		if o.Training {
			mode = "training"
		}
		return fmt.Sprintf("%s, momentum %g, eps %g", mode, o.Momentum, o.Eps)
	case OpDropout:
		return fmt.Sprintf("p %g", o.P)
	case OpRNN, OpLSTM, OpGRU:
		var a []string
		if o.Kind == OpRNN {
			a = append(a, o.Act.String())
		}
		if o.Reverse {
			a = append(a, "reverse")
		}
		return strings.Join(a, ", ")
	}
	return ""
}

// OpDef declares what is known about an operation: how graphs draw it,
// how many scalar operations it takes, the structure of its Jacobians and
// how it changes receptive fields. Each built-in kind's OpDef is declared
// beside its forward code; a hand-written op passes its own to CustomOp.
// A nil function means "not known": counts then read as unknown, never 0.
type OpDef struct {
	// Name names a custom op (CustomOp); built-in kinds use the kind's name.
	Name string
	// Symbol is the short label in forward graphs ("+", "ReLU", "σ").
	Symbol string
	// Counts returns the scalar operations for the output shape and the
	// input shapes (nil for an absent optional input, such as a bias).
	Counts func(op *Op, out []int, ins [][]int) Counts
	// Jacobian returns the structure of ∂out/∂ins[i]; Rows and Cols are
	// filled in by the caller.
	Jacobian func(op *Op, out []int, ins [][]int, i int) Structure
	// Field returns how the op changes the receptive field of spatial
	// positions.
	Field func(op *Op, out []int, ins [][]int) FieldRule
}

// defs holds the declaration of every built-in kind, filled by declare in
// the init functions beside the ops' forward code (read-only afterwards).
var defs [numOpKinds]OpDef

// declare records the definition of a built-in kind.
func declare(k OpKind, d OpDef) {
	if defs[k].Symbol != "" {
		panic("tensor: op kind " + k.String() + " declared twice")
	}
	d.Name = k.String()
	defs[k] = d
}

// Def returns the declaration of the op: the kind's for built-ins, the one
// given to CustomOp for a custom op, and nil for a leaf or an op recorded
// by Custom (nothing declared).
func (o Op) Def() *OpDef {
	switch o.Kind {
	case OpNone:
		return nil
	case OpCustom:
		return o.Decl
	}
	return &defs[o.Kind]
}

// Symbol returns the op's short label for graphs: the declared symbol, or
// its name when none is declared.
func (o Op) Symbol() string {
	if o.Kind == OpTo {
		return "to" + o.DType.String()
	}
	if d := o.Def(); d != nil && d.Symbol != "" {
		return d.Symbol
	}
	return o.String()
}

// CountsFor returns the op's scalar operations for the given output and
// input shapes, or Counts{Unknown: 1} when the op declares none.
func (o Op) CountsFor(out []int, ins [][]int) Counts {
	if d := o.Def(); d != nil && d.Counts != nil {
		return d.Counts(&o, out, ins)
	}
	return Counts{Unknown: 1}
}

// JacobianFor returns the structure of ∂out/∂ins[i] as a |out|×|ins[i]|
// matrix. Undeclared structures are Unknown, except that a Jacobian with
// one row or one column is Dense.
func (o Op) JacobianFor(out []int, ins [][]int, i int) Structure {
	rows, cols := numel(out), numel(ins[i])
	d := o.Def()
	if d == nil || d.Jacobian == nil {
		if rows == 1 || cols == 1 {
			return NewStructure(StructDense, rows, cols, 0)
		}
		return NewStructure(StructUnknown, rows, cols, 0)
	}
	s := d.Jacobian(&o, out, ins, i)
	s.Rows, s.Cols = rows, cols
	return s
}

// FieldFor returns how the op changes receptive fields (FieldUnknown when
// not declared).
func (o Op) FieldFor(out []int, ins [][]int) FieldRule {
	if d := o.Def(); d != nil && d.Field != nil {
		return d.Field(&o, out, ins)
	}
	return FieldRule{}
}

// Known reports whether the op declares counts, a Jacobian structure and a
// receptive-field rule.
func (d *OpDef) Known() bool {
	return d != nil && d.Symbol != "" && d.Counts != nil && d.Jacobian != nil && d.Field != nil
}
