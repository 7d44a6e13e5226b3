package optim

import (
	"math"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestAdamFloat32VectorPathBitExact runs float32 Adam (the vector path of
// kernel.AdamStep32) and AdamW without decay for three steps on 10,007
// parameters (two workers' chunks and a tail) and compares every value bit
// for bit with the update written out in float32, in the order adamUpdate's
// generic loop computes it.
func TestAdamFloat32VectorPathBitExact(t *testing.T) {
	const n = 10007
	for name, mk := range map[string]func([]nn.Param) *Adam{
		"Adam":  func(ps []nn.Param) *Adam { return NewAdam(ps, AdamConfig{LR: 2e-4, Betas: [2]float64{0.5, 0.999}}) },
		"AdamW": func(ps []nn.Param) *Adam { return NewAdamW(ps, AdamConfig{LR: 1e-3}) },
	} {
		rng := tensor.NewRand(4)
		p := tensor.RandN(rng, n)
		want := append([]float32(nil), p.Float32s()...)
		opt := mk([]nn.Param{{Name: "p", Tensor: p}})
		c := opt.Config()
		m, v := make([]float32, n), make([]float32, n)
		for step := 1; step <= 3; step++ {
			g := tensor.RandN(rng, n)
			p.SetGrad(g)
			opt.Step()
			bc1 := 1 - math.Pow(c.Betas[0], float64(step))
			bc2 := 1 - math.Pow(c.Betas[1], float64(step))
			ss, bs := float32(-(c.LR / bc1)), float32(math.Sqrt(bc2))
			b1, b2, c1, c2, eps := float32(c.Betas[0]), float32(c.Betas[1]), float32(1-c.Betas[0]), float32(1-c.Betas[1]), float32(c.Eps)
			for j, d := range g.Float32s() {
				m[j] = m[j]*b1 + c1*d
				v[j] = v[j]*b2 + c2*d*d
				want[j] += ss * m[j] / (float32(math.Sqrt(float64(v[j])))/bs + eps)
			}
			for j, got := range p.Float32s() {
				if math.Float32bits(got) != math.Float32bits(want[j]) {
					t.Fatalf("%s step %d [%d]: %v, want %v", name, step, j, got, want[j])
				}
			}
		}
	}
}
