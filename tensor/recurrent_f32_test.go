package tensor

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
)

// TestRecurrentFloat32MatchesFloat64 runs Recurrent and its Backward in
// float32 (the vector gate kernels, the transposed and padded weight
// copies of the per-step products) and in float64 (math.Exp and
// math.Tanh, the float64 GEMM) on the same values, and requires every
// output and gradient to agree to float32 accuracy. The hidden sizes cover
// gate blocks that are not whole vectors (13), a gate matrix whose rows
// fill 1 KiB (LSTM H=64: 4·64 float32), and a W_hh row of 1 KiB (H=256);
// the lengths leave some sequences finished early, in both directions.
func TestRecurrentFloat32MatchesFloat64(t *testing.T) {
	for _, cell := range []RecurrentCell{CellRNN, CellLSTM, CellGRU} {
		for _, H := range []int{13, 64, 256} {
			for _, rev := range []bool{false, true} {
				name := fmt.Sprintf("%s_H%d_rev%v", cell, H, rev)
				t.Run(name, func(t *testing.T) {
					checkRecurrentF32(t, RecurrentConfig{Cell: cell, Reverse: rev}, 5, 4, 7, H)
				})
			}
		}
		// A batch of 40 rows of H=256 splits the gate work across
		// workers (recurrentMinRows) when GOMAXPROCS > 1.
		t.Run(fmt.Sprintf("%s_N40", cell), func(t *testing.T) {
			checkRecurrentF32(t, RecurrentConfig{Cell: cell}, 3, 40, 7, 256)
		})
	}
	// The plain RNN's other fused nonlinearities (tanh is the default above).
	for _, act := range []Activation{ActReLU, ActSigmoid} {
		for _, H := range []int{13, 256} {
			t.Run(fmt.Sprintf("RNN_%s_H%d", act.Name, H), func(t *testing.T) {
				checkRecurrentF32(t, RecurrentConfig{Cell: CellRNN, Act: act, Reverse: H == 13}, 5, 4, 7, H)
			})
		}
	}
}

// TestRecurrentActivationKinds checks that the built-in activations are
// recognised by their functions, not their names, and that the fused
// path of each (float32 and float64) computes what the same function
// given as a custom activation computes element by element.
func TestRecurrentActivationKinds(t *testing.T) {
	for _, c := range []struct {
		act  Activation
		want ActivationKind
	}{
		{ActTanh, ActivationTanh}, {ActReLU, ActivationReLU}, {ActSigmoid, ActivationSigmoid},
		{Activation{Name: "tanh", F: math.Tanh, D: func(_, y float64) float64 { return 1 - y*y }}, ActivationCustom},
		{Activation{Name: "relu"}, ActivationCustom},
	} {
		if got := c.act.Kind(); got != c.want {
			t.Errorf("%s (%p): kind %v, want %v", c.act.Name, c.act.F, got, c.want)
		}
	}
	if s := ActivationSigmoid.String(); s != "sigmoid" {
		t.Errorf("ActivationSigmoid.String() = %q", s)
	}
	for _, b := range []Activation{ActTanh, ActReLU, ActSigmoid} {
		// The same function, not recognised: the per-element path.
		custom := Activation{Name: b.Name, F: func(x float64) float64 { return b.F(x) }, D: func(x, y float64) float64 { return b.D(x, y) }}
		for _, dt := range []DType{Float64, Float32} {
			rng := NewRand(3)
			T, N, I, H := 4, 3, 5, 9
			ins := []*Tensor{RandN(rng, T, N, I), RandN(rng, H, I), RandN(rng, H, H), RandN(rng, H), RandN(rng, H)}
			for i := range ins {
				ins[i] = To(MulScalar(ins[i], 1/3.0), dt)
			}
			lens := FromInts([]int{T, 1, 0}, N)
			dOut := To(RandN(rng, T, N, H), dt)
			run := func(a Activation) ([]float64, RecurrentGrads) {
				r := Recurrent(RecurrentConfig{Cell: CellRNN, Act: a}, ins[0], ins[1], ins[2], ins[3], ins[4], nil, nil, lens)
				return append(r.Out.Values(), r.HN.Values()...), r.Backward(dOut, nil, nil)
			}
			fo, fg := run(b)
			co, cg := run(custom)
			tol := 0.0 // float64: the same formulas in the same order
			if dt == Float32 {
				tol = 2e-6 // the vector kernels' tanh and σ (a few ulp), carried through the steps
			}
			near := func(what string, a, c []float64) {
				for i := range a {
					if math.Abs(a[i]-c[i]) > tol*max(1, math.Abs(c[i])) {
						t.Errorf("%s %v %s[%d]: fused %g, per element %g", b.Name, dt, what, i, a[i], c[i])
						return
					}
				}
			}
			near("out", fo, co)
			near("dx", fg.X.Values(), cg.X.Values())
			near("dW_hh", fg.WeightHH.Values(), cg.WeightHH.Values())
			near("dh0", fg.H0.Values(), cg.H0.Values())
		}
	}
}

