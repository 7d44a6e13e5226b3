package tensor_test

import (
	"slices"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// Tests added for the mutation run over tensor's kernels' files (conv,
// pool, convtranspose, matmul, unary, recurrent): each pins a behaviour a
// surviving mutant changed.

// TestConvCountsAndJacobians checks the operation counts and Jacobian
// structures Conv2d declares, with and without a bias: a dot product of
// length C·kh·kw per output (k multiplications, k−1 additions), one more
// addition per output for the bias; k non-zeros per output in ∂y/∂x (a
// bound: padding removes some) and ∂y/∂W, one in ∂y/∂b.
func TestConvCountsAndJacobians(t *testing.T) {
	x, w, b := rnd(1, 2, 3, 6, 5).SetRequiresGrad(true), rnd(2, 4, 3, 2, 3), rnd(3, 4)
	for _, withBias := range []bool{false, true} {
		var y *Tensor
		ins := [][]int{x.Shape(), w.Shape()}
		if withBias {
			y = Conv2d(x, w, b, [2]int{1, 1}, [2]int{1, 0}, [2]int{1, 1})
			ins = append(ins, b.Shape())
		} else {
			y = Conv2d(x, w, nil, [2]int{1, 1}, [2]int{1, 0}, [2]int{1, 1})
		}
		op := y.Op()
		n, k := int64(y.Len()), int64(3*2*3)
		want := Counts{Mul: n * k, Add: n * (k - 1)}
		if withBias {
			want.Add += n
		}
		if got := op.CountsFor(y.Shape(), ins); got != want {
			t.Errorf("bias %v: counts %v, want %v", withBias, got, want)
		}
		// A nil bias shape among the inputs counts as no bias.
		if !withBias {
			if got := op.CountsFor(y.Shape(), append(ins, nil)); got != want {
				t.Errorf("nil bias shape: counts %v, want %v", got, want)
			}
		}
		for i := range ins {
			s := op.JacobianFor(y.Shape(), ins, i)
			nnz := n * k
			if i == 2 {
				nnz = n
			}
			if s.Kind != StructSparse || s.NNZ != nnz || s.Bound != (i == 0) || !s.Covers ||
				s.Rows != y.Len() || s.Cols != numelOf(ins[i]) {
				t.Errorf("bias %v: ∂y/∂input %d = %+v, want sparse with %d non-zeros, bound %v", withBias, i, s, nnz, i == 0)
			}
		}
		if f := op.FieldFor(y.Shape(), ins); f.Kind != FieldWindow || f.Window != op.Window {
			t.Errorf("bias %v: field %+v", withBias, f)
		}
	}
}

func numelOf(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// TestMatMulLinearCountsAndJacobians checks the counts and Jacobian
// structures declared by MatMul, Linear and LinearReLU: k multiplications
// and k−1 additions per output, one more addition with a bias, one
// comparison more for the fused ReLU; ∂y/∂x one dense block per sample
// (dense for one sample), ∂y/∂W in non-zeros per output, ∂y/∂b the
// identity for one sample.
func TestMatMulLinearCountsAndJacobians(t *testing.T) {
	sp := func(rows, cols int, nnz int64) Structure {
		return Structure{Kind: StructSparse, Rows: rows, Cols: cols, NNZ: nnz, Covers: true}
	}
	check := func(name string, y *Tensor, ins [][]int, want Counts, wantJ []Structure) {
		t.Helper()
		op := y.Op()
		if got := op.CountsFor(y.Shape(), ins); got != want {
			t.Errorf("%s: counts %v, want %v", name, got, want)
		}
		for i, w := range wantJ {
			s := op.JacobianFor(y.Shape(), ins, i)
			if s.Kind != w.Kind || s.Rows != w.Rows || s.Cols != w.Cols || s.Covers != w.Covers || s.Bound != w.Bound ||
				(w.Kind == StructSparse || w.Kind == StructBlockDiagonal) && s.NNZ != w.NNZ {
				t.Errorf("%s: ∂y/∂input %d = %+v, want %+v", name, i, s, w)
			}
		}
		if f := op.FieldFor(y.Shape(), ins); f.Kind != FieldAll {
			t.Errorf("%s: field %+v, want all", name, f)
		}
	}
	// MatMul [2,3,4]·[4,5]: 30 outputs of length-4 dot products.
	a, b := rnd(1, 2, 3, 4).SetRequiresGrad(true), rnd(2, 4, 5)
	check("MatMul", MatMul(a, b), [][]int{a.Shape(), b.Shape()}, Counts{Mul: 30 * 4, Add: 30 * 3},
		[]Structure{sp(30, 24, 120), sp(30, 20, 120)})
	// A vector operand of length k is read whole by every output: dense.
	v := rnd(3, 4)
	check("MatMul by a vector", MatMul(a, v), [][]int{a.Shape(), v.Shape()}, Counts{Mul: 6 * 4, Add: 6 * 3},
		[]Structure{sp(6, 24, 24), {Kind: StructDense, Rows: 6, Cols: 4}})

	for _, relu := range []bool{false, true} {
		for _, nb := range []int{1, 3} {
			x, w, bias := rnd(4, nb, 5).SetRequiresGrad(true), rnd(5, 2, 5), rnd(6, 2)
			f, name := Linear, "Linear"
			if relu {
				f, name = LinearReLU, "LinearReLU"
			}
			no := nb * 2
			var other int64
			if relu {
				other = int64(no)
			}
			jx := Structure{Kind: StructBlockDiagonal, Rows: no, Cols: nb * 5, NNZ: int64(nb * 2 * 5)}
			jb := sp(no, 2, int64(no))
			if nb == 1 {
				jx = Structure{Kind: StructDense, Rows: no, Cols: nb * 5}
				jb = Structure{Kind: StructIdentity, Rows: no, Cols: 2}
			}
			jw := sp(no, 10, int64(nb*2*5))
			check(name+" without bias", f(x, w, nil), [][]int{x.Shape(), w.Shape()},
				Counts{Mul: int64(no) * 5, Add: int64(no) * 4, Other: other}, []Structure{jx, jw})
			check(name+" with a nil bias shape", f(x, w, nil), [][]int{x.Shape(), w.Shape(), nil},
				Counts{Mul: int64(no) * 5, Add: int64(no) * 4, Other: other}, []Structure{jx, jw})
			check(name+" with bias", f(x, w, bias), [][]int{x.Shape(), w.Shape(), bias.Shape()},
				Counts{Mul: int64(no) * 5, Add: int64(no) * 5, Other: other}, []Structure{jx, jw, jb})
		}
	}
}

// TestPoolCountsAndJacobians checks the counts and Jacobian structures of
// the four poolings: kh·kw−1 comparisons per max-pooling output, kh·kw−1
// additions and one division per average-pooling output (kh·kw non-zeros
// per output, a bound with padding); the global poolings reduce a plane.
func TestPoolCountsAndJacobians(t *testing.T) {
	x := rnd(1, 2, 3, 6, 7).SetRequiresGrad(true)
	xs := [][]int{x.Shape()}
	k, s := [2]int{3, 2}, [2]int{2, 2}
	for _, pad := range [][2]int{{0, 0}, {1, 0}, {0, 1}} {
		y := MaxPool2d(x, k, s, pad)
		n := int64(y.Len())
		if got := y.Op().CountsFor(y.Shape(), xs); got != (Counts{Other: n * 5}) {
			t.Errorf("MaxPool2d pad %v: counts %v, want %d other", pad, got, n*5)
		}
		if j := y.Op().JacobianFor(y.Shape(), xs, 0); j.Kind != StructSparse || j.NNZ != n {
			t.Errorf("MaxPool2d pad %v: Jacobian %+v, want one non-zero per output", pad, j)
		}
		y = AvgPool2d(x, k, s, pad)
		n = int64(y.Len())
		if got := y.Op().CountsFor(y.Shape(), xs); got != (Counts{Mul: n, Add: n * 5}) {
			t.Errorf("AvgPool2d pad %v: counts %v", pad, got)
		}
		j := y.Op().JacobianFor(y.Shape(), xs, 0)
		if j.Kind != StructSparse || j.NNZ != n*6 || j.Bound != (pad != [2]int{}) || j.Rows != y.Len() || j.Cols != x.Len() {
			t.Errorf("AvgPool2d pad %v: Jacobian %+v, want %d non-zeros, bound %v", pad, j, n*6, pad != [2]int{})
		}
		for _, y := range []*Tensor{MaxPool2d(x, k, s, pad), AvgPool2d(x, k, s, pad)} {
			if f := y.Op().FieldFor(y.Shape(), xs); f.Kind != FieldWindow || f.Window != y.Op().Window {
				t.Errorf("%v: field %+v", y.Op(), f)
			}
		}
	}
	g := GlobalAvgPool2d(x)
	if got := g.Op().CountsFor(g.Shape(), xs); got != (Counts{Mul: 6, Add: 6*42 - 6}) {
		t.Errorf("GlobalAvgPool2d: counts %v", got)
	}
	if j := g.Op().JacobianFor(g.Shape(), xs, 0); j.Kind != StructSparse || j.NNZ != 6*42 || !j.Covers {
		t.Errorf("GlobalAvgPool2d: Jacobian %+v", j)
	}
	g = GlobalMaxPool2d(x)
	if got := g.Op().CountsFor(g.Shape(), xs); got != (Counts{Other: 6*42 - 6}) {
		t.Errorf("GlobalMaxPool2d: counts %v", got)
	}
	for _, g := range []*Tensor{GlobalAvgPool2d(x), GlobalMaxPool2d(x)} {
		if f := g.Op().FieldFor(g.Shape(), xs); f.Kind != FieldAll {
			t.Errorf("%v: field %+v", g.Op(), f)
		}
	}
}

// TestConvBiasOnlyGradient differentiates Conv2d and ConvTranspose2d with
// respect to the bias alone (input and weight fixed): the backward pass
// then computes neither dx nor dW, and the bias gradient is the sum of the
// upstream gradient over the batch and the plane. Image at a time or
// batch-wide alike (batches of 1 and 8).
func TestConvBiasOnlyGradient(t *testing.T) {
	for _, n := range []int{1, 8} {
		for _, transposed := range []bool{false, true} {
			x, w, b := rnd(1, n, 3, 9, 9), rnd(2, 3, 3, 3, 3), rnd(3, 3).SetRequiresGrad(true)
			var y *Tensor
			if transposed {
				y = ConvTranspose2d(x, w, b, [2]int{1, 1}, [2]int{1, 1}, [2]int{}, [2]int{1, 1})
			} else {
				y = Conv2d(x, w, b, [2]int{1, 1}, [2]int{1, 1}, [2]int{1, 1})
			}
			gy := rnd(4, y.Shape()...)
			y.BackwardWith(gy)
			want := Sum(gy, 0, 2, 3).Values()
			got := b.Grad().Values()
			for i := range want {
				if d := got[i] - want[i]; d > 1e-12 || d < -1e-12 {
					t.Errorf("batch %d, transposed %v: ∂L/∂b = %v, want %v", n, transposed, got, want)
					break
				}
			}
			if x.Grad() != nil || w.Grad() != nil {
				t.Errorf("batch %d, transposed %v: gradients for inputs that do not require them", n, transposed)
			}
		}
	}
}

// TestConvTransposeCountsExact checks ConvTranspose2d's declared additions
// exactly (TestConvTranspose2dRecord bounds them): one per landing product,
// less one per output element reached when there is no bias (its first
// product starts the sum); and which Jacobians cover their input: ∂y/∂x
// when every input position lands in the output, ∂y/∂W when every tap
// does, ∂y/∂b always. Brute force over the positions, for every case of
// convTCases (some crop inputs or taps away), with and without a bias.
func TestConvTransposeCountsExact(t *testing.T) {
	for _, tc := range convTCases {
		x, w, _ := tc.inputs(Float64)
		x.SetRequiresGrad(true)
		y := ConvTranspose2d(x, w, nil, tc.stride, tc.pad, tc.opad, tc.dil)
		ys := y.Shape()
		_, _, products := naiveConvTranspose2d(x, w, nil, tc.stride, tc.pad, tc.opad, tc.dil)
		hit := make([]bool, ys[2]*ys[3])
		inLands := make([]bool, tc.x[2]*tc.x[3])
		tapLands := make([]bool, tc.w[2]*tc.w[3])
		for i := range tc.x[2] {
			for j := range tc.x[3] {
				for ki := range tc.w[2] {
					for kj := range tc.w[3] {
						r := i*tc.stride[0] - tc.pad[0] + ki*tc.dil[0]
						c := j*tc.stride[1] - tc.pad[1] + kj*tc.dil[1]
						if r >= 0 && r < ys[2] && c >= 0 && c < ys[3] {
							hit[r*ys[3]+c], inLands[i*tc.x[3]+j], tapLands[ki*tc.w[3]+kj] = true, true, true
						}
					}
				}
			}
		}
		reached := int64(0)
		for _, h := range hit {
			if h {
				reached++
			}
		}
		reached *= int64(ys[0] * ys[1])
		everyIn, everyTap := !slices.Contains(inLands, false), !slices.Contains(tapLands, false)
		op := y.Op()
		for _, ins := range [][][]int{{tc.x, tc.w}, {tc.x, tc.w, nil}, {tc.x, tc.w, {tc.w[1]}}} {
			want := Counts{Mul: products, Add: products - reached}
			if len(ins) == 3 && ins[2] != nil {
				want.Add = products
			}
			if got := op.CountsFor(ys, ins); got != want {
				t.Errorf("%s, %d inputs: counts %v, want %v", tc.name, len(ins), got, want)
			}
			for i, covers := range []bool{everyIn, everyTap, true} {
				if i == len(ins) || ins[i] == nil {
					break
				}
				if s := op.JacobianFor(ys, ins, i); s.Covers != covers {
					t.Errorf("%s: ∂y/∂input %d covers %v, want %v (%+v)", tc.name, i, s.Covers, covers, s)
				}
			}
		}
	}
}

// TestConvTransposeOneByOneOutputPadding runs a transposed convolution of
// a 1×1 input with output padding (and no padding or dilation): the output
// is larger than the kernel, so it must not take the single-product path
// of a 1×1 input (whose output is exactly the kernel), and its values are
// the naive loop's.
func TestConvTransposeOneByOneOutputPadding(t *testing.T) {
	for _, opad := range [][2]int{{1, 0}, {0, 1}, {1, 1}} {
		x, w, b := rnd(1, 3, 2, 1, 1), rnd(2, 2, 3, 3, 2), rnd(3, 3)
		y := ConvTranspose2d(x, w, b, [2]int{2, 2}, [2]int{}, opad, [2]int{1, 1})
		want, shape, _ := naiveConvTranspose2d(x, w, b, [2]int{2, 2}, [2]int{}, opad, [2]int{1, 1})
		if !slices.Equal(y.Shape(), shape) {
			t.Fatalf("output padding %v: shape %v, want %v", opad, y.Shape(), shape)
		}
		for i, v := range y.Values() {
			if d := v - want[i]; d > 1e-12 || d < -1e-12 {
				t.Errorf("output padding %v: y[%d] = %g, want %g", opad, i, v, want[i])
				break
			}
		}
	}
}
