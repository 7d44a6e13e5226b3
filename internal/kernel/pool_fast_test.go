package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// maxPool2x2Branchy is the former 2×2 stride-2 max pooling of one plane
// (compare and branch per tap), kept as a reference and as the "old" side
// of BenchmarkMaxPool2x2AB.
func maxPool2x2Branchy[T float32 | float64](in []T, w, outH, outW int, out []T, am []int32) {
	for oh := 0; oh < outH; oh++ {
		base := 2 * oh * w
		r0 := in[base : base+2*outW]
		r1 := in[base+w : base+w+2*outW]
		o := out[oh*outW : oh*outW+outW]
		for ow := range o {
			i := base + 2*ow
			m := r0[2*ow]
			if v := r0[2*ow+1]; v > m || v != v {
				m, i = v, base+2*ow+1
			}
			if v := r1[2*ow]; v > m || v != v {
				m, i = v, base+w+2*ow
			}
			if v := r1[2*ow+1]; v > m || v != v {
				m, i = v, base+w+2*ow+1
			}
			o[ow] = m
			if am != nil {
				am[oh*outW+ow] = int32(i)
			}
		}
	}
}

// poolFastValues fills s with values from a small set, so that ties are
// common, including -0 and +0 and NaNs with distinct payloads (so that the
// test can tell which NaN won).
func poolFastValues[T float32 | float64](rng *rand.Rand, s []T, nanProb float64) {
	set := []float64{-1, math.Copysign(0, -1), 0, 1, math.Inf(-1)}
	for i := range s {
		if rng.Float64() < nanProb {
			var z T
			if _, ok := any(z).(float32); ok {
				s[i] = T(math.Float32frombits(0x7fc00000 | uint32(i&0xffff)))
				if i&1 != 0 {
					s[i] = T(math.Float32frombits(0xffc00000 | uint32(i&0xffff)))
				}
				continue
			}
			s[i] = T(math.Float64frombits(0x7ff8000000000000 | uint64(i)))
			continue
		}
		s[i] = T(set[rng.IntN(len(set))])
	}
}

// poolBits returns the bit pattern of v, to compare results exactly
// (signed zeros and NaN payloads included).
func poolBits[T float32 | float64](v T) uint64 {
	switch x := any(v).(type) {
	case float32:
		return uint64(math.Float32bits(x))
	case float64:
		return math.Float64bits(x)
	}
	panic("unreachable")
}

func testMaxPool2x2Fast[T float32 | float64](t *testing.T, name string, plane func([]T, int, int, int, []T, []int32)) {
	rng := rand.New(rand.NewPCG(5, 6))
	for h := 2; h <= 9; h++ {
		for w := 2; w <= 75; w++ {
			for _, nanProb := range []float64{0, 0.05, 0.5} {
				outH, outW := h/2, w/2
				in := make([]T, h*w)
				poolFastValues(rng, in, nanProb)
				want, wantAM := make([]T, outH*outW), make([]int32, outH*outW)
				maxPool2x2Branchy(in, w, outH, outW, want, wantAM)
				got, am := make([]T, len(want)), make([]int32, len(want))
				plane(in, w, outH, outW, got, am)
				got2 := make([]T, len(want))
				plane(in, w, outH, outW, got2, nil)
				for i := range want {
					if poolBits(got[i]) != poolBits(want[i]) || am[i] != wantAM[i] {
						t.Fatalf("%s h=%d w=%d nan=%v: [%d] = %v at %d, want %v at %d",
							name, h, w, nanProb, i, got[i], am[i], want[i], wantAM[i])
					}
					if poolBits(got2[i]) != poolBits(want[i]) {
						t.Fatalf("%s h=%d w=%d nan=%v without argmax: [%d] = %v, want %v",
							name, h, w, nanProb, i, got2[i], want[i])
					}
				}
			}
		}
	}
}

// TestMaxPool2x2Fast checks the float32 kernel (AVX2 or AVX-512, on every
// path the CPU has) and the branch-free Go kernel against the branchy
// reference on every plane size up to 9×75 (odd sizes drop the last row or
// column; output rows of 1..37, so every tail of the 16-wide AVX-512 steps
// after zero, one and two whole steps), with frequent ties, signed zeros,
// -inf and NaNs.
func TestMaxPool2x2Fast(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		testMaxPool2x2Fast(t, "maxPool2x2F32", maxPool2x2F32)
	})
	testMaxPool2x2Fast(t, "maxPool2x2Go[float32]", maxPool2x2Go[float32])
	testMaxPool2x2Fast(t, "maxPool2x2Go[float64]", maxPool2x2Go[float64])
}

