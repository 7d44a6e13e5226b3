package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdamStep32MatchesGo checks AdamStep32 on every path against the
// pure-Go loop bit for bit, over three steps, for every length 0..33 and
// a long one, with zero, tiny and large gradients among the values.
func TestAdamStep32MatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	forEachPath(t, func(t *testing.T) {
		for _, n := range append(adamLens(34), 1000, 4099) {
			p0 := make([]float32, n)
			gs := make([][]float32, 3)
			for i := range p0 {
				p0[i] = float32(rng.NormFloat64())
			}
			for s := range gs {
				gs[s] = make([]float32, n)
				for i := range gs[s] {
					gs[s][i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-6)))
				}
				if n > 2 {
					gs[s][0], gs[s][1] = 0, 1e-30
				}
			}
			pa, ma, va := append([]float32(nil), p0...), make([]float32, n), make([]float32, n)
			pb, mb, vb := append([]float32(nil), p0...), make([]float32, n), make([]float32, n)
			for s, g := range gs {
				st := float64(s + 1)
				k := &AdamConsts{B1: 0.5, C1: 0.5, B2: 0.999, C2: 1 - 0.999,
					StepSize: float32(-2e-4 / (1 - math.Pow(0.5, st))), BC2Sqrt: float32(math.Sqrt(1 - math.Pow(0.999, st))), Eps: 1e-8}
				AdamStep32(pa, g, ma, va, k)
				adamGo(pb, g, mb, vb, k)
			}
			for i := range pa {
				if math.Float32bits(pa[i]) != math.Float32bits(pb[i]) || ma[i] != mb[i] || va[i] != vb[i] {
					t.Fatalf("n=%d [%d]: p %v m %v v %v, pure Go p %v m %v v %v", n, i, pa[i], ma[i], va[i], pb[i], mb[i], vb[i])
				}
			}
			if n > 0 && pa[n-1] == p0[n-1] {
				t.Fatalf("n=%d: last parameter not updated", n)
			}
		}
	})
}

// adamLens returns 0, 1, …, n−1.
func adamLens(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// BenchmarkAdamStep32_407k is the VAE's parameter count.
func BenchmarkAdamStep32_407k(b *testing.B) {
	n := 407224
	p, g, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range g {
		g[i] = float32(i%7) - 3
	}
	k := &AdamConsts{B1: 0.9, C1: 0.1, B2: 0.999, C2: 0.001, StepSize: -1e-3, BC2Sqrt: 0.5, Eps: 1e-8}
	for b.Loop() {
		AdamStep32(p, g, m, v, k)
	}
}
