package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// gemmCase is one product to check: shapes, transposes, scalars and extra
// leading-dimension padding.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float64
	padA, padB     int
	padC           int
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,m=%d,n=%d,k=%d,alpha=%g,beta=%g,pad=%d/%d/%d",
		tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.padA, tc.padB, tc.padC)
}

// dims returns the stored shapes' row widths and leading dimensions.
func (tc gemmCase) dims() (lda, ldb, ldc, lenA, lenB, lenC int) {
	ar, ac := tc.m, tc.k
	if tc.transA {
		ar, ac = tc.k, tc.m
	}
	br, bc := tc.k, tc.n
	if tc.transB {
		br, bc = tc.n, tc.k
	}
	lda, ldb, ldc = max(ac, 1)+tc.padA, max(bc, 1)+tc.padB, max(tc.n, 1)+tc.padC
	return lda, ldb, ldc, ar * lda, br * ldb, tc.m * ldc
}

// gemmInputs builds random A, B and C for tc. C holds NaN when beta == 0 so
// that a kernel reading it would be caught.
func gemmInputs(tc gemmCase, rng *rand.Rand) (a, b, c []float64) {
	_, _, _, la, lb, lc := tc.dims()
	a, b, c = make([]float64, la), make([]float64, lb), make([]float64, lc)
	for i := range a {
		a[i] = rng.Float64()*2 - 1
	}
	for i := range b {
		b[i] = rng.Float64()*2 - 1
	}
	for i := range c {
		if tc.beta == 0 {
			c[i] = math.NaN()
		} else {
			c[i] = rng.Float64()*2 - 1
		}
	}
	return a, b, c
}

func toF32(x []float64) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(v)
	}
	return y
}

// gemmCompare checks got against the float64 reference want within a
// bound on the rounding error of a length-k dot product; padding columns
// of C (beyond n) must be left untouched (equal to orig).
func gemmCompare[T float32 | float64](t testing.TB, tc gemmCase, got []T, want, orig []float64) {
	t.Helper()
	eps := 1.2e-7
	var z T
	if _, ok := any(z).(float64); ok {
		eps = 2.3e-16
	}
	_, _, ldc, _, _, _ := tc.dims()
	tol := eps * float64(tc.k+4) * (math.Abs(tc.alpha)*float64(tc.k) + math.Abs(tc.beta) + 1) * 4
	bad := 0
	for i := 0; i < tc.m; i++ {
		for j := 0; j < ldc; j++ {
			g, w := float64(got[i*ldc+j]), want[i*ldc+j]
			if j >= tc.n {
				if !(g == w || math.IsNaN(g) && math.IsNaN(w)) && math.Float64bits(g) != math.Float64bits(float64(T(orig[i*ldc+j]))) {
					t.Errorf("%v: padding C[%d][%d] changed to %g", tc, i, j, g)
					return
				}
				continue
			}
			if math.IsNaN(g) || math.Abs(g-w) > tol {
				if bad++; bad <= 3 {
					t.Errorf("%v: C[%d][%d] = %g, want %g (tol %g)", tc, i, j, g, w, tol)
				}
			}
		}
	}
}

// gemmRunner computes one product with some implementation.
type gemmRunner[T float32 | float64] func(tc gemmCase, a []T, lda int, b []T, ldb int, c []T, ldc int)

// checkGemm runs tc through run and compares with the naive float64
// reference on the same (rounded) inputs.
func checkGemm[T float32 | float64](t *testing.T, tc gemmCase, rng *rand.Rand, run gemmRunner[T]) {
	t.Helper()
	a, b, c, want, orig := gemmReference[T](tc, rng)
	lda, ldb, ldc, _, _, _ := tc.dims()
	run(tc, a, lda, b, ldb, c, ldc)
	gemmCompare(t, tc, c, want, orig)
}

// gemmReference draws tc's operands in T and returns them with the naive
// float64 product computed on exactly the values the kernel sees, and C's
// original values.
//
// The operands and the reference are drawn and computed once per case and
// type, the first time the case is asked for, and every later call gets
// the same values: C is a fresh copy, A, B, want and orig are shared and
// must only be read (a kernel that wrote into A or B would make later
// checks of the case fail). The suite checks the same case on many
// kernels, variants, worker counts and paths, and the float64 reference
// product and the drawing were most of its time.
func gemmReference[T float32 | float64](tc gemmCase, rng *rand.Rand) (a, b, c []T, want, orig []float64) {
	var z T
	key := gemmRefKey{tc, any(z) == any(float32(0))}
	gemmRefMu.Lock()
	r, ok := gemmRefs[key].(*gemmRef[T])
	gemmRefMu.Unlock()
	if !ok {
		a64, b64, c64 := gemmInputs(tc, rng)
		r = &gemmRef[T]{a: conv[T](a64), b: conv[T](b64), c: conv[T](c64)}
		ar, br := back(r.a), back(r.b)
		r.want, r.orig = back(r.c), back(r.c)
		lda, ldb, ldc, _, _, _ := tc.dims()
		gemmNaive(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, ar, lda, br, ldb, tc.beta, r.want, ldc)
		gemmRefMu.Lock()
		gemmRefs[key] = r
		gemmRefMu.Unlock()
	}
	return r.a, r.b, slices.Clone(r.c), r.want, r.orig
}

