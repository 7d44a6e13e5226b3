package tensor_test

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	. "github.com/duboko/duboko/tensor"
)

// naiveConvTranspose2d is the textbook scatter loop, the oracle for
// ConvTranspose2d: every input pixel times every tap is added to output
// pixel (i·s − p + ki·d, j·s − p + kj·d) when that lies in the output. It
// also returns the number of products that land.
func naiveConvTranspose2d(x, w, b *Tensor, s, p, op, d [2]int) ([]float64, []int, int64) {
	xs, ws := x.Shape(), w.Shape()
	n, cin, h, wd := xs[0], xs[1], xs[2], xs[3]
	cout, kh, kw := ws[1], ws[2], ws[3]
	oh := (h-1)*s[0] - 2*p[0] + d[0]*(kh-1) + op[0] + 1
	ow := (wd-1)*s[1] - 2*p[1] + d[1]*(kw-1) + op[1] + 1
	out := make([]float64, n*cout*oh*ow)
	var products int64
	for in := 0; in < n; in++ {
		for co := 0; co < cout; co++ {
			if b != nil {
				for k := 0; k < oh*ow; k++ {
					out[(in*cout+co)*oh*ow+k] = b.At(co)
				}
			}
			for ci := 0; ci < cin; ci++ {
				for i := 0; i < h; i++ {
					for j := 0; j < wd; j++ {
						for ki := 0; ki < kh; ki++ {
							for kj := 0; kj < kw; kj++ {
								r, c := i*s[0]-p[0]+ki*d[0], j*s[1]-p[1]+kj*d[1]
								if r < 0 || r >= oh || c < 0 || c >= ow {
									continue
								}
								out[((in*cout+co)*oh+r)*ow+c] += x.At(in, ci, i, j) * w.At(ci, co, ki, kj)
								products++
							}
						}
					}
				}
			}
		}
	}
	return out, []int{n, cout, oh, ow}, products
}

type convTCase struct {
	name              string
	x, w              []int // x [N,Cin,H,W], w [Cin,Cout,kh,kw]
	bias              bool
	stride, pad, opad [2]int
	dil               [2]int
}

func (c convTCase) String() string { return c.name }

var convTCases = []convTCase{
	{"1x1", []int{2, 3, 4, 4}, []int{3, 2, 1, 1}, true, [2]int{1, 1}, [2]int{0, 0}, [2]int{0, 0}, [2]int{1, 1}},
	{"3x3", []int{2, 2, 4, 5}, []int{2, 3, 3, 3}, true, [2]int{1, 1}, [2]int{0, 0}, [2]int{0, 0}, [2]int{1, 1}},
	{"3x3/pad1", []int{2, 2, 5, 4}, []int{2, 3, 3, 3}, false, [2]int{1, 1}, [2]int{1, 1}, [2]int{0, 0}, [2]int{1, 1}},
	{"dcgan k4s2p1", []int{2, 3, 4, 4}, []int{3, 2, 4, 4}, true, [2]int{2, 2}, [2]int{1, 1}, [2]int{0, 0}, [2]int{1, 1}},
	{"k3s2p1op1", []int{2, 2, 4, 3}, []int{2, 3, 3, 3}, true, [2]int{2, 2}, [2]int{1, 1}, [2]int{1, 1}, [2]int{1, 1}},
	{"k3s3 gaps", []int{1, 2, 3, 3}, []int{2, 2, 2, 2}, false, [2]int{3, 3}, [2]int{0, 0}, [2]int{2, 1}, [2]int{1, 1}},
	{"dilation2", []int{2, 2, 4, 4}, []int{2, 2, 3, 3}, true, [2]int{1, 1}, [2]int{2, 1}, [2]int{0, 0}, [2]int{2, 2}},
	{"rect/mixed", []int{2, 3, 5, 4}, []int{3, 4, 2, 3}, true, [2]int{2, 1}, [2]int{1, 0}, [2]int{1, 0}, [2]int{1, 2}},
	// output padding ≥ stride, allowed by the dilation: the cropped path
	{"crop op1>=s1 dil2", []int{2, 2, 4, 3}, []int{2, 3, 2, 3}, true, [2]int{1, 1}, [2]int{2, 1}, [2]int{1, 0}, [2]int{2, 1}},
	{"crop op2>=s2 dil3", []int{1, 2, 3, 3}, []int{2, 2, 3, 2}, false, [2]int{2, 1}, [2]int{0, 1}, [2]int{2, 1}, [2]int{3, 2}},
	{"pad larger than kernel", []int{1, 1, 6, 6}, []int{1, 2, 2, 2}, true, [2]int{2, 2}, [2]int{3, 2}, [2]int{0, 1}, [2]int{1, 1}},
	// a 1×1 input: one product for the whole batch (and its neighbours, which are not)
	{"1x1 input k3", []int{3, 4, 1, 1}, []int{4, 2, 3, 3}, true, [2]int{1, 1}, [2]int{0, 0}, [2]int{0, 0}, [2]int{1, 1}},
	{"1x1 input k4 s2 no bias", []int{2, 3, 1, 1}, []int{3, 2, 4, 4}, false, [2]int{2, 2}, [2]int{0, 0}, [2]int{0, 0}, [2]int{1, 1}},
	{"1x1 input pad1 op1", []int{2, 3, 1, 1}, []int{3, 2, 4, 3}, true, [2]int{2, 2}, [2]int{1, 0}, [2]int{1, 1}, [2]int{1, 1}},
	{"1x1 input dil2", []int{2, 3, 1, 1}, []int{3, 2, 2, 2}, true, [2]int{1, 1}, [2]int{0, 0}, [2]int{0, 0}, [2]int{2, 2}},
	// inputs of at least 128 pixels may run image at a time
	{"12x11 k4s2p1", []int{2, 2, 12, 11}, []int{2, 2, 4, 4}, true, [2]int{2, 2}, [2]int{1, 1}, [2]int{0, 0}, [2]int{1, 1}},
	{"16x8 crop", []int{2, 1, 16, 8}, []int{1, 2, 2, 3}, false, [2]int{1, 1}, [2]int{1, 1}, [2]int{1, 0}, [2]int{2, 1}},
}

