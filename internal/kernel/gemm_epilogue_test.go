package kernel

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// checkEpilogue runs tc with an epilogue through run and compares with the
// naive product followed by the bias and ReLU in float64.
func checkEpilogue[T float32 | float64](t *testing.T, tc gemmCase, rng *rand.Rand, withBias, relu bool, run func(tc gemmCase, a []T, lda int, b []T, ldb int, c []T, ldc int, ep *Epilogue[T])) {
	t.Helper()
	a, b, c, want, orig := gemmReference[T](tc, rng)
	cr := slices.Clone(want)
	lda, ldb, ldc, _, _, _ := tc.dims()
	ep := &Epilogue[T]{ReLU: relu}
	if withBias {
		ep.Bias = make([]T, tc.n)
		for j := range ep.Bias {
			ep.Bias[j] = T(rng.Float64()*2 - 1)
		}
	}
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			v := cr[i*ldc+j]
			if withBias {
				v += float64(ep.Bias[j])
			}
			if relu && v < 0 {
				v = 0
			}
			cr[i*ldc+j] = v
		}
	}
	run(tc, a, lda, b, ldb, c, ldc, ep)
	gemmCompare(t, tc, c, cr, orig)
}

// TestGemmEpilogue checks bias and ReLU epilogues on every driver path:
// the public entry (which picks the parallel grid, the k split or the
// serial driver), each kernel's serial driver (blocked and dot products),
// and forced grids of 2 and 3 workers, whose blocks start at column
// offsets of the bias.
func TestGemmEpilogue(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	cases := append(allGemmCases(true), bigGemmCases()...)
	cases = append(cases, gemmCase{m: 300, n: 200, k: 300, alpha: 1, beta: 0}, gemmCase{transB: true, m: 200, n: 10, k: 512, alpha: 1, beta: 0},
		gemmCase{transB: true, m: 40, n: 300, k: 100, alpha: 1, beta: 1})
	flags := [][2]bool{{true, true}, {true, false}, {false, true}}
	for i, tc := range cases {
		f := flags[i%len(flags)]
		checkEpilogue(t, tc, rng, f[0], f[1], func(tc gemmCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, ep *Epilogue[float32]) {
			GemmEpilogue(tc.transA, tc.transB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), c, ldc, *ep)
		})
		checkEpilogue(t, tc, rng, f[0], f[1], func(tc gemmCase, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, ep *Epilogue[float64]) {
			GemmEpilogue(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc, *ep)
		})
		if tc.m == 0 || tc.n == 0 || tc.k == 0 || tc.alpha == 0 {
			continue
		}
		for _, g := range sgemmKernels {
			checkEpilogue(t, tc, rng, f[0], f[1], func(tc gemmCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, ep *Epilogue[float32]) {
				gemmSerial(g, tc.transA, tc.transB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), c, ldc, ep)
			})
			for _, w := range []int{2, 3} {
				checkEpilogue(t, tc, rng, f[0], f[1], func(tc gemmCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, ep *Epilogue[float32]) {
					gemmParallel(g, w, tc.transA, tc.transB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), c, ldc, ep)
				})
			}
		}
	}
}

// TestGemmEpilogueShortBias checks that a bias shorter than n panics
// with a message naming both lengths.
func TestGemmEpilogueShortBias(t *testing.T) {
	defer func() {
		r := recover()
		if s, ok := r.(string); !ok || !strings.Contains(s, "3 values for 4 columns") {
			t.Fatalf("panic %v, want a short-bias message", r)
		}
	}()
	c := make([]float32, 8)
	GemmEpilogue(false, false, 2, 4, 1, 1, make([]float32, 2), 1, make([]float32, 4), 4, 0, c, 4, Epilogue[float32]{Bias: make([]float32, 3)})
}

func ExampleGemmEpilogue() {
	// y = relu(x·Wᵀ + b) for one input row x = [1 2] and W = [[1 1] [1 -1]].
	x := []float32{1, 2}
	w := []float32{1, 1, 1, -1}
	y := make([]float32, 2)
	GemmEpilogue(false, true, 1, 2, 2, 1, x, 2, w, 2, 0, y, 2, Epilogue[float32]{Bias: []float32{0.5, 0.5}, ReLU: true})
	fmt.Println(y)
	// Output: [3.5 0]
}
