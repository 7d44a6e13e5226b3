package kernel

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// avgPoolBackwardNaive is the reference of AvgPool2dBackward: each output
// gradient divided by kh*kw and added to the window's input taps (padding
// dropped).
func avgPoolBackwardNaive[T float32 | float64](gradOut, gradIn []T, g poolCase) []T {
	outH, outW := PoolOutSize(g.h, g.kh, g.padH, g.strideH), PoolOutSize(g.w, g.kw, g.padW, g.strideW)
	want := make([]float64, len(gradIn))
	for i, v := range gradIn {
		want[i] = float64(v)
	}
	for p := 0; p < g.n*g.c; p++ {
		for oh := 0; oh < outH; oh++ {
			for ow := 0; ow < outW; ow++ {
				v := float64(gradOut[p*outH*outW+oh*outW+ow]) / float64(g.kh*g.kw)
				for ki := 0; ki < g.kh; ki++ {
					for kj := 0; kj < g.kw; kj++ {
						ih, iw := oh*g.strideH-g.padH+ki, ow*g.strideW-g.padW+kj
						if ih >= 0 && ih < g.h && iw >= 0 && iw < g.w {
							want[p*g.h*g.w+ih*g.w+iw] += v
						}
					}
				}
			}
		}
	}
	out := make([]T, len(want))
	for i, v := range want {
		out[i] = T(v)
	}
	return out
}

// poolNearFastCases are 2×2 stride-2 unpadded pooling (the fast paths) and
// geometries that differ from it in exactly one of the six parameters, so
// that each of the fast-path conditions is needed to keep the others off
// it. Planes are wider than tall and of even and odd sizes.
var poolNearFastCases = []poolCase{
	{2, 3, 8, 10, 2, 2, 2, 2, 0, 0},
	{2, 3, 8, 10, 3, 2, 2, 2, 0, 0},
	{2, 3, 8, 10, 2, 3, 2, 2, 0, 0},
	{2, 3, 8, 10, 2, 2, 1, 2, 0, 0},
	{2, 3, 8, 10, 2, 2, 2, 1, 0, 0},
	{2, 3, 8, 10, 2, 2, 2, 2, 1, 0},
	{2, 3, 8, 10, 2, 2, 2, 2, 0, 1},
	{1, 2, 9, 7, 2, 2, 2, 2, 1, 1},
	{1, 2, 9, 7, 1, 1, 2, 2, 0, 0},
}

// TestPoolNearFastPath runs max and average pooling and their backward
// passes on poolNearFastCases against the naive references, float32 and
// float64, with ties, -inf (whole windows of it: the argmax is then the
// window's first input tap) and a few NaNs.
func TestPoolNearFastPath(t *testing.T) {
	testPoolNearFastPath[float32](t)
	testPoolNearFastPath[float64](t)
}

func testPoolNearFastPath[T float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, g := range poolNearFastCases {
		outH, outW := PoolOutSize(g.h, g.kh, g.padH, g.strideH), PoolOutSize(g.w, g.kw, g.padW, g.strideW)
		for _, fill := range []string{"ties", "-inf", "nan"} {
			src := ewRandSlice[T](rng, g.n*g.c*g.h*g.w)
			for i := range src {
				switch fill {
				case "ties":
					src[i] = T(math.Round(float64(src[i]) * 2))
				case "-inf":
					src[i] = T(math.Inf(-1))
				case "nan":
					if rng.IntN(7) == 0 {
						src[i] = T(math.NaN())
					}
				}
			}
			name := g.String() + " " + fill
			want, wantAM := maxPoolNaive(src, g)
			got, am := make([]T, len(want)), make([]int32, len(want))
			MaxPool2d(src, g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, got, am)
			got2 := make([]T, len(want))
			MaxPool2d(src, g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, got2, nil)
			for i := range want {
				same := got[i] == want[i] || (got[i] != got[i] && want[i] != want[i])
				same2 := got2[i] == want[i] || (got2[i] != got2[i] && want[i] != want[i])
				if !same || !same2 || am[i] != wantAM[i] {
					t.Fatalf("MaxPool2d %s: [%d] = %v (%v without argmax) at %d, want %v at %d",
						name, i, got[i], got2[i], am[i], want[i], wantAM[i])
				}
			}
			if fill != "ties" {
				continue
			}
			gradOut := ewRandSlice[T](rng, len(want))
			gradIn := ewRandSlice[T](rng, len(src))
			wantGI := append([]T(nil), gradIn...)
			for i, idx := range wantAM {
				wantGI[i/(outH*outW)*g.h*g.w+int(idx)] += gradOut[i]
			}
			MaxPool2dBackward(gradOut, am, g.n, g.c, g.h, g.w, outH, outW, gradIn)
			ewCheckSlices(t, "MaxPool2dBackward "+name, gradIn, wantGI)

			AvgPool2d(src, g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, got)
			ewCheckSlices(t, "AvgPool2d "+name, got, avgPoolNaive(src, g))

			gi := ewRandSlice[T](rng, len(src))
			wantAvgGI := avgPoolBackwardNaive(gradOut, gi, g)
			AvgPool2dBackward(gradOut, g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, gi)
			ewCheckSlices(t, "AvgPool2dBackward "+name, gi, wantAvgGI)
		}
	}
}

