package kernel

import (
	"fmt"
	"math"
	"strings"
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

// TestGemmShortSliceMessages checks that an operand one element too short
// is refused by the argument check, naming the operand, before any kernel
// reads past its end (which would panic with a bare index error instead),
// and that the exact length is accepted; for every transpose.
func TestGemmShortSliceMessages(t *testing.T) {
	const m, n, k = 3, 5, 4
	for tr := 0; tr < 4; tr++ {
		transA, transB := tr&1 != 0, tr&2 != 0
		ar, ac, br, bc := m, k, k, n
		if transA {
			ar, ac = k, m
		}
		if transB {
			br, bc = n, k
		}
		lda, ldb, ldc := ac+2, bc+1, n+3
		la, lb, lc := (ar-1)*lda+ac, (br-1)*ldb+bc, (m-1)*ldc+n
		checkLengthEdges(t, fmt.Sprintf("tA=%v tB=%v", transA, transB), la, lb, lc, func(la, lb, lc int) {
			Sgemm(transA, transB, m, n, k, 1, make([]float32, la), lda, make([]float32, lb), ldb, 0, make([]float32, lc), ldc)
		})
	}
}

// checkLengthEdges calls run with the exact lengths la, lb, lc of A, B and
// C, which must be accepted, and with each one element short, which must
// panic with the package's message naming that operand.
func checkLengthEdges(t *testing.T, what string, la, lb, lc int, run func(la, lb, lc int)) {
	t.Helper()
	for _, c := range []struct {
		name       string
		la, lb, lc int
	}{{"", la, lb, lc}, {"A", la - 1, lb, lc}, {"B", la, lb - 1, lc}, {"C", la, lb, lc - 1}} {
		func() {
			defer func() {
				r := recover()
				if c.name == "" {
					if r != nil {
						t.Errorf("%s: exact lengths panicked: %v", what, r)
					}
					return
				}
				s, _ := r.(string)
				if want := "kernel: gemm: slice " + c.name + " too short"; !strings.Contains(s, want) {
					t.Errorf("%s, %s one short: panic %v, want %q", what, c.name, r, want)
				}
			}()
			run(c.la, c.lb, c.lc)
		}()
	}
}