func (tc convTCase) inputs(dt DType) (x, w, b *Tensor) {
	x, w = To(rnd(1, tc.x...), dt), To(rnd(2, tc.w...), dt)
	if tc.bias {
		b = To(rnd(3, tc.w[1]), dt)
	}
	return x, w, b
}

func TestConvTranspose2dValues(t *testing.T) {
	for _, tc := range convTCases {
		for _, dt := range []DType{Float64, Float32} {
			x, w, b := tc.inputs(dt)
			y := ConvTranspose2d(x, w, b, tc.stride, tc.pad, tc.opad, tc.dil)
			want, shape, _ := naiveConvTranspose2d(x, w, b, tc.stride, tc.pad, tc.opad, tc.dil)
			if fmt.Sprint(y.Shape()) != fmt.Sprint(shape) || y.DType() != dt {
				t.Fatalf("%s %v: shape %v %v, want %v", tc.name, dt, y.Shape(), y.DType(), shape)
			}
			tol := 1e-12
			if dt == Float32 {
				tol = 1e-5
			}
			for i, v := range y.Values() {
				if math.Abs(v-want[i]) > tol*(1+math.Abs(want[i])) {
					t.Fatalf("%s %v: out[%d] = %v, want %v", tc.name, dt, i, v, want[i])
				}
			}
		}
	}
}

// TestConvTranspose2dGradients runs checkConvTGradients on every case.
func TestConvTranspose2dGradients(t *testing.T) {
	for _, tc := range convTCases {
		checkConvTGradients(t, tc)
	}
}

// checkConvTGradients checks tc's recorded op's gradients of x, w and b
// against central differences in float64, and the explicit backward
// functions against the recorded op's.
func checkConvTGradients(t *testing.T, tc convTCase) {
	t.Helper()
	x, w, b := tc.inputs(Float64)
	in := []*Tensor{x, w}
	if b != nil {
		in = append(in, b)
	}
	f := func(in []*Tensor) *Tensor {
		var b *Tensor
		if len(in) > 2 {
			b = in[2]
		}
		return ConvTranspose2d(in[0], in[1], b, tc.stride, tc.pad, tc.opad, tc.dil)
	}
	if err := gradcheck.Func(f, in).Err(); err != nil {
		t.Errorf("%s: %v", tc.name, err)
	}

	for _, v := range in {
		v.SetRequiresGrad(true)
	}
	y := f(in)
	g := rnd(4, y.Shape()...)
	y.BackwardWith(g)
	dx := ConvTranspose2dBackwardInput(g, w.Detach(), tc.x, tc.stride, tc.pad, tc.opad, tc.dil)
	dw := ConvTranspose2dBackwardWeight(g, x.Detach(), tc.w, tc.stride, tc.pad, tc.opad, tc.dil)
	if e := gradcheck.RelError(dx.Values(), x.Grad().Values()); e > 1e-12 {
		t.Errorf("%s: explicit dx vs autodiff rel.err %g", tc.name, e)
	}
	if e := gradcheck.RelError(dw.Values(), w.Grad().Values()); e > 1e-12 {
		t.Errorf("%s: explicit dw vs autodiff rel.err %g", tc.name, e)
	}
	if b != nil {
		if e := gradcheck.RelError(Conv2dBackwardBias(g).Values(), b.Grad().Values()); e > 1e-12 {
			t.Errorf("%s: explicit db vs autodiff rel.err %g", tc.name, e)
		}
	}
}

