package tensor_test

import (
	"testing"

	"github.com/duboko/duboko/gradcheck"
	. "github.com/duboko/duboko/tensor"
)

// rnd returns a Float64 tensor of normal samples.
func rnd(seed uint64, shape ...int) *Tensor { return To(RandN(NewRand(seed), shape...), Float64) }

// pos returns a Float64 tensor of samples uniform in [0.5, 2).
func pos(seed uint64, shape ...int) *Tensor {
	return To(RandU(NewRand(seed), 0.5, 2, shape...), Float64)
}

// awayFromZero returns samples whose magnitude is at least 0.1, so kinks at
// 0 (ReLU, Abs) are not straddled by finite differences.
func awayFromZero(seed uint64, shape ...int) *Tensor {
	t := rnd(seed, shape...)
	v := t.Float64s()
	for i := range v {
		if v[i] >= 0 && v[i] < 0.1 {
			v[i] += 0.1
		} else if v[i] < 0 && v[i] > -0.1 {
			v[i] -= 0.1
		}
	}
	return t
}

func TestOpGradients(t *testing.T) {
	one := func(f func(x *Tensor) *Tensor) func([]*Tensor) *Tensor {
		return func(in []*Tensor) *Tensor { return f(in[0]) }
	}
	two := func(f func(a, b *Tensor) *Tensor) func([]*Tensor) *Tensor {
		return func(in []*Tensor) *Tensor { return f(in[0], in[1]) }
	}
	cases := []struct {
		name string
		f    func([]*Tensor) *Tensor
		in   []*Tensor
	}{
		{"Add", two(Add), []*Tensor{rnd(1, 2, 3), rnd(2, 2, 3)}},
		{"Add/broadcast row", two(Add), []*Tensor{rnd(1, 4, 3), rnd(2, 3)}},
		{"Add/broadcast both", two(Add), []*Tensor{rnd(1, 4, 1), rnd(2, 1, 3)}},
		{"Sub/broadcast", two(Sub), []*Tensor{rnd(1, 2, 3, 4), rnd(2, 3, 1)}},
		{"Mul/broadcast", two(Mul), []*Tensor{rnd(1, 2, 3), rnd(2, 2, 1)}},
		{"Div", two(Div), []*Tensor{rnd(1, 3, 2), pos(2, 3, 2)}},
		{"Div/scalar", two(Div), []*Tensor{rnd(1, 3, 2), pos(2)}},
		{"Maximum", two(Maximum), []*Tensor{rnd(1, 5), rnd(2, 5)}},
		{"Neg", one(Neg), []*Tensor{rnd(1, 4)}},
		{"Abs", one(Abs), []*Tensor{awayFromZero(1, 7)}},
		{"Exp", one(Exp), []*Tensor{rnd(1, 2, 3)}},
		{"Log", one(Log), []*Tensor{pos(1, 2, 3)}},
		{"Sqrt", one(Sqrt), []*Tensor{pos(1, 6)}},
		{"Pow", one(func(x *Tensor) *Tensor { return Pow(x, 3) }), []*Tensor{rnd(1, 6)}},
		{"Pow/fractional", one(func(x *Tensor) *Tensor { return Pow(x, 0.5) }), []*Tensor{pos(1, 6)}},
		{"Square", one(Square), []*Tensor{rnd(1, 6)}},
		{"Clamp", one(func(x *Tensor) *Tensor { return Clamp(x, -0.5, 0.5) }), []*Tensor{awayFromZero(3, 10)}},
		{"ReLU", one(ReLU), []*Tensor{awayFromZero(1, 3, 4)}},
		{"LeakyReLU", one(func(x *Tensor) *Tensor { return LeakyReLU(x, 0.2) }), []*Tensor{awayFromZero(1, 3, 4)}},
		{"Sigmoid", one(Sigmoid), []*Tensor{rnd(1, 3, 4)}},
		{"Tanh", one(Tanh), []*Tensor{rnd(1, 3, 4)}},
		{"Softplus", one(Softplus), []*Tensor{rnd(1, 3, 4)}},
		{"LogSigmoid", one(LogSigmoid), []*Tensor{rnd(1, 3, 4)}},
		{"Softmax/axis1", one(func(x *Tensor) *Tensor { return Softmax(x, 1) }), []*Tensor{rnd(1, 3, 5)}},
		{"Softmax/axis0", one(func(x *Tensor) *Tensor { return Softmax(x, 0) }), []*Tensor{rnd(1, 3, 5, 2)}},
		{"LogSoftmax", one(func(x *Tensor) *Tensor { return LogSoftmax(x, -1) }), []*Tensor{rnd(1, 4, 5)}},
		{"LogSumExp", one(func(x *Tensor) *Tensor { return LogSumExp(x, 1) }), []*Tensor{rnd(1, 4, 5)}},
		{"Sum/all", one(func(x *Tensor) *Tensor { return Sum(x) }), []*Tensor{rnd(1, 3, 4)}},
		{"Sum/axis", one(func(x *Tensor) *Tensor { return Sum(x, 1) }), []*Tensor{rnd(1, 3, 4, 2)}},
		{"Sum/axes keep", one(func(x *Tensor) *Tensor { return SumKeepDim(x, 0, 2) }), []*Tensor{rnd(1, 3, 4, 2)}},
		{"Mean", one(func(x *Tensor) *Tensor { return Mean(x, -1) }), []*Tensor{rnd(1, 3, 4)}},
		{"Max", one(func(x *Tensor) *Tensor { m, _ := Max(x, 1); return m }), []*Tensor{rnd(1, 3, 4)}},
		{"Min/keep", one(func(x *Tensor) *Tensor { m, _ := MinKeepDim(x, 0); return m }), []*Tensor{rnd(1, 3, 4)}},
		{"Reshape", one(func(x *Tensor) *Tensor { return Reshape(x, 4, -1) }), []*Tensor{rnd(1, 2, 6)}},
		{"Flatten", one(func(x *Tensor) *Tensor { return Flatten(x, 1) }), []*Tensor{rnd(1, 2, 3, 2)}},
		{"Squeeze/Unsqueeze", one(func(x *Tensor) *Tensor { return Unsqueeze(Squeeze(x), 0) }), []*Tensor{rnd(1, 3, 1, 2)}},
		{"Transpose", one(func(x *Tensor) *Tensor { return Transpose(x, 0, 2) }), []*Tensor{rnd(1, 2, 3, 4)}},
		{"Permute", one(func(x *Tensor) *Tensor { return Permute(x, 2, 0, 1) }), []*Tensor{rnd(1, 2, 3, 4)}},
		{"T", one(T), []*Tensor{rnd(1, 2, 5)}},
		{"Concat", func(in []*Tensor) *Tensor { return Concat(1, in[0], in[1]) }, []*Tensor{rnd(1, 2, 3), rnd(2, 2, 2)}},
		{"Stack", func(in []*Tensor) *Tensor { return Stack(0, in[0], in[1]) }, []*Tensor{rnd(1, 2, 3), rnd(2, 2, 3)}},
		{"Slice", one(func(x *Tensor) *Tensor { return Slice(x, 1, 1, 3) }), []*Tensor{rnd(1, 2, 4, 2)}},
		{"IndexSelect", one(func(x *Tensor) *Tensor { return IndexSelect(x, 0, FromInts([]int{2, 0, 2})) }), []*Tensor{rnd(1, 3, 2)}},
		{"Gather", one(func(x *Tensor) *Tensor { return Gather(x, 1, FromInts([]int{0, 3, 1})) }), []*Tensor{rnd(1, 3, 4)}},
		{"Expand", one(func(x *Tensor) *Tensor { return Expand(x, 2, 3, 4) }), []*Tensor{rnd(1, 3, 1)}},
		{"MatMul/2D", two(MatMul), []*Tensor{rnd(1, 3, 4), rnd(2, 4, 5)}},
		{"MatMul/ND·2D", two(MatMul), []*Tensor{rnd(1, 2, 3, 4), rnd(2, 4, 5)}},
		{"MatMul/batched", two(MatMul), []*Tensor{rnd(1, 2, 3, 4), rnd(2, 2, 4, 5)}},
		{"MatMul/vector", two(MatMul), []*Tensor{rnd(1, 4), rnd(2, 4, 3)}},
		{"MatMul/matvec", two(MatMul), []*Tensor{rnd(1, 3, 4), rnd(2, 4)}},
		{"MatMul/dot", two(MatMul), []*Tensor{rnd(1, 4), rnd(2, 4)}},
		{"MatMul/batched matvec", two(MatMul), []*Tensor{rnd(1, 2, 3, 4), rnd(2, 4)}},
		{"Linear", func(in []*Tensor) *Tensor { return Linear(in[0], in[1], in[2]) }, []*Tensor{rnd(1, 5, 4), rnd(2, 3, 4), rnd(3, 3)}},
		{"Linear/no bias", func(in []*Tensor) *Tensor { return Linear(in[0], in[1], nil) }, []*Tensor{rnd(1, 5, 4), rnd(2, 3, 4)}},
		{"LinearReLU", func(in []*Tensor) *Tensor { return LinearReLU(in[0], in[1], in[2]) }, []*Tensor{rnd(1, 5, 4), rnd(2, 3, 4), rnd(3, 3)}},
		{"LinearReLU/no bias", func(in []*Tensor) *Tensor { return LinearReLU(in[0], in[1], nil) }, []*Tensor{rnd(4, 6, 5), rnd(5, 4, 5)}},
		{"To float32 and back", one(func(x *Tensor) *Tensor { return Mul(To(To(x, Float32), Float64), x) }), []*Tensor{rnd(1, 3)}},
		{"shared input", one(func(x *Tensor) *Tensor { return Mul(Tanh(x), Exp(x)) }), []*Tensor{rnd(1, 3)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := gradcheck.Options{}
			if c.name == "To float32 and back" {
				opts.Tol = 1e-3 // the float32 round trip limits the precision
			}
			rep := gradcheck.Func(c.f, c.in, opts)
			if !rep.OK() {
				t.Fatal(rep)
			}
		})
	}
}
