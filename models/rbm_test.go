package models

import (
	"math"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/tensor"
)

// fixedUniforms returns a uniform source that hands out vals in order.
func fixedUniforms(t *testing.T, vals ...float64) func(rows, cols int) *tensor.Tensor {
	return func(rows, cols int) *tensor.Tensor {
		if len(vals) < rows*cols {
			t.Fatalf("ran out of fixed uniforms")
		}
		u := tensor.FromFloat64(vals[:rows*cols], rows, cols)
		vals = vals[rows*cols:]
		return u
	}
}

func sig(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// TestCD1ZeroRBM: an RBM with all weights and biases zero has every
// conditional probability ½, so CD-1 is computable by hand:
// p(h|v0) = ½, h0 = [u < ½], vk = p(v|h0) = ½, p(h|vk) = ½, hence
// ΔW[j][i] = mean_n(½·v0[n][i]) − ¼, Δb = mean(v0) − ½, Δc = 0, and the
// reconstruction error is Σ_i (v0 − ½)² per image.
func TestCD1ZeroRBM(t *testing.T) {
	r := &RBM{W: tensor.ZerosOf(tensor.Float64, 2, 3), B: tensor.ZerosOf(tensor.Float64, 3), C: tensor.ZerosOf(tensor.Float64, 2)}
	v0 := tensor.FromFloat64([]float64{1, 0, 1, 1, 1, 0}, 2, 3)
	st := r.CD(v0, 1, nil, fixedUniforms(t, 0.1, 0.9, 0.6, 0.2, 0.3, 0.7, 0.4, 0.8))
	wantW := []float64{0.5*1 - 0.25, 0.5*0.5 - 0.25, 0.5*0.5 - 0.25} // per hidden row
	for j := 0; j < 2; j++ {
		for i := 0; i < 3; i++ {
			if got := st.DW.At(j, i); math.Abs(got-wantW[i]) > 1e-12 {
				t.Errorf("ΔW[%d][%d] = %v, want %v", j, i, got, wantW[i])
			}
		}
	}
	for i, w := range []float64{0.5, 0, 0} {
		if got := st.DB.At(i); math.Abs(got-w) > 1e-12 {
			t.Errorf("Δb[%d] = %v, want %v", i, got, w)
		}
	}
	for j := 0; j < 2; j++ {
		if got := st.DC.At(j); got != 0 {
			t.Errorf("Δc[%d] = %v, want 0", j, got)
		}
	}
	if st.ReconError != 0.75 {
		t.Errorf("reconstruction error %v, want 3·¼ = 0.75", st.ReconError)
	}
	// h_k = [u < ½] for the second batch of uniforms (0.3, 0.7, 0.4, 0.8)
	for n, w := range []float64{1, 0, 1, 0} {
		if got := st.HK.Flat(n); got != w {
			t.Errorf("h_k[%d] = %v, want %v", n, got, w)
		}
	}
}

// TestCD1HandComputed: CD-1 on a 3-visible, 2-hidden RBM with set weights
// and fixed uniforms matches the formulas written out element by element.
func TestCD1HandComputed(t *testing.T) {
	W := [2][3]float64{{0.5, -1, 0.25}, {-0.3, 0.8, 1.2}}
	b := [3]float64{0.1, -0.2, 0.3}
	c := [2]float64{-0.4, 0.2}
	r := &RBM{W: tensor.FromFloat64([]float64{0.5, -1, 0.25, -0.3, 0.8, 1.2}, 2, 3),
		B: tensor.FromFloat64(b[:], 3), C: tensor.FromFloat64(c[:], 2)}
	v0 := [2][3]float64{{1, 0, 1}, {0, 1, 1}}
	u1 := [2][2]float64{{0.2, 0.9}, {0.7, 0.1}} // hidden sample of the data
	st := r.CD(tensor.FromFloat64([]float64{1, 0, 1, 0, 1, 1}, 2, 3), 1, nil,
		fixedUniforms(t, 0.2, 0.9, 0.7, 0.1, 0.5, 0.5, 0.5, 0.5)) // the last four sample h_k, which the gradients do not use
	var dW [2][3]float64
	var db [3]float64
	var dc [2]float64
	rec := 0.0
	for n := 0; n < 2; n++ {
		var ph0, h0, phk [2]float64
		var vk [3]float64
		for j := 0; j < 2; j++ {
			a := c[j]
			for i := 0; i < 3; i++ {
				a += W[j][i] * v0[n][i]
			}
			ph0[j] = sig(a)
			if u1[n][j] < ph0[j] {
				h0[j] = 1
			}
		}
		for i := 0; i < 3; i++ {
			a := b[i]
			for j := 0; j < 2; j++ {
				a += W[j][i] * h0[j]
			}
			vk[i] = sig(a)
			rec += (v0[n][i] - vk[i]) * (v0[n][i] - vk[i])
		}
		for j := 0; j < 2; j++ {
			a := c[j]
			for i := 0; i < 3; i++ {
				a += W[j][i] * vk[i]
			}
			phk[j] = sig(a)
		}
		for j := 0; j < 2; j++ {
			for i := 0; i < 3; i++ {
				dW[j][i] += (ph0[j]*v0[n][i] - phk[j]*vk[i]) / 2
			}
			dc[j] += (ph0[j] - phk[j]) / 2
		}
		for i := 0; i < 3; i++ {
			db[i] += (v0[n][i] - vk[i]) / 2
		}
	}
	for j := 0; j < 2; j++ {
		for i := 0; i < 3; i++ {
			if got := st.DW.At(j, i); math.Abs(got-dW[j][i]) > 1e-12 {
				t.Errorf("ΔW[%d][%d] = %v, want %v", j, i, got, dW[j][i])
			}
		}
		if got := st.DC.At(j); math.Abs(got-dc[j]) > 1e-12 {
			t.Errorf("Δc[%d] = %v, want %v", j, got, dc[j])
		}
	}
	for i := 0; i < 3; i++ {
		if got := st.DB.At(i); math.Abs(got-db[i]) > 1e-12 {
			t.Errorf("Δb[%d] = %v, want %v", i, got, db[i])
		}
	}
	if math.Abs(st.ReconError-rec/2) > 1e-12 {
		t.Errorf("reconstruction error %v, want %v", st.ReconError, rec/2)
	}
}

// TestRBMExplicitBackward: Forward's hand-written backward (features
// p(h|v)) matches central differences.
func TestRBMExplicitBackward(t *testing.T) {
	rng := tensor.NewRand(2)
	r := NewRBM(rng, 6, 4)
	tensor.NoGrad(func() {
		for _, p := range r.Params() {
			p.Tensor.SetDType(tensor.Float64)
		}
		for i := 0; i < r.W.Len(); i++ {
			r.W.SetFlat(i, r.W.Flat(i)*50) // weights large enough to matter
		}
	})
	rep := gradcheck.Layer(r, tensor.To(tensor.RandU(rng, 0, 1, 3, 6), tensor.Float64))
	if !rep.OK() {
		t.Fatalf("\n%s", rep)
	}
}