// TestPoolEmpty checks that pooling with no planes, or no outputs (a window
// larger than the padded plane), or global pooling of empty planes, writes
// nothing and does not panic.
func TestPoolEmpty(t *testing.T) {
	const sentinel = 7
	fresh := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = sentinel
		}
		return s
	}
	untouched := func(name string, ss ...[]float32) {
		t.Helper()
		for _, s := range ss {
			for i, v := range s {
				if v != sentinel {
					t.Fatalf("%s wrote [%d] = %v", name, i, v)
				}
			}
		}
	}
	freshAM := func(n int) []int32 {
		s := make([]int32, n)
		for i := range s {
			s[i] = sentinel
		}
		return s
	}
	amUntouched := func(name string, s []int32) {
		t.Helper()
		for i, v := range s {
			if v != sentinel {
				t.Fatalf("%s wrote argmax[%d] = %v", name, i, v)
			}
		}
	}
	for _, g := range []poolCase{
		{0, 3, 4, 4, 2, 2, 2, 2, 0, 0}, // no planes
		{2, 0, 4, 4, 3, 3, 1, 1, 1, 1},
		{2, 3, 1, 4, 2, 2, 2, 2, 0, 0}, // one row: no output rows
		{2, 3, 4, 1, 2, 2, 2, 2, 0, 0}, // one column: no output columns
		{2, 3, 1, 6, 3, 3, 1, 1, 0, 0},
		{2, 3, 6, 1, 3, 3, 1, 1, 0, 0},
	} {
		src, dst, am := fresh(64), fresh(64), freshAM(64)
		MaxPool2d(src, g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, dst, am)
		untouched("MaxPool2d "+g.String(), dst)
		amUntouched("MaxPool2d "+g.String(), am)
		MaxPool2d(src, g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, dst, nil)
		untouched("MaxPool2d nil argmax "+g.String(), dst)
		AvgPool2d(src, g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, dst)
		untouched("AvgPool2d "+g.String(), dst)
		gi := fresh(64)
		AvgPool2dBackward(src, g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, gi)
		untouched("AvgPool2dBackward "+g.String(), gi)
		outH, outW := PoolOutSize(g.h, g.kh, g.padH, g.strideH), PoolOutSize(g.w, g.kw, g.padW, g.strideW)
		MaxPool2dBackward(src, make([]int32, 64), g.n, g.c, g.h, g.w, outH, outW, gi)
		untouched("MaxPool2dBackward "+g.String(), gi)
	}
	for _, sh := range [][3]int{{0, 3, 5}, {2, 0, 5}, {2, 3, 0}} {
		n, c, hw := sh[0], sh[1], sh[2]
		src, dst, am, gi := fresh(64), fresh(64), freshAM(64), fresh(64)
		GlobalAvgPool(src, n, c, hw, dst)
		untouched("GlobalAvgPool", dst)
		GlobalMaxPool(src, n, c, hw, dst, am)
		untouched("GlobalMaxPool", dst)
		amUntouched("GlobalMaxPool", am)
		GlobalMaxPool(src, n, c, hw, dst, nil)
		untouched("GlobalMaxPool nil argmax", dst)
		GlobalAvgPoolBackward(src, n, c, hw, gi)
		untouched("GlobalAvgPoolBackward", gi)
		GlobalMaxPoolBackward(src, make([]int32, 64), n, c, hw, gi[:n*c*hw])
		untouched("GlobalMaxPoolBackward", gi)
	}
}

// TestGlobalMaxPoolNilArgmax checks GlobalMaxPool without argmax against the
// run with it.
func TestGlobalMaxPoolNilArgmax(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	n, c, hw := 3, 5, 11
	src := ewRandSlice[float32](rng, n*c*hw)
	want, am := make([]float32, n*c), make([]int32, n*c)
	GlobalMaxPool(src, n, c, hw, want, am)
	got := make([]float32, n*c)
	GlobalMaxPool(src, n, c, hw, got, nil)
	for i := range want {
		if got[i] != want[i] || src[i*hw+int(am[i])] != want[i] {
			t.Fatalf("[%d] = %v without argmax, %v at %d with it", i, got[i], want[i], am[i])
		}
	}
}