// gemmRef is one case's operands and reference product, kept for reuse.
type gemmRef[T float32 | float64] struct {
	a, b, c    []T
	want, orig []float64
}

type gemmRefKey struct {
	tc  gemmCase
	f32 bool
}

var (
	gemmRefMu sync.Mutex
	gemmRefs  = map[gemmRefKey]any{}
)

func conv[T float32 | float64](x []float64) []T {
	y := make([]T, len(x))
	for i, v := range x {
		y[i] = T(v)
	}
	return y
}

func back[T float32 | float64](x []T) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = float64(v)
	}
	return y
}

// gemmShapes are awkward sizes: empty, single, primes, tile multiples
// and off-by-one around the 4, 6, 8 and 16 tiles and the k unroll.
var gemmSizes = []int{0, 1, 2, 3, 5, 6, 7, 8, 13, 16, 17, 31, 33}

// allGemmCases enumerates shapes, transposes and scalars; short trims the
// list for quick runs.
func allGemmCases(short bool) []gemmCase {
	var cases []gemmCase
	scalars := [][2]float64{{1, 0}, {1, 1}, {-0.5, 2}, {0, 0.5}, {2, 0}}
	i := 0
	for _, m := range gemmSizes {
		for _, n := range gemmSizes {
			for _, k := range []int{0, 1, 3, 4, 5, 17, 32} {
				for tr := 0; tr < 4; tr++ {
					i++
					if short && i%7 != 0 {
						continue
					}
					s := scalars[i%len(scalars)]
					cases = append(cases, gemmCase{
						transA: tr&1 != 0, transB: tr&2 != 0, m: m, n: n, k: k,
						alpha: s[0], beta: s[1], padA: i % 3, padB: (i / 3) % 2, padC: (i / 2) % 3,
					})
				}
			}
		}
	}
	return cases
}

// bigGemmCases cross the blocking sizes (mc, kc, nc) of every kernel; the
// last one, as A·Bᵀ, runs as its transpose (useSwapNT).
func bigGemmCases() []gemmCase {
	var cases []gemmCase
	for i, s := range [][3]int{{150, 70, 300}, {97, 4100, 9}, {7, 33, 600}, {290, 150, 257}, {64, 64, 64}, {1, 500, 700}, {500, 1, 300}, {20, 25, 2000}, {25, 32, 70}, {24, 130, 2100}} {
		for tr := 0; tr < 4; tr++ {
			cases = append(cases, gemmCase{transA: tr&1 != 0, transB: tr&2 != 0, m: s[0], n: s[1], k: s[2],
				alpha: 1.5, beta: []float64{0, 1, -1}[i%3], padA: 3, padB: 1, padC: 2})
		}
	}
	// Row strides of C (and A, B) of 1024 values, a multiple of 4 KiB for
	// both types: the kernels read every row of a C tile before storing
	// any, with full and masked tiles, beta zero (NaN in C) and not.
	for i, beta := range []float64{0, 1, 0.5} {
		cases = append(cases, gemmCase{transB: i == 1, m: 61, n: 1000, k: 40 + i, alpha: -0.75, beta: beta, padA: 1024 - 40 - i, padB: 1024 - []int{1000, 40 + i, 1000}[i], padC: 24})
	}
	return cases
}

// largePublicGemmCases are two products for the public entries, large
// enough for several blocks of every size on several workers. With -short
// they are left out (they were most of the short suite's time, which the
// mutation runs pay once per mutant): bigGemmCases already cross every
// block size and the parallel threshold.
func largePublicGemmCases() []gemmCase {
	if testing.Short() {
		return nil
	}
	return []gemmCase{{m: 300, n: 700, k: 300, alpha: 1, beta: 0.5}, {transA: true, transB: true, m: 257, n: 513, k: 129, alpha: -1, beta: 0}}
}

