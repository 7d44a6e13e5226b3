package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The tests here compare the float32 row-kernel path of Im2colLD and
// Col2imLD (im2colFast: AVX2 or AVX-512 assembly on amd64, the Go twins in
// im2col_generic.go elsewhere) with the plain Go loops, bit for bit, on
// every kernel path the CPU has.

// withIm2colFast runs f with im2colFast set to on and restores it.
func withIm2colFast(on bool, f func()) {
	old := im2colFast
	im2colFast = on
	defer func() { im2colFast = old }()
	f()
}

// fastCases lists the geometries of the comparison: every image width 1..20
// and, more sparsely, up to 75 (output rows of every length 1..17 and past
// two and three 16-lane chunks) against every kernel width 1..5, padding
// 0..kw-1, dilation 1..2 and strideW 1..3, with the other parameters drawn
// at random, plus the MNIST and DCGAN layers.
func fastCases(rng *rand.Rand) []im2colCase {
	var cs []im2colCase
	for w := 1; w <= 75; w++ {
		if w > 20 && w%3 != 0 && w != 37 && w != 64 {
			continue
		}
		for kw := 1; kw <= 5; kw++ {
			for padW := 0; padW < kw; padW++ {
				for dilW := 1; dilW <= 2; dilW++ {
					kh := 1 + rng.IntN(5)
					cs = append(cs, im2colCase{
						c: 1 + rng.IntN(3), h: 1 + rng.IntN(20), w: w,
						kh: kh, kw: kw, padH: rng.IntN(kh), padW: padW,
						strideH: 1 + rng.IntN(2), strideW: 1 + (w+kw+padW+dilW)%3,
						dilH: 1 + rng.IntN(2), dilW: dilW,
					})
				}
			}
		}
	}
	return append(cs,
		im2colCase{1, 28, 28, 5, 5, 2, 2, 1, 1, 1, 1},
		im2colCase{16, 14, 14, 5, 5, 2, 2, 1, 1, 1, 1},
		im2colCase{3, 20, 20, 3, 3, 1, 1, 2, 1, 1, 1},
		im2colCase{2, 9, 37, 3, 7, 1, 3, 1, 1, 1, 1},
		im2colCase{2, 5, 64, 1, 3, 0, 1, 2, 1, 1, 2},
		im2colCase{1, 28, 28, 4, 4, 1, 1, 2, 2, 1, 1},  // DCGAN D conv1
		im2colCase{32, 14, 14, 4, 4, 1, 1, 2, 2, 1, 1}, // DCGAN D conv2
		im2colCase{64, 7, 7, 7, 7, 0, 0, 1, 1, 1, 1},   // DCGAN D conv3: 1×1 output
		im2colCase{3, 40, 70, 3, 3, 1, 1, 2, 2, 1, 1},  // stride 2, three chunks
		im2colCase{2, 33, 35, 5, 4, 2, 3, 2, 2, 2, 2},  // stride 2 with dilation
	)
}

// randF32 fills x with random values, a few of them -0.
func randF32(rng *rand.Rand, x []float32) {
	for i := range x {
		x[i] = float32(rng.NormFloat64())
		if rng.IntN(16) == 0 {
			x[i] = float32(math.Copysign(0, -1))
		}
	}
}