func checkRecurrentF32(t *testing.T, cfg RecurrentConfig, T, N, I, H int) {
	rng := NewRand(7)
	G := cfg.Cell.Gates() * H
	scale := 1 / math.Sqrt(float64(H))
	mk := func(shape ...int) *Tensor { return MulScalar(RandN(rng, shape...), scale) }
	x64 := To(RandN(rng, T, N, I), Float64)
	ws := []*Tensor{To(mk(G, I), Float64), To(mk(G, H), Float64), To(mk(G), Float64), To(mk(G), Float64), To(mk(N, H), Float64)}
	var c0 *Tensor
	if cfg.Cell == CellLSTM {
		c0 = To(mk(N, H), Float64)
	}
	ls := make([]int, N)
	for i := range ls {
		ls[i] = []int{T, 2, T - 1, 0}[i%4]
	}
	lens := FromInts(ls, N)
	dOut, dHN := To(RandN(rng, T, N, H), Float64), To(RandN(rng, N, H), Float64)
	var dCN *Tensor
	if c0 != nil {
		dCN = To(RandN(rng, N, H), Float64)
	}
	run := func(dt DType) ([]*Tensor, RecurrentGrads) {
		conv := func(v *Tensor) *Tensor {
			if v == nil {
				return nil
			}
			return To(v, dt)
		}
		r := Recurrent(cfg, conv(x64), conv(ws[0]), conv(ws[1]), conv(ws[2]), conv(ws[3]), conv(ws[4]), conv(c0), lens)
		return []*Tensor{r.Out, r.HN, r.CN}, r.Backward(conv(dOut), conv(dHN), conv(dCN))
	}
	o64, g64 := run(Float64)
	o32, g32 := run(Float32)
	compare := func(what string, got, want *Tensor) {
		t.Helper()
		if want == nil {
			return
		}
		a, b := got.Values(), want.Values()
		var num, den float64
		for i := range a {
			num += (a[i] - b[i]) * (a[i] - b[i])
			den += b[i] * b[i]
		}
		if math.Sqrt(num) > 2e-6*math.Sqrt(den)+1e-7 {
			t.Errorf("%s: float32 differs from float64 by %g (norm %g)", what, math.Sqrt(num), math.Sqrt(den))
		}
	}
	for i, name := range []string{"Out", "HN", "CN"} {
		compare(name, o32[i], o64[i])
	}
	compare("dX", g32.X, g64.X)
	compare("dW_ih", g32.WeightIH, g64.WeightIH)
	compare("dW_hh", g32.WeightHH, g64.WeightHH)
	compare("db_ih", g32.BiasIH, g64.BiasIH)
	compare("db_hh", g32.BiasHH, g64.BiasHH)
	compare("dh0", g32.H0, g64.H0)
	compare("dc0", g32.C0, g64.C0)
}

// TestRecurrentDirectionalDerivative checks Backward in float64 against
// central differences along one random direction per input: with L =
// ⟨dOut, Out⟩ + ⟨dHN, HN⟩ + ⟨dCN, CN⟩, (L(p+εv) − L(p−εv))/2ε must equal
// ⟨∂L/∂p, v⟩. H=128 makes both weight copies of the per-step products
// padded in float64 (a W_hhᵀ row of 4·128 and a W_hh row of 128 float64
// fill whole KiB), H=13 leaves them unpadded.
func TestRecurrentDirectionalDerivative(t *testing.T) {
	for _, cell := range []RecurrentCell{CellRNN, CellLSTM, CellGRU} {
		for _, H := range []int{13, 128} {
			t.Run(fmt.Sprintf("%s_H%d", cell, H), func(t *testing.T) {
				checkDirectional(t, RecurrentConfig{Cell: cell, Reverse: H == 13}, 4, 3, 5, H)
			})
		}
	}
}

func checkDirectional(t *testing.T, cfg RecurrentConfig, T, N, I, H int) {
	rng := NewRand(11)
	G := cfg.Cell.Gates() * H
	scale := 1 / math.Sqrt(float64(H))
	mk := func(shape ...int) *Tensor { return To(MulScalar(RandN(rng, shape...), scale), Float64) }
	ins := []*Tensor{To(RandN(rng, T, N, I), Float64), mk(G, I), mk(G, H), mk(G), mk(G), mk(N, H), nil}
	if cfg.Cell == CellLSTM {
		ins[6] = mk(N, H)
	}
	lens := FromInts([]int{T, 1, T - 1}, N)
	dOut, dHN, dCN := mk(T, N, H), mk(N, H), mk(N, H)
	loss := func(in []*Tensor) float64 {
		r := Recurrent(cfg, in[0], in[1], in[2], in[3], in[4], in[5], in[6], lens)
		l := dot(r.Out, dOut) + dot(r.HN, dHN)
		if r.CN != nil {
			l += dot(r.CN, dCN)
		}
		return l
	}
	r := Recurrent(cfg, ins[0], ins[1], ins[2], ins[3], ins[4], ins[5], ins[6], lens)
	var dc *Tensor
	if r.CN != nil {
		dc = dCN
	}
	g := r.Backward(dOut, dHN, dc)
	grads := []*Tensor{g.X, g.WeightIH, g.WeightHH, g.BiasIH, g.BiasHH, g.H0, g.C0}
	names := []string{"x", "weight_ih", "weight_hh", "bias_ih", "bias_hh", "h0", "c0"}
	const eps = 1e-6
	for i, p := range ins {
		if p == nil {
			continue
		}
		v := mk(p.Shape()...)
		shifted := func(s float64) float64 {
			in := append([]*Tensor(nil), ins...)
			in[i] = Add(p, MulScalar(v, s))
			return loss(in)
		}
		num := (shifted(eps) - shifted(-eps)) / (2 * eps)
		ana := dot(grads[i], v)
		if math.Abs(num-ana) > 1e-7*(1+math.Abs(ana)) {
			t.Errorf("%s: ⟨∂L/∂%s, v⟩ = %.10g, central difference %.10g", cfg.Cell, names[i], ana, num)
		}
	}
}