// gemmVariants returns g and, for the tests, copies of g with its optional
// paths switched off: B always packed, no dot kernels, and no assembly
// packing or partial-tile kernels (the generic fallbacks around g's
// micro-kernel).
func gemmVariants[T float32 | float64](g *gemmKernel[T]) []*gemmKernel[T] {
	packed, nodot, plain, packA, untiled := *g, *g, *g, *g, *g
	packed.name += "/packB"
	packed.packAllB = true
	packA.name += "/packA"
	packA.microA = nil
	untiled.name += "/untiled"
	untiled.microTiles, untiled.microATiles = nil, nil
	nodot.name += "/nodot"
	nodot.dot = nil
	plain.name += "/plain"
	plain.dot, plain.packA, plain.packAT, plain.packBT = nil, nil, nil, nil
	plain.edges, plain.microRows = false, nil
	return []*gemmKernel[T]{g, &packed, &nodot, &plain, &packA, &untiled}
}

// TestGemmKernels checks every kernel available on this machine (the pure-Go
// one always, the assembly one where the CPU allows), serially and split
// over goroutines, against the naive reference.
func TestGemmKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := append(allGemmCases(testing.Short()), bigGemmCases()...)
	for _, g := range sgemmKernels {
		t.Run("float32/"+g.name, func(t *testing.T) {
			for _, tc := range cases {
				checkGemm(t, tc, rng, serialRunner(g, float32(tc.alpha), float32(tc.beta)))
			}
			for _, tc := range bigGemmCases() {
				for _, w := range []int{2, 3, 4} {
					checkGemm(t, tc, rng, parallelRunner(g, w, float32(tc.alpha), float32(tc.beta)))
				}
			}
		})
		for _, v := range gemmVariants(g)[1:] {
			t.Run("float32/"+v.name, func(t *testing.T) {
				for _, tc := range append(allGemmCases(true), bigGemmCases()...) {
					checkGemm(t, tc, rng, serialRunner(v, float32(tc.alpha), float32(tc.beta)))
				}
			})
		}
	}
	for _, g := range dgemmKernels {
		t.Run("float64/"+g.name, func(t *testing.T) {
			for _, tc := range cases {
				checkGemm(t, tc, rng, serialRunner(g, tc.alpha, tc.beta))
			}
			for _, tc := range bigGemmCases() {
				for _, w := range []int{2, 3} {
					checkGemm(t, tc, rng, parallelRunner(g, w, tc.alpha, tc.beta))
				}
			}
		})
		for _, v := range gemmVariants(g)[1:] {
			t.Run("float64/"+v.name, func(t *testing.T) {
				for _, tc := range append(allGemmCases(true), bigGemmCases()...) {
					checkGemm(t, tc, rng, serialRunner(v, tc.alpha, tc.beta))
				}
			})
		}
	}
}

// serialRunner runs a kernel through the public entry's checks and
// degenerate cases but forces the serial driver.
func serialRunner[T float32 | float64](g *gemmKernel[T], alpha, beta T) gemmRunner[T] {
	return func(tc gemmCase, a []T, lda int, b []T, ldb int, c []T, ldc int) {
		if tc.m == 0 || tc.n == 0 {
			return
		}
		if alpha == 0 || tc.k == 0 {
			gemmScale(tc.m, tc.n, beta, c, ldc)
			return
		}
		gemmSerial(g, tc.transA, tc.transB, tc.m, tc.n, tc.k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
	}
}

// parallelRunner forces the parallel split over w workers.
func parallelRunner[T float32 | float64](g *gemmKernel[T], w int, alpha, beta T) gemmRunner[T] {
	return func(tc gemmCase, a []T, lda int, b []T, ldb int, c []T, ldc int) {
		gemmParallel(g, w, tc.transA, tc.transB, tc.m, tc.n, tc.k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
	}
}

// TestSgemmPublic checks the exported entry points (whatever kernel and
// threading they pick) on small and large shapes.
func TestSgemmPublic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cases := append(allGemmCases(true), bigGemmCases()...)
	cases = append(cases, largePublicGemmCases()...)
	for _, tc := range cases {
		checkGemm(t, tc, rng, func(tc gemmCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
			Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), c, ldc)
		})
		checkGemm(t, tc, rng, func(tc gemmCase, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
			Dgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
		})
	}
}

// TestGemmAlphaZeroIgnoresInputs checks that alpha == 0 does not read A or
// B (NaN there must not reach C) and scales C by beta.
func TestGemmAlphaZeroIgnoresInputs(t *testing.T) {
	nan := float32(math.NaN())
	a := []float32{nan, nan, nan, nan}
	b := []float32{nan, nan, nan, nan}
	c := []float32{1, 2, 3, 4}
	Sgemm(false, false, 2, 2, 2, 0, a, 2, b, 2, 3, c, 2)
	for i, want := range []float32{3, 6, 9, 12} {
		if c[i] != want {
			t.Fatalf("c = %v, want [3 6 9 12]", c)
		}
	}
	Sgemm(false, false, 2, 2, 2, 0, a, 2, b, 2, 0, c, 2)
	for _, v := range c {
		if v != 0 {
			t.Fatalf("beta=0: c = %v, want zeros", c)
		}
	}
}