// sameBits reports the first index where a and b differ in their bits, or -1.
func sameBits(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

func TestIm2colFastMatchesGo(t *testing.T) {
	if !im2colFastOK {
		t.Skip("no AVX2")
	}
	forEachPath(t, testIm2colFastMatchesGo)
}

func testIm2colFastMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	nan := float32(math.NaN())
	for _, g := range fastCases(rng) {
		outH := ConvOutSize(g.h, g.kh, g.padH, g.strideH, g.dilH)
		outW := ConvOutSize(g.w, g.kw, g.padW, g.strideW, g.dilW)
		ohw, rows, chw := outH*outW, g.c*g.kh*g.kw, g.c*g.h*g.w
		if ohw == 0 {
			continue
		}
		ld := ohw + rng.IntN(10)
		off := rng.IntN(5)
		// the image sits between NaN guards: reading a pixel outside it
		// would put a NaN where the Go path has a zero
		srcBuf := make([]float32, chw+32)
		for i := range srcBuf {
			srcBuf[i] = nan
		}
		src := srcBuf[16 : 16+chw]
		randF32(rng, src)
		// garbage in the gaps and around the matrix must survive
		n := off + (rows-1)*ld + ohw + 9
		init := make([]float32, n)
		randF32(rng, init)
		want := append([]float32(nil), init...)
		got := append([]float32(nil), init...)
		withIm2colFast(false, func() {
			Im2colLD(src, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, want[off:off+(rows-1)*ld+ohw], ld)
		})
		withIm2colFast(true, func() {
			Im2colLD(src, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, got[off:off+(rows-1)*ld+ohw], ld)
		})
		if i := sameBits(got, want); i >= 0 {
			t.Fatalf("Im2colLD %v ld=%d off=%d: element %d is %v, want %v", g, ld, off, i, got[i], want[i])
		}
		for r := 0; r < rows; r++ {
			for i := off + r*ld + ohw; i < min(off+(r+1)*ld, n); i++ {
				if math.Float32bits(got[i]) != math.Float32bits(init[i]) {
					t.Fatalf("Im2colLD %v ld=%d: gap element %d overwritten", g, ld, i)
				}
			}
		}

		// Col2imLD: NaN in the gaps would show if they were read, and the
		// image sits between guards that must stay untouched.
		col := make([]float32, n)
		for i := range col {
			col[i] = nan
		}
		for r := 0; r < rows; r++ {
			randF32(rng, col[off+r*ld:off+r*ld+ohw])
		}
		imgInit := make([]float32, chw+16)
		randF32(rng, imgInit)
		imgWant := append([]float32(nil), imgInit...)
		imgGot := append([]float32(nil), imgInit...)
		withIm2colFast(false, func() {
			Col2imLD(col[off:], ld, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, imgWant[8:8+chw])
		})
		withIm2colFast(true, func() {
			Col2imLD(col[off:], ld, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, imgGot[8:8+chw])
		})
		if i := sameBits(imgGot, imgWant); i >= 0 {
			t.Fatalf("Col2imLD %v ld=%d off=%d: element %d is %v, want %v", g, ld, off, i-8, imgGot[i], imgWant[i])
		}
		if i := sameBits(imgGot[:8], imgInit[:8]); i >= 0 {
			t.Fatalf("Col2imLD %v: guard before the image overwritten", g)
		}
		if i := sameBits(imgGot[8+chw:], imgInit[8+chw:]); i >= 0 {
			t.Fatalf("Col2imLD %v: guard after the image overwritten", g)
		}
	}
}

// BenchmarkIm2colRows times Im2colLD and Col2imLD through the Go loops
// ("go") and the row kernels ("asm") at the MNIST CNN shapes, per image
// (ld = outH*outW) and in a batch of 50 (ld = 50*outH*outW, image i at
// column i*outH*outW); ns/img is the time per image. Compare the two with
// benchstat, or:
//
//	go test ./internal/kernel/ -run '^$' -bench Im2colRows -count 5
func BenchmarkIm2colRows(b *testing.B) {
	const batch = 50
	for _, s := range []struct {
		name string
		g    im2colCase
	}{{"conv1_c1_28x28_k5p2", benchConv1}, {"conv2_c16_14x14_k5p2", benchConv2}} {
		g := s.g
		outH := ConvOutSize(g.h, g.kh, g.padH, g.strideH, g.dilH)
		outW := ConvOutSize(g.w, g.kw, g.padW, g.strideW, g.dilW)
		ohw, rows, chw := outH*outW, g.c*g.kh*g.kw, g.c*g.h*g.w
		rng := rand.New(rand.NewPCG(1, 2))
		imgs := make([]float32, batch*chw)
		randF32(rng, imgs)
		cols := make([]float32, rows*batch*ohw)
		randF32(rng, cols)
		for _, ld := range []int{ohw, batch * ohw} {
			n := ld / ohw // images per pass
			for _, op := range []string{"Im2colLD", "Col2imLD"} {
				for _, fast := range []bool{false, true} {
					impl := "go"
					if fast {
						impl = "asm"
					}
					b.Run(fmt.Sprintf("%s/%s/ld=%d/%s", op, s.name, ld, impl), func(b *testing.B) {
						if fast && !im2colFastOK {
							b.Skip("no AVX2")
						}
						withIm2colFast(fast, func() {
							for b.Loop() {
								for i := 0; i < n; i++ {
									img := imgs[i*chw : (i+1)*chw]
									if op == "Col2imLD" {
										Col2imLD(cols[i*ohw:], ld, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, img)
									} else {
										Im2colLD(img, g.c, g.h, g.w, g.kh, g.kw, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, cols[i*ohw:], ld)
									}
								}
							}
						})
						b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/img")
					})
				}
			}
		}
	}
}
