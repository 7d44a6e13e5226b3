package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// transInputs returns the values Exp32 and Softplus32 are checked on: a
// dense grid over [-110, 110] (past underflow and overflow), a fine grid
// near zero, random bit patterns (every exponent, NaNs and infinities),
// and the special values.
func transInputs() []float32 {
	var xs []float32
	for x := -110.0; x <= 110; x += 1.0 / 512 {
		xs = append(xs, float32(x))
	}
	for x := -1.0; x <= 1; x += 1.0 / 32768 {
		xs = append(xs, float32(x))
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		xs = append(xs, math.Float32frombits(rng.Uint32()))
	}
	inf := float32(math.Inf(1))
	xs = append(xs, 0, float32(math.Copysign(0, -1)), inf, -inf, float32(math.NaN()),
		math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32,
		1e-30, -1e-30, 88.72, 88.73, 89, -87.33, -87.34, -103.2, -103.3, -104, -105, 1e10, -1e10)
	return xs
}

// transMaxULP is the accuracy stated in transcend.go: relative error at
// most 3 units in the last place of float32 where the exact result is a
// normal float32; absolute error at most 2^-126 below.
const transMaxULP = 3

// checkTrans fails t where got[i] is farther from want(xs[i]) (float64)
// than the stated bound, and returns the largest error in ulps seen on
// normal results.
func checkTrans(t *testing.T, name string, xs, got []float32, want func(float64) float64) int64 {
	t.Helper()
	worst := int64(0)
	for i, x := range xs {
		w, g := want(float64(x)), got[i]
		switch {
		case math.IsNaN(w):
			if !math.IsNaN(float64(g)) {
				t.Fatalf("%s(%v) = %v, want NaN", name, x, g)
			}
		case math.Abs(w) < 0x1p-126:
			if d := math.Abs(float64(g) - w); !(d <= 0x1p-126) {
				t.Fatalf("%s(%v) = %v, want %v (error %g > 2^-126)", name, x, g, w, d)
			}
		case math.Abs(w) > math.MaxFloat32:
			if !math.IsInf(float64(g), int(math.Copysign(1, w))) {
				t.Fatalf("%s(%v) = %v, want %v overflowing to Inf", name, x, g, w)
			}
		default:
			u := ulpDiff32(g, float32(w))
			if u > transMaxULP {
				t.Fatalf("%s(%v) = %v, want %v (%d ulp > %d)", name, x, g, float32(w), u, transMaxULP)
			}
			worst = max(worst, u)
		}
	}
	return worst
}

// ulpDiff32 is the distance in units in the last place between float32
// values (through zero when the signs differ).
func ulpDiff32(a, b float32) int64 {
	ia, ib := int64(math.Float32bits(a)&0x7fffffff), int64(math.Float32bits(b)&0x7fffffff)
	if math.Signbit(float64(a)) != math.Signbit(float64(b)) {
		return ia + ib
	}
	return max(ia-ib, ib-ia)
}

// softplus64 is log(1+e^x) in float64, stably.
func softplus64(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }

// TestTranscendAccuracy checks Exp32 and Softplus32 on every path this CPU
// has, and the pure-Go twins, against math.Exp and math.Log1p.
func TestTranscendAccuracy(t *testing.T) {
	xs := transInputs()
	got := make([]float32, len(xs))
	cases := []struct {
		name string
		f    func(dst, x []float32)
		op   transOp
		want func(float64) float64
	}{{"Exp32", Exp32, transExp, math.Exp}, {"Softplus32", Softplus32, transSoftplus, softplus64}}
	forEachPath(t, func(t *testing.T) {
		for _, c := range cases {
			c.f(got, xs)
			w := checkTrans(t, c.name, xs, got, c.want)
			t.Logf("%s on %s: worst %d ulp", c.name, cpuActive, w)
		}
	})
	for _, c := range cases {
		transGo(c.op, got, xs)
		w := checkTrans(t, c.name+" (pure Go)", xs, got, c.want)
		t.Logf("%s pure Go: worst %d ulp", c.name, w)
	}
}

// TestTranscendSpecial checks the exact limits: e^0 = 1, e^−Inf = 0,
// e^+Inf = +Inf, softplus(−Inf) = 0, softplus(+Inf) = +Inf, softplus(0) =
// log 2 rounded, and that a NaN stays a NaN.
func TestTranscendSpecial(t *testing.T) {
	inf := float32(math.Inf(1))
	xs := []float32{0, -inf, inf, float32(math.NaN())}
	forEachPath(t, func(t *testing.T) {
		e := make([]float32, len(xs))
		s := make([]float32, len(xs))
		Exp32(e, xs)
		Softplus32(s, xs)
		if e[0] != 1 || e[1] != 0 || e[2] != inf || e[3] == e[3] {
			t.Errorf("Exp32(0, -Inf, +Inf, NaN) = %v", e)
		}
		if s[0] != float32(math.Ln2) || s[1] != 0 || s[2] != inf || s[3] == s[3] {
			t.Errorf("Softplus32(0, -Inf, +Inf, NaN) = %v", s)
		}
	})
}