// TestGemmPanics checks argument validation.
func TestGemmPanics(t *testing.T) {
	ok := make([]float32, 100)
	for name, f := range map[string]func(){
		"negative m":   func() { Sgemm(false, false, -1, 2, 2, 1, ok, 2, ok, 2, 0, ok, 2) },
		"short A":      func() { Sgemm(false, false, 10, 2, 20, 1, ok, 20, ok, 2, 0, ok, 2) },
		"short B":      func() { Sgemm(false, true, 2, 20, 10, 1, ok, 10, ok, 10, 0, ok, 20) },
		"short C":      func() { Sgemm(false, false, 20, 10, 1, 1, ok, 1, ok, 10, 0, ok, 10) },
		"small lda":    func() { Sgemm(false, false, 2, 2, 3, 1, ok, 2, ok, 2, 0, ok, 2) },
		"small ldc":    func() { Sgemm(false, false, 2, 3, 2, 1, ok, 2, ok, 3, 0, ok, 2) },
		"short batch":  func() { SgemmBatched(false, false, 7, 4, 4, 4, 1, ok, 4, 16, ok, 4, 0, 0, ok, 4, 16) },
		"neg stride":   func() { SgemmBatched(false, false, 2, 2, 2, 2, 1, ok, 2, -4, ok, 2, 4, 0, ok, 2, 4) },
		"small ldb(T)": func() { Sgemm(false, true, 2, 2, 3, 1, ok, 3, ok, 2, 0, ok, 2) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// TestSgemmConcurrent runs parallel-sized products from several goroutines
// at once (one holds the worker team, the others fall back to ParallelFor)
// and checks every result.
func TestSgemmConcurrent(t *testing.T) {
	const m, n, k = 120, 130, 110
	a, b := make([]float32, m*k), make([]float32, k*n)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range a {
		a[i] = rng.Float32()
	}
	for i := range b {
		b[i] = rng.Float32()
	}
	want := make([]float32, m*n)
	gemmNaive(false, false, m, n, k, 1, a, k, b, n, 0, want, n)
	errs := make(chan string, 8)
	for g := 0; g < 4; g++ {
		go func() {
			c := make([]float32, m*n)
			for r := 0; r < 20; r++ {
				Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
				for i := range c {
					if d := c[i] - want[i]; d > 1e-3 || d < -1e-3 {
						errs <- fmt.Sprintf("C[%d] = %g, want %g", i, c[i], want[i])
						return
					}
				}
			}
			errs <- ""
		}()
	}
	for g := 0; g < 4; g++ {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

// TestUseDotThresholds pins which A·Bᵀ shapes run as dot products on each
// assembly kernel set (the crossovers measured in BENCHMARKS.md): the
// AVX-512 set sends exactly one full B panel (n = 32) to the blocked path
// from 25 rows on, the AVX2 set keeps n ≤ 16 on the dot kernels up to 64.
func TestUseDotThresholds(t *testing.T) {
	type tc struct {
		g    *gemmKernel[float32]
		m, n int
		want bool
	}
	var cases []tc
	for _, g := range sgemmKernels {
		switch g.name {
		case "avx512_12x32":
			cases = append(cases, tc{g, 24, 512, true}, tc{g, 25, 512, false}, tc{g, 64, 31, true}, tc{g, 65, 31, false},
				tc{g, 24, 32, true}, tc{g, 25, 32, false}, tc{g, 64, 10, true})
		case "avx2_6x16":
			cases = append(cases, tc{g, 16, 512, true}, tc{g, 17, 512, false}, tc{g, 64, 16, true}, tc{g, 65, 16, false}, tc{g, 17, 17, false})
		}
	}
	if len(cases) == 0 {
		t.Skip("no assembly kernel set with dot kernels on this machine")
	}
	for _, c := range cases {
		if got := c.g.useDot(false, true, c.m, c.n); got != c.want {
			t.Errorf("%s: useDot(%d×%d) = %v, want %v", c.g.name, c.m, c.n, got, c.want)
		}
		if c.g.useDot(true, true, c.m, c.n) || c.g.useDot(false, false, c.m, c.n) {
			t.Errorf("%s: useDot(%d×%d) true for a product other than A·Bᵀ", c.g.name, c.m, c.n)
		}
	}
}
