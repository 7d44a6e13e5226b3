package tensor_test

import (
	"math"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestSoftmaxMiddleAxisLargeValues: softmax and log-softmax along an axis
// with axes before and after it (outer and inner sizes above 1), on values
// so large that only the right per-row maximum keeps exp finite; compared
// with the stable formula written out here.
func TestSoftmaxMiddleAxisLargeValues(t *testing.T) {
	const outer, n, inner = 2, 3, 2
	v := []float64{1000, -5, 0, 1000, 3, 2, // o = 0: rows (1000, 0, 3) and (-5, 1000, 2)
		7, 800, 900, 1, 8, 799} // o = 1: rows (7, 900, 8) and (800, 1, 799)
	x := FromFloat64(v, outer, n, inner)
	sm, lsm := Softmax(x, 1).Float64s(), LogSoftmax(x, 1).Float64s()
	for o := range outer {
		for i := range inner {
			at := func(k int) int { return (o*n+k)*inner + i }
			m := math.Inf(-1)
			for k := range n {
				m = math.Max(m, v[at(k)])
			}
			s := 0.0
			for k := range n {
				s += math.Exp(v[at(k)] - m)
			}
			for k := range n {
				want := v[at(k)] - m - math.Log(s)
				if math.Abs(lsm[at(k)]-want) > 1e-12 || math.Abs(sm[at(k)]-math.Exp(want)) > 1e-12 {
					t.Fatalf("o=%d i=%d k=%d: softmax %v, log-softmax %v, want %v, %v", o, i, k, sm[at(k)], lsm[at(k)], math.Exp(want), want)
				}
			}
		}
	}
}
