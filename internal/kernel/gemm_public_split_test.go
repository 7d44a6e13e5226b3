package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSgemmSplitsLongK checks when the public entry splits a product over
// the workers. C of one tile with a long k can only be split over k, and
// the k split sums the slices' partial products, which rounds differently
// from the serial driver: from m*n*k = gemmParallelMin on, Sgemm's result
// must equal, bit for bit, gemmParallelK's with min(k/256, Workers())
// slices, and below it gemmSerial's (for the test to mean anything, the two
// must differ).
func TestSgemmSplitsLongK(t *testing.T) {
	w := Workers()
	if w < 2 {
		t.Skip("one worker: Sgemm runs serially")
	}
	const m, n = 8, 8 // one tile of every kernel
	for _, k := range []int{gemmParallelMin/(m*n) - 8, gemmParallelMin / (m * n), 8192} {
		rng := rand.New(rand.NewPCG(41, uint64(k)))
		a, b := make([]float32, m*k), make([]float32, k*n)
		for i := range a {
			a[i] = float32(rng.NormFloat64())
		}
		for i := range b {
			b[i] = float32(rng.NormFloat64())
		}
		got, split, serial := make([]float32, m*n), make([]float32, m*n), make([]float32, m*n)
		Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, got, n)
		gemmParallelK(sgemmImpl, min(k/256, w), false, false, m, n, k, 1, a, k, b, n, 0, split, n, nil)
		gemmSerial(sgemmImpl, false, false, m, n, k, 1, a, k, b, n, 0, serial, n, nil)
		same := func(x, y []float32) bool {
			for i := range x {
				if math.Float32bits(x[i]) != math.Float32bits(y[i]) {
					return false
				}
			}
			return true
		}
		if same(split, serial) {
			t.Fatalf("k %d: the k split rounds as the serial driver does for these operands: the test cannot tell them apart", k)
		}
		want, name := split, "gemmParallelK's"
		if m*n*k < gemmParallelMin {
			want, name = serial, "gemmSerial's"
		}
		if !same(got, want) {
			t.Errorf("Sgemm(%d×%d×%d) with %d workers: the result differs from %s", m, n, k, w, name)
		}
	}
}