// TestConvTranspose2dAdjoint checks the defining identity: ConvTranspose2d
// is the adjoint of Conv2d in its input, ⟨Conv2d(y), x⟩ = ⟨y, ConvT(x)⟩,
// for settings where the convolution maps the output size back to H.
func TestConvTranspose2dAdjoint(t *testing.T) {
	for _, tc := range convTCases {
		x, w, _ := tc.inputs(Float64)
		y := ConvTranspose2d(x, w, nil, tc.stride, tc.pad, tc.opad, tc.dil)
		u := rnd(5, y.Shape()...)
		cu := Conv2d(u, w, nil, tc.stride, tc.pad, tc.dil)
		if fmt.Sprint(cu.Shape()) != fmt.Sprint(x.Shape()) {
			continue // output padding ≥ stride: the convolution gives a larger map
		}
		a, b := Sum(Mul(cu, x)).Item(), Sum(Mul(u, y)).Item()
		if math.Abs(a-b) > 1e-10*(1+math.Abs(a)) {
			t.Errorf("%s: ⟨conv(u), x⟩ = %v, ⟨u, convT(x)⟩ = %v", tc.name, a, b)
		}
	}
}

// TestConvTranspose2dPaths runs a batch big enough for the image-at-a-time
// path and compares it with the batch-wide path, both dtypes, for the
// output and all three gradients, and the kept columns (both gradients
// wanted) against separate computations (one wanted).
func TestConvTranspose2dPaths(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	defer SetConvFusedOff(false)
	fused := 0
	for _, tc := range convTCases {
		xs := append([]int{7}, tc.x[1:]...)
		for _, dt := range []DType{Float64, Float32} {
			run := func(off bool) [][]float64 {
				SetConvFusedOff(off)
				x, w := To(rnd(1, xs...), dt).SetRequiresGrad(true), To(rnd(2, tc.w...), dt).SetRequiresGrad(true)
				b := To(rnd(3, tc.w[1]), dt).SetRequiresGrad(true)
				y := ConvTranspose2d(x, w, b, tc.stride, tc.pad, tc.opad, tc.dil)
				if wantFused := !off && tc.x[2]*tc.x[3] >= 128; y.Op().Fused != wantFused {
					t.Fatalf("%s %v: fused off=%v, but the record says Fused=%v", tc.name, dt, off, y.Op().Fused)
				}
				if y.Op().Fused {
					fused++
				}
				gr := To(rnd(4, y.Shape()...), dt)
				y.BackwardWith(gr)
				dxE := ConvTranspose2dBackwardInput(gr, w.Detach(), xs, tc.stride, tc.pad, tc.opad, tc.dil)
				dwE := ConvTranspose2dBackwardWeight(gr, x.Detach(), tc.w, tc.stride, tc.pad, tc.opad, tc.dil)
				return [][]float64{y.Values(), x.Grad().Values(), w.Grad().Values(), b.Grad().Values(), dxE.Values(), dwE.Values()}
			}
			got, want := run(false), run(true)
			tol := 1e-12
			if dt == Float32 {
				tol = 5e-4
			}
			for k, name := range []string{"y", "dx", "dw", "db", "dx explicit", "dw explicit"} {
				if e := gradcheck.RelError(got[k], want[k]); e > tol {
					t.Errorf("%s %v: %s image-at-a-time vs batched rel.err %g", tc.name, dt, name, e)
				}
			}
			for k, name := range []string{"dx", "dw"} {
				if e := gradcheck.RelError(got[1+k], got[4+k]); e > tol {
					t.Errorf("%s %v: %s recorded vs explicit rel.err %g", tc.name, dt, name, e)
				}
			}
		}
	}
	if fused < 4 {
		t.Errorf("%d runs image at a time, want at least 4 (2 cases × 2 dtypes)", fused)
	}
}