func dot(a, b *Tensor) float64 {
	s, bv := 0.0, b.Values()
	for i, v := range a.Values() {
		s += v * bv[i]
	}
	return s
}

// TestRecurrentParallelRows checks that the gate work split across
// workers (a batch of 40 rows of H=256, GOMAXPROCS 4) computes what one
// goroutine does, with sequences of every length among the rows.
func TestRecurrentParallelRows(t *testing.T) {
	for _, cell := range []RecurrentCell{CellRNN, CellLSTM, CellGRU} {
		cfg := RecurrentConfig{Cell: cell}
		T, N, I, H := 4, 40, 6, 256
		rng := NewRand(5)
		G := cell.Gates() * H
		mk := func(shape ...int) *Tensor { return To(MulScalar(RandN(rng, shape...), 0.1), Float64) }
		x, wih, whh, bih, bhh := mk(T, N, I), mk(G, I), mk(G, H), mk(G), mk(G)
		ls := make([]int, N)
		for i := range ls {
			ls[i] = i % (T + 1)
		}
		lens := FromInts(ls, N)
		dOut, dHN := mk(T, N, H), mk(N, H)
		run := func(procs int) []*Tensor {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			r := Recurrent(cfg, x, wih, whh, bih, bhh, nil, nil, lens)
			g := r.Backward(dOut, dHN, nil)
			return []*Tensor{r.Out, r.HN, g.X, g.WeightIH, g.WeightHH, g.BiasIH, g.BiasHH, g.H0}
		}
		one, four := run(1), run(4)
		for i := range one {
			a, b := four[i].Values(), one[i].Values()
			for j := range a {
				if math.Abs(a[j]-b[j]) > 1e-12*(1+math.Abs(b[j])) {
					t.Fatalf("%s: result %d [%d] = %v with 4 workers, %v with 1", cell, i, j, a[j], b[j])
				}
			}
		}
	}
}

// TestRecurrentRecord checks what the recorded op keeps: the direction, a
// plain RNN's nonlinearity, and the lengths as its eighth input (nil
// without), so that graphs and exporters need not rerun it.
func TestRecurrentRecord(t *testing.T) {
	rng := NewRand(9)
	x := RandN(rng, 4, 2, 3).SetRequiresGrad(true)
	lens := FromInts([]int{4, 2}, 2)
	for _, c := range []struct {
		cfg  RecurrentConfig
		lens *Tensor
	}{
		{RecurrentConfig{Cell: CellRNN, Act: ActSigmoid, Reverse: true}, lens},
		{RecurrentConfig{Cell: CellRNN}, nil},
		{RecurrentConfig{Cell: CellGRU, Reverse: true}, nil},
		{RecurrentConfig{Cell: CellLSTM}, lens},
	} {
		G := c.cfg.Cell.Gates() * 5
		r := Recurrent(c.cfg, x, RandN(rng, G, 3), RandN(rng, G, 5), RandN(rng, G), RandN(rng, G), nil, nil, c.lens)
		hub := r.HN
		for hub.Op().Kind != c.cfg.Cell.kind() {
			hub = hub.Inputs()[0]
		}
		op, in := hub.Op(), hub.Inputs()
		wantAct := ActivationCustom
		if c.cfg.Cell == CellRNN {
			wantAct = c.cfg.Act.Kind()
			if c.cfg.Act.F == nil {
				wantAct = ActivationTanh
			}
		}
		if op.Reverse != c.cfg.Reverse || op.Act != wantAct || len(in) != 8 || in[7] != c.lens {
			t.Errorf("%v: record Reverse %v Act %v with %d inputs (lengths %v), want %v %v, 8, %v",
				c.cfg.Cell, op.Reverse, op.Act, len(in), in[len(in)-1], c.cfg.Reverse, wantAct, c.lens)
		}
		if got, want := op.Attrs(), map[RecurrentCell]string{CellRNN: wantAct.String(), CellGRU: "", CellLSTM: ""}[c.cfg.Cell]; c.cfg.Reverse && got != strings.TrimPrefix(want+", reverse", ", ") || !c.cfg.Reverse && got != want {
			t.Errorf("%v: Attrs %q", c.cfg.Cell, got)
		}
	}
}
