package kernel

import (
	"math"
	"testing"
)

// TestGemmEmptySharedDimension checks that with k == 0 the operands A and B,
// which have no elements, may be nil in every transpose (a matrix with no
// rows or no columns needs no storage), and that C is scaled by beta,
// zeroed (even NaN) when beta is 0.
func TestGemmEmptySharedDimension(t *testing.T) {
	const m, n = 3, 4
	for tr := 0; tr < 4; tr++ {
		transA, transB := tr&1 != 0, tr&2 != 0
		for _, beta := range []float32{0, 1, 2} {
			c := make([]float32, m*n)
			for i := range c {
				c[i] = float32(i + 1)
				if beta == 0 {
					c[i] = float32(math.NaN())
				}
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("tA=%v tB=%v: k = 0 with nil A and B panicked: %v", transA, transB, r)
					}
				}()
				Sgemm(transA, transB, m, n, 0, 1, nil, m, nil, n, beta, c, n)
			}()
			for i, v := range c {
				want := beta * float32(i+1)
				if beta == 0 {
					want = 0
				}
				if v != want {
					t.Fatalf("tA=%v tB=%v beta=%g: c[%d] = %g, want %g", transA, transB, beta, i, v, want)
				}
			}
		}
	}
}