// TestConvTranspose2dRecord checks the op record: kind, attributes,
// declared counts (against the naive loop's landing products) and the
// receptive-field rule.
func TestConvTranspose2dRecord(t *testing.T) {
	for _, tc := range convTCases {
		x, w, b := tc.inputs(Float64)
		x.SetRequiresGrad(true)
		y := ConvTranspose2d(x, w, b, tc.stride, tc.pad, tc.opad, tc.dil)
		op := y.Op()
		if op.Kind != OpConvTranspose2d || op.String() != "ConvTranspose2d" || op.Window.Stride != tc.stride ||
			op.Window.Pad != tc.pad || op.Window.Dilation != tc.dil || op.Window.Kernel != [2]int{tc.w[2], tc.w[3]} ||
			int(op.OutputPad[0]) != tc.opad[0] || int(op.OutputPad[1]) != tc.opad[1] {
			t.Errorf("%s: record %+v", tc.name, op)
		}
		if a := op.Attrs(); !strings.Contains(a, fmt.Sprintf("output pad %d×%d", tc.opad[0], tc.opad[1])) {
			t.Errorf("%s: attributes %q", tc.name, a)
		}
		_, _, products := naiveConvTranspose2d(x, w, b, tc.stride, tc.pad, tc.opad, tc.dil)
		ins := [][]int{tc.x, tc.w, nil}
		if b != nil {
			ins[2] = []int{tc.w[1]}
		}
		c := op.CountsFor(y.Shape(), ins)
		if c.Mul != products || c.Other != 0 || c.Add > products || (b != nil && c.Add != products) || !c.Known() {
			t.Errorf("%s: counts %v, %d landing products", tc.name, c, products)
		}
		for i := range 2 {
			if s := op.JacobianFor(y.Shape(), ins, i); s.Kind != StructSparse || s.NNZ != products {
				t.Errorf("%s: ∂y/∂input %d %v, want %d non-zeros", tc.name, i, s, products)
			}
		}
		f := op.FieldFor(y.Shape(), ins)
		if tc.stride == [2]int{1, 1} && (f.Kind != FieldWindow || f.Window.Kernel != op.Window.Kernel) {
			t.Errorf("%s: field %+v, want the kernel window", tc.name, f)
		}
		if tc.stride != [2]int{1, 1} && f.Kind != FieldUnknown {
			t.Errorf("%s: field %+v, want unknown (upsampling)", tc.name, f)
		}
	}
}

func TestConvTranspose2dShapeErrors(t *testing.T) {
	one, zero := [2]int{1, 1}, [2]int{}
	bad := []struct {
		f    func()
		want string
	}{
		{func() { ConvTranspose2d(Zeros(1, 2, 5, 5), Zeros(3, 3, 3, 3), nil, one, zero, zero, one) }, "weight [Cin,Cout,kh,kw]"},
		{func() { ConvTranspose2d(Zeros(1, 2, 5), Zeros(2, 3, 3, 3), nil, one, zero, zero, one) }, "want x [N,Cin,H,W]"},
		{func() { ConvTranspose2d(Zeros(1, 2, 5, 5), Zeros(2, 3, 3, 3), Zeros(2), one, zero, zero, one) }, "bias must be [Cout]"},
		{func() { ConvTranspose2d(Zeros(1, 2, 5, 5), Zeros(2, 3, 3, 3), nil, [2]int{0, 1}, zero, zero, one) }, "must be positive"},
		{func() { ConvTranspose2d(Zeros(1, 2, 5, 5), Zeros(2, 3, 3, 3), nil, one, [2]int{-1, 0}, zero, one) }, "non-negative"},
		// output padding must be below the stride or the dilation, per axis
		{func() { ConvTranspose2d(Zeros(1, 2, 5, 5), Zeros(2, 3, 3, 3), nil, one, zero, [2]int{0, 1}, one) }, "output padding [0 1] must be smaller"},
		{func() {
			ConvTranspose2d(Zeros(1, 2, 5, 5), Zeros(2, 3, 3, 3), nil, [2]int{2, 2}, zero, [2]int{2, 0}, one)
		}, "smaller than the stride"},
		{func() { ConvTranspose2d(Zeros(1, 2, 2, 2), Zeros(2, 3, 1, 1), nil, one, [2]int{1, 1}, zero, one) }, "empty output"},
		{func() {
			ConvTranspose2dBackwardInput(Zeros(1, 3, 5, 5), Zeros(2, 3, 3, 3), []int{1, 2, 5, 5}, one, zero, zero, one)
		}, "gradient must have the output's shape"},
		{func() {
			ConvTranspose2dBackwardWeight(Zeros(1, 4, 7, 7), Zeros(1, 1, 5, 5), []int{2, 4, 3, 3}, one, zero, zero, one)
		}, "want x [N,Cin,H,W]"},
	}
	for i, c := range bad {
		func() {
			defer func() {
				r := recover()
				var se *ShapeError
				err, _ := r.(error)
				if !errors.As(err, &se) {
					t.Errorf("case %d: panic %v, want a *ShapeError", i, r)
					return
				}
				if !strings.Contains(err.Error(), "ConvTranspose2d") || !strings.Contains(err.Error(), c.want) {
					t.Errorf("case %d: error %q, want the op and %q", i, err, c.want)
				}
			}()
			c.f()
		}()
	}
	// output padding below the dilation is allowed even when ≥ stride
	y := ConvTranspose2d(Zeros(1, 2, 5, 5), Zeros(2, 3, 3, 3), nil, one, zero, [2]int{1, 1}, [2]int{2, 2})
	if fmt.Sprint(y.Shape()) != "[1 3 10 10]" {
		t.Errorf("shape %v", y.Shape())
	}
}

