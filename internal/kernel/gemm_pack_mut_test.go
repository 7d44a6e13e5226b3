package kernel

import (
	"fmt"
	"testing"
)

// gemmPackSentinel fills the packing buffers before each call, to see every
// value a pack writes and any it should not.
const gemmPackSentinel = -12345

// gemmPackARef is the packed layout of the mc×kc block of op(A) at (i0, p0)
// in mr-row panels: panel q holds op(A)[i0+q*mr+i][p0+p] at q*mr*kc+p*mr+i,
// and zeros in the rows past mc.
func gemmPackARef[T float32 | float64](a []T, lda int, trans bool, i0, p0, mc, kc, mr int) []T {
	panels := (mc + mr - 1) / mr
	d := make([]T, panels*mr*kc)
	for q := 0; q < panels; q++ {
		for p := 0; p < kc; p++ {
			for i := 0; i < mr; i++ {
				row := q*mr + i
				if row >= mc {
					continue
				}
				var v T
				if trans {
					v = a[(p0+p)*lda+i0+row]
				} else {
					v = a[(i0+row)*lda+p0+p]
				}
				d[q*mr*kc+p*mr+i] = v
			}
		}
	}
	return d
}

// gemmPackBRef is the packed layout of the kc×nc block of op(B) at (p0, j0)
// in nr-column panels: panel q holds op(B)[p0+p][j0+q*nr+j] at
// q*nr*kc+p*nr+j, and zeros in the columns past nc. That is the layout of
// packing op(B)ᵀ (B read with the other transposition) as an A block.
func gemmPackBRef[T float32 | float64](b []T, ldb int, trans bool, p0, j0, kc, nc, nr int) []T {
	return gemmPackARef(b, ldb, !trans, j0, p0, nc, kc, nr)
}

// gemmPackMatrix returns a rows×cols matrix with leading dimension ld
// whose elements are distinct (1, 2, 3, ... in storage order), exactly
// (rows-1)*ld+cols long.
func gemmPackMatrix[T float32 | float64](rows, cols, ld int) []T {
	m := make([]T, (rows-1)*ld+cols)
	for i := range m {
		m[i] = T(i + 1)
	}
	return m
}

func gemmPackCheck[T float32 | float64](t *testing.T, name string, got, want []T) {
	t.Helper()
	for i := range got {
		w := T(gemmPackSentinel)
		if i < len(want) {
			w = want[i]
		}
		if got[i] != w {
			t.Fatalf("%s: [%d] = %v, want %v (packed length %d)", name, i, got[i], w, len(want))
		}
	}
}

// gemmPackAConfig is a register tile height and the packing helpers of a
// kernel (nil for the Go loops).
type gemmPackAConfig[T float32 | float64] struct {
	name     string
	mr       int
	packRows func(k int, a []T, lda int, d []T)
	packCols func(k int, a []T, lda, panels int, d []T)
}

type gemmPackBConfig[T float32 | float64] struct {
	name   string
	nr     int
	packBT func(k int, b []T, ldb int, d []T)
}

func gemmPackConfigs[T float32 | float64](kernels []*gemmKernel[T]) ([]gemmPackAConfig[T], []gemmPackBConfig[T]) {
	var as []gemmPackAConfig[T]
	var bs []gemmPackBConfig[T]
	for _, mr := range []int{1, 2, 3, 4, 6, 8, 12, 16} {
		as = append(as, gemmPackAConfig[T]{name: fmt.Sprintf("go mr%d", mr), mr: mr})
	}
	for _, nr := range []int{1, 2, 3, 4, 8, 16, 32} {
		bs = append(bs, gemmPackBConfig[T]{name: fmt.Sprintf("go nr%d", nr), nr: nr})
	}
	for _, g := range kernels {
		as = append(as, gemmPackAConfig[T]{g.name, g.mr, g.packA, g.packAT})
		if g.packA != nil {
			as = append(as, gemmPackAConfig[T]{g.name + " packA only", g.mr, g.packA, nil})
		}
		if g.packAT != nil {
			as = append(as, gemmPackAConfig[T]{g.name + " packAT only", g.mr, nil, g.packAT})
		}
		bs = append(bs, gemmPackBConfig[T]{g.name, g.nr, g.packBT})
	}
	return as, bs
}