// TestMaxPool2x2Batch runs MaxPool2d's 2×2 path on batches (several planes,
// split across workers) against the naive reference, float32 and float64.
func TestMaxPool2x2Batch(t *testing.T) {
	testMaxPool2x2Batch[float32](t)
	testMaxPool2x2Batch[float64](t)
}

func testMaxPool2x2Batch[T float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, g := range []poolCase{
		{50, 16, 28, 28, 2, 2, 2, 2, 0, 0},
		{50, 32, 14, 14, 2, 2, 2, 2, 0, 0},
		{3, 5, 17, 23, 2, 2, 2, 2, 0, 0},
		{2, 3, 9, 3, 2, 2, 2, 2, 0, 0},
		{4, 4, 1, 8, 2, 2, 2, 2, 0, 0},
	} {
		src := make([]T, g.n*g.c*g.h*g.w)
		poolFastValues(rng, src, 0.01)
		want, wantAM := maxPoolNaive(src, g)
		got, am := make([]T, len(want)), make([]int32, len(want))
		MaxPool2d(src, g.n, g.c, g.h, g.w, 2, 2, 2, 2, 0, 0, got, am)
		got2 := make([]T, len(want))
		MaxPool2d(src, g.n, g.c, g.h, g.w, 2, 2, 2, 2, 0, 0, got2, nil)
		for i := range want {
			if poolBits(got[i]) != poolBits(want[i]) || am[i] != wantAM[i] || poolBits(got2[i]) != poolBits(want[i]) {
				t.Fatalf("%v: [%d] = %v (%v) at %d, want %v at %d", g, i, got[i], got2[i], am[i], want[i], wantAM[i])
			}
		}
	}
}

// BenchmarkMaxPool2x2AB compares the former branchy kernel ("old") with
// the current one ("new") in the same process, alternating rounds so that
// load from other processes hits both sides alike. Data are random normal
// values, as after a convolution. Run with
//
//	go test -run XXX -bench MaxPool2x2AB -benchtime 1x ./internal/kernel/
//
// Per-round minimum times are logged with -v.
func BenchmarkMaxPool2x2AB(b *testing.B) {
	for _, s := range [][4]int{{50, 16, 28, 28}, {50, 32, 14, 14}} {
		for _, withAM := range []bool{true, false} {
			name := fmt.Sprintf("%dx%dx%dx%d/argmax=%v", s[0], s[1], s[2], s[3], withAM)
			b.Run(name, func(b *testing.B) {
				n, c, h, w := s[0], s[1], s[2], s[3]
				rng := rand.New(rand.NewPCG(1, 2))
				src := make([]float32, n*c*h*w)
				for i := range src {
					src[i] = float32(rng.NormFloat64())
				}
				outH, outW := h/2, w/2
				dst := make([]float32, n*c*outH*outW)
				var am []int32
				if withAM {
					am = make([]int32, len(dst))
				}
				hw, ohw := h*w, outH*outW
				old := func() {
					ParallelFor(n*c, poolChunk(ohw*4), func(lo, hi int) {
						for p := lo; p < hi; p++ {
							var a []int32
							if am != nil {
								a = am[p*ohw : p*ohw+ohw]
							}
							maxPool2x2Branchy(src[p*hw:p*hw+hw], w, outH, outW, dst[p*ohw:p*ohw+ohw], a)
						}
					})
				}
				goOnly := func() {
					ParallelFor(n*c, poolChunk(ohw*4), func(lo, hi int) {
						for p := lo; p < hi; p++ {
							var a []int32
							if am != nil {
								a = am[p*ohw : p*ohw+ohw]
							}
							maxPool2x2Go(src[p*hw:p*hw+hw], w, outH, outW, dst[p*ohw:p*ohw+ohw], a)
						}
					})
				}
				cur := func() { MaxPool2d(src, n, c, h, w, 2, 2, 2, 2, 0, 0, dst, am) }
				for b.Loop() {
					tOld, tGo, tNew := poolABRounds(old, goOnly, cur)
					b.ReportMetric(float64(tOld.Microseconds()), "old-µs")
					b.ReportMetric(float64(tGo.Microseconds()), "gobranchfree-µs")
					b.ReportMetric(float64(tNew.Microseconds()), "new-µs")
					b.ReportMetric(float64(tOld)/float64(tNew), "speedup")
				}
			})
		}
	}
}

// poolABRounds runs the functions alternately for several rounds of
// repetitions and returns, for each, the best time of one call.
func poolABRounds(fns ...func()) (best0, best1, best2 time.Duration) {
	best := make([]time.Duration, len(fns))
	for i := range best {
		best[i] = time.Hour
	}
	for range 15 {
		for i, f := range fns {
			f() // warm up
			t0 := time.Now()
			const reps = 20
			for range reps {
				f()
			}
			best[i] = min(best[i], time.Since(t0)/reps)
		}
	}
	return best[0], best[1], best[2]
}