// A 2×2 image upsampled by a 2×2 kernel of ones with stride 2: every
// pixel becomes a 2×2 block.
func ExampleConvTranspose2d() {
	x := FromFloat32([]float32{1, 2, 3, 4}, 1, 1, 2, 2)
	w := Ones(1, 1, 2, 2) // [Cin, Cout, kh, kw]
	y := ConvTranspose2d(x, w, nil, [2]int{2, 2}, [2]int{0, 0}, [2]int{0, 0}, [2]int{1, 1})
	fmt.Println(y.Shape())
	fmt.Println(y.Values())
	// Output:
	// [1 1 4 4]
	// [1 1 2 2 1 1 2 2 3 3 4 4 3 3 4 4]
}

// DCGAN generator shapes at batch 64.
var convTBenchCases = []struct {
	name string
	x, w []int
	s, p [2]int
}{
	{"64x128x7x7_to_64x14x14_k4s2p1", []int{64, 128, 7, 7}, []int{128, 64, 4, 4}, [2]int{2, 2}, [2]int{1, 1}},
	{"64x64x14x14_to_1x28x28_k4s2p1", []int{64, 64, 14, 14}, []int{64, 1, 4, 4}, [2]int{2, 2}, [2]int{1, 1}},
}

func BenchmarkConvTranspose2dForward(b *testing.B) {
	for _, bc := range convTBenchCases {
		b.Run(bc.name, func(b *testing.B) {
			x, w, bias := RandN(NewRand(1), bc.x...), RandN(NewRand(2), bc.w...), RandN(NewRand(3), bc.w[1])
			b.ReportAllocs()
			for b.Loop() {
				ConvTranspose2d(x, w, bias, bc.s, bc.p, [2]int{}, [2]int{1, 1})
			}
		})
	}
}

// BenchmarkConvTranspose2dStep is one training step's work: forward, then
// the gradients of input, weight and bias through the recorded op.
func BenchmarkConvTranspose2dStep(b *testing.B) {
	for _, bc := range convTBenchCases {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			benchConvStep(b, bc.x, bc.w, bc.w[1], func(x, w, bias *Tensor) *Tensor {
				return ConvTranspose2d(x, w, bias, bc.s, bc.p, [2]int{}, [2]int{1, 1})
			})
		})
	}
}

// benchConvStep times one training step's work of a convolution-like op
// f: forward on x of shape xs with weight of shape ws and a bias of nb
// values, then the gradients of all three through the recorded op.
func benchConvStep(b *testing.B, xs, ws []int, nb int, f func(x, w, bias *Tensor) *Tensor) {
	x := RandN(NewRand(1), xs...).SetRequiresGrad(true)
	w, bias := RandN(NewRand(2), ws...).SetRequiresGrad(true), RandN(NewRand(3), nb).SetRequiresGrad(true)
	var g *Tensor
	for b.Loop() {
		y := f(x, w, bias)
		if g == nil {
			g = RandN(NewRand(4), y.Shape()...)
		}
		y.BackwardWith(g)
		x.ZeroGrad()
		w.ZeroGrad()
		bias.ZeroGrad()
	}
}