// TestGemmPackLayout checks gemmPackA and gemmPackB, on their own, against
// the packed layouts they document, value for value: every tile size of
// the package's kernels with their assembly packing helpers and with the
// Go loops alone, plus other tile sizes through the Go loops; both
// transpositions; offsets into the matrix; block sizes around the tile
// sizes and the helpers' multiples of 8 steps of k; operands exactly as
// long as the block needs (a read past them panics). The padding rows and
// columns of the last panel must be zero, and nothing past the packed
// panels may be written. Through the products, a padding value only
// reaches C's discarded tile edges, so the GEMM tests do not see it.
func TestGemmPackLayout(t *testing.T) {
	testGemmPackLayout(t, sgemmKernels)
	testGemmPackLayout(t, dgemmKernels)
}

func testGemmPackLayout[T float32 | float64](t *testing.T, kernels []*gemmKernel[T]) {
	as, bs := gemmPackConfigs(kernels)
	kcs := []int{1, 3, 7, 8, 9, 16, 17, 25}
	for _, cfg := range as {
		for _, trans := range []bool{false, true} {
			for _, mc := range []int{1, 2, 5, 6, 7, 11, 12, 13, 17, 24, 25, 37} {
				for _, kc := range kcs {
					for _, off := range [][2]int{{0, 0}, {3, 5}} {
						i0, p0 := off[0], off[1]
						// op(A) is rows×cols; stored transposed if trans.
						rows, cols := i0+mc, p0+kc
						sr, sc := rows, cols
						if trans {
							sr, sc = cols, rows
						}
						lda := sc + 3
						a := gemmPackMatrix[T](sr, sc, lda)
						want := gemmPackARef(a, lda, trans, i0, p0, mc, kc, cfg.mr)
						dst := make([]T, len(want)+2*cfg.mr*kc)
						for i := range dst {
							dst[i] = gemmPackSentinel
						}
						gemmPackA(dst, a, lda, trans, i0, p0, mc, kc, cfg.mr, cfg.packRows, cfg.packCols)
						gemmPackCheck(t, fmt.Sprintf("gemmPackA %s trans=%v i0=%d p0=%d mc=%d kc=%d", cfg.name, trans, i0, p0, mc, kc), dst, want)
					}
				}
			}
		}
	}
	for _, cfg := range bs {
		for _, trans := range []bool{false, true} {
			for _, nc := range []int{1, 3, 4, 5, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 96, 100, 130} {
				for _, kc := range kcs {
					for _, off := range [][2]int{{0, 0}, {2, 3}, {1, 40}} {
						p0, j0 := off[0], off[1]
						// op(B) is rows×cols; stored transposed if trans.
						rows, cols := p0+kc, j0+nc
						sr, sc := rows, cols
						if trans {
							sr, sc = cols, rows
						}
						ldb := sc + 5
						b := gemmPackMatrix[T](sr, sc, ldb)
						want := gemmPackBRef(b, ldb, trans, p0, j0, kc, nc, cfg.nr)
						dst := make([]T, len(want)+2*cfg.nr*kc)
						for i := range dst {
							dst[i] = gemmPackSentinel
						}
						gemmPackB(dst, b, ldb, trans, p0, j0, kc, nc, cfg.nr, cfg.packBT)
						gemmPackCheck(t, fmt.Sprintf("gemmPackB %s trans=%v p0=%d j0=%d nc=%d kc=%d", cfg.name, trans, p0, j0, nc, kc), dst, want)
					}
				}
			}
		}
	}
}