// TestTranscendTails checks every length 0..33 on every path (Exp32,
// Softplus32, SigmoidMul32) (the vector
// body and the padded tail), in place and into a longer dst, whose extra
// elements must stay untouched: each element equals the one computed in a
// long slice, so the tail goes through the same code as the body.
func TestTranscendTails(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	src := make([]float32, 33)
	for i := range src {
		src[i] = float32(rng.NormFloat64() * 10)
	}
	gfix := make([]float32, len(src))
	for i := range gfix {
		gfix[i] = float32(i) - 10.5
	}
	sigMul := func(dst, x []float32) { SigmoidMul32(dst, x, gfix[:len(x)]) }
	forEachPath(t, func(t *testing.T) {
		for _, f := range []func(dst, x []float32){Exp32, Softplus32, sigMul} {
			ref := make([]float32, len(src))
			f(ref, src)
			for n := 0; n <= 33; n++ {
				dst := make([]float32, n+3)
				for i := range dst {
					dst[i] = -7
				}
				f(dst, src[:n])
				in := append([]float32(nil), src[:n]...)
				f(in, in)
				for i := range n {
					if dst[i] != ref[i] || in[i] != ref[i] {
						t.Fatalf("n=%d: element %d = %v (in place %v), want %v", n, i, dst[i], in[i], ref[i])
					}
				}
				for i := n; i < len(dst); i++ {
					if dst[i] != -7 {
						t.Fatalf("n=%d: element %d past len(x) written", n, i)
					}
				}
			}
		}
	})
}

// TestTranscendShortDst checks the panic on a dst shorter than x.
func TestTranscendShortDst(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Exp32 with a short dst did not panic")
		}
	}()
	Exp32(make([]float32, 2), make([]float32, 3))
}

// TestTranscendNoAlloc checks that a tail does not allocate.
func TestTranscendNoAlloc(t *testing.T) {
	x := make([]float32, 21)
	if n := testing.AllocsPerRun(10, func() { Exp32(x, x); Softplus32(x, x) }); n != 0 {
		t.Errorf("%v allocations per call, want 0", n)
	}
}

// BenchmarkExp32_20000 and BenchmarkSoftplus32_20000 are one VAE hidden
// layer's worth (batch 100 × 200).
func BenchmarkExp32_20000(b *testing.B)      { benchTrans(b, Exp32) }
func BenchmarkSoftplus32_20000(b *testing.B) { benchTrans(b, Softplus32) }

func benchTrans(b *testing.B, f func(dst, x []float32)) {
	x := make([]float32, 20000)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range x {
		x[i] = float32(rng.NormFloat64() * 3)
	}
	dst := make([]float32, len(x))
	b.SetBytes(4 * int64(len(x)))
	for b.Loop() {
		f(dst, x)
	}
}

// TestSigmoidMul32 checks SigmoidMul32 on every path and the pure-Go loop
// against g·σ(x) in float64, with the bound stated on it, over the inputs
// of the other functions and gradients of every magnitude, and in place
// (dst = g); TestTranscendTails covers the tail lengths.
func TestSigmoidMul32(t *testing.T) {
	xs := transInputs()
	rng := rand.New(rand.NewPCG(11, 12))
	g := make([]float32, len(xs))
	for i := range g {
		g[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(13)-6)))
	}
	got := make([]float32, len(xs))
	check := func(t *testing.T) int64 {
		worst := int64(0)
		for i, x := range xs {
			xf, gf := float64(x), float64(g[i])
			var sig float64
			if xf >= 0 {
				sig = 1 / (1 + math.Exp(-xf))
			} else {
				e := math.Exp(xf)
				sig = e / (1 + e)
			}
			w := gf * sig
			switch {
			case math.IsNaN(w):
				if got[i] == got[i] {
					t.Fatalf("SigmoidMul32(%v, %v) = %v, want NaN", x, g[i], got[i])
				}
			case xf < -87 || math.Abs(w) < 0x1p-126:
				if d := math.Abs(float64(got[i]) - w); !(d <= 0x1p-126*math.Max(math.Abs(gf), 1)) {
					t.Fatalf("SigmoidMul32(%v, %v) = %v, want %v (error %g)", x, g[i], got[i], w, d)
				}
			default:
				if u := ulpDiff32(got[i], float32(w)); u > transMaxULP {
					t.Fatalf("SigmoidMul32(%v, %v) = %v, want %v (%d ulp)", x, g[i], got[i], float32(w), u)
				} else {
					worst = max(worst, u)
				}
			}
		}
		return worst
	}
	forEachPath(t, func(t *testing.T) {
		SigmoidMul32(got, xs, g)
		t.Logf("SigmoidMul32 on %s: worst %d ulp", cpuActive, check(t))
		in := append([]float32(nil), g...)
		SigmoidMul32(in, xs, in) // dst = g
		for i := range in {
			if math.Float32bits(in[i]) != math.Float32bits(got[i]) {
				t.Fatalf("in place [%d]: %v, want %v", i, in[i], got[i])
			}
		}
	})
}
