package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmParallelChoice checks gemmParallel's choice between a grid of
// blocks and a split of k where only one can apply, through the k split's
// rounding (which the grid does not change): a C of one tile with a long k
// cannot be cut into blocks and must run as gemmParallelK with
// min(k/256, w) slices, bit for bit; with k below 512 there is no k split
// and the grid must give gemmSerial's result bit for bit. Every kernel,
// 2 and 3 workers.
func TestGemmParallelChoice(t *testing.T) {
	same := func(x, y []float32) bool {
		for i := range x {
			if math.Float32bits(x[i]) != math.Float32bits(y[i]) {
				return false
			}
		}
		return true
	}
	for _, g := range sgemmKernels {
		for _, w := range []int{2, 3} {
			for _, s := range [][3]int{{g.mr, g.nr, 4096}, {1, 3, 3000}, {300, 200, 300}, {97, 130, 511}} {
				m, n, k := s[0], s[1], s[2]
				rng := rand.New(rand.NewPCG(51, uint64(m*n*k)))
				a, b := make([]float32, m*k), make([]float32, k*n)
				for i := range a {
					a[i] = float32(rng.NormFloat64())
				}
				for i := range b {
					b[i] = float32(rng.NormFloat64())
				}
				got, want := make([]float32, m*n), make([]float32, m*n)
				gemmParallel(g, w, false, false, m, n, k, 1, a, k, b, n, 0, got, n, nil)
				name := "gemmSerial's"
				if k/256 > 1 {
					name = "gemmParallelK's"
					gemmParallelK(g, min(k/256, w), false, false, m, n, k, 1, a, k, b, n, 0, want, n, nil)
					serial := make([]float32, m*n)
					gemmSerial(g, false, false, m, n, k, 1, a, k, b, n, 0, serial, n, nil)
					if same(serial, want) {
						t.Fatalf("%s %d×%d×%d: the k split rounds as the serial driver does: the test cannot tell them apart", g.name, m, n, k)
					}
				} else {
					gemmSerial(g, false, false, m, n, k, 1, a, k, b, n, 0, want, n, nil)
				}
				if !same(got, want) {
					t.Errorf("%s, %d workers, %d×%d×%d: result differs from %s", g.name, w, m, n, k, name)
				}
			}
		}
	}
}