// TestPoolOutSizeNoStride checks that a stride of zero or less gives no
// output rather than a division by zero.
func TestPoolOutSizeNoStride(t *testing.T) {
	for _, stride := range []int{0, -1} {
		if got := PoolOutSize(5, 3, 1, stride); got != 0 {
			t.Errorf("PoolOutSize(5, 3, 1, %d) = %d, want 0", stride, got)
		}
	}
	if got := PoolOutSize(4, 7, 1, 1); got != 0 {
		t.Errorf("PoolOutSize(4, 7, 1, 1) = %d, want 0", got)
	}
}

// TestPoolCheckBounds checks every bound of poolCheck: each window
// parameter one step outside is refused with a message naming the op and
// the rule, and the limits themselves (size and stride 1, padding 0 and
// exactly half the kernel) are accepted.
func TestPoolCheckBounds(t *testing.T) {
	refused := func(args [6]int) (msg string) {
		defer func() {
			if r := recover(); r != nil {
				msg, _ = r.(string)
				if msg == "" {
					msg = "non-string panic"
				}
			}
		}()
		poolCheck("Op", args[0], args[1], args[2], args[3], args[4], args[5])
		return ""
	}
	// kh, kw, strideH, strideW, padH, padW
	for _, ok := range [][6]int{
		{1, 1, 1, 1, 0, 0},
		{2, 2, 1, 1, 1, 1},
		{3, 4, 2, 3, 1, 2},
	} {
		if msg := refused(ok); msg != "" {
			t.Errorf("poolCheck%v refused: %s", ok, msg)
		}
	}
	for _, bad := range []struct {
		args [6]int
		rule string
	}{
		{[6]int{0, 1, 1, 1, 0, 0}, "positive"},
		{[6]int{1, 0, 1, 1, 0, 0}, "positive"},
		{[6]int{1, 1, 0, 1, 0, 0}, "positive"},
		{[6]int{1, 1, 1, 0, 0, 0}, "positive"},
		{[6]int{2, 2, 1, 1, -1, 0}, "padding"},
		{[6]int{2, 2, 1, 1, 0, -1}, "padding"},
		{[6]int{3, 2, 1, 1, 2, 0}, "padding"},
		{[6]int{2, 3, 1, 1, 0, 2}, "padding"},
	} {
		msg := refused(bad.args)
		if !strings.HasPrefix(msg, "kernel.Op: ") || !strings.Contains(msg, bad.rule) {
			t.Errorf("poolCheck%v: panic %q, want kernel.Op's %q rule", bad.args, msg, bad.rule)
		}
	}
}

// TestMaxPool2x2F32Lengths checks, on every path, that the float32 2×2
// kernel does nothing for an empty plane (no output rows or columns, empty
// slices) and panics when the input, the output or the argmax is one
// element short (capacity included), so that the assembly never reads or
// writes past a slice.
func TestMaxPool2x2F32Lengths(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		for _, sz := range [][3]int{{0, 4, 8}, {3, 0, 8}, {0, 0, 8}, {0, 16, 32}, {2, 0, 1}} {
			outH, outW, w := sz[0], sz[1], sz[2]
			in := make([]float32, 2*outH*w) // the Go kernel slices each row pair
			maxPool2x2F32(in, w, outH, outW, nil, nil)
			maxPool2x2F32(in, w, outH, outW, []float32{}, []int32{})
		}
		for _, sz := range [][3]int{{1, 1, 2}, {2, 3, 7}, {3, 4, 8}, {2, 5, 11}, {3, 16, 32}, {2, 17, 35}} {
			outH, outW, w := sz[0], sz[1], sz[2]
			nIn, nOut := (2*outH-1)*w+2*outW, outH*outW
			// Short slices cut from longer buffers, so that a read or
			// write past them stays inside memory the test owns.
			in, out, am := make([]float32, nIn+64), make([]float32, nOut+64), make([]int32, nOut+64)
			panics := func(what string, in, out []float32, am []int32) {
				t.Helper()
				defer func() {
					if recover() == nil {
						t.Errorf("outH %d outW %d w %d: %s one short did not panic", outH, outW, w, what)
					}
				}()
				maxPool2x2F32(in, w, outH, outW, out, am)
			}
			maxPool2x2F32(in[:nIn:nIn], w, outH, outW, out[:nOut:nOut], am[:nOut:nOut])
			panics("input", in[:nIn-1:nIn-1], out[:nOut:nOut], am[:nOut:nOut])
			panics("input (no argmax)", in[:nIn-1:nIn-1], out[:nOut:nOut], nil)
			panics("output", in[:nIn:nIn], out[:nOut-1:nOut-1], am[:nOut:nOut])
			panics("argmax", in[:nIn:nIn], out[:nOut:nOut], am[:nOut-1:nOut-1])
		}
	})
}
