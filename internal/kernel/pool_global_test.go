package kernel

import (
	"math/rand/v2"
	"testing"
)

func testGlobalPool[T float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, sh := range [][3]int{{1, 1, 1}, {2, 3, 7}, {3, 5, 49}, {16, 64, 64}} {
		n, c, hw := sh[0], sh[1], sh[2]
		src := ewRandSlice[T](rng, n*c*hw)
		avg, mx, am := make([]T, n*c), make([]T, n*c), make([]int32, n*c)
		GlobalAvgPool(src, n, c, hw, avg)
		GlobalMaxPool(src, n, c, hw, mx, am)
		gradOut := ewRandSlice[T](rng, n*c)
		gAvg, gMax := make([]T, len(src)), make([]T, len(src))
		GlobalAvgPoolBackward(gradOut, n, c, hw, gAvg)
		GlobalMaxPoolBackward(gradOut, am, n, c, hw, gMax)
		for p := 0; p < n*c; p++ {
			var s float64
			m, idx := src[p*hw], 0
			for i := 0; i < hw; i++ {
				v := src[p*hw+i]
				s += float64(v)
				if v > m {
					m, idx = v, i
				}
			}
			if !ewClose(avg[p], T(s/float64(hw)), 1) {
				t.Fatalf("GlobalAvgPool %v [%d] = %v, want %v", sh, p, avg[p], s/float64(hw))
			}
			if mx[p] != m || int(am[p]) != idx {
				t.Fatalf("GlobalMaxPool %v [%d] = %v at %d, want %v at %d", sh, p, mx[p], am[p], m, idx)
			}
			for i := 0; i < hw; i++ {
				if want := gradOut[p] / T(hw); !ewClose(gAvg[p*hw+i], want, 1) {
					t.Fatalf("GlobalAvgPoolBackward %v [%d,%d] = %v, want %v", sh, p, i, gAvg[p*hw+i], want)
				}
				want := T(0)
				if i == idx {
					want = gradOut[p]
				}
				if gMax[p*hw+i] != want {
					t.Fatalf("GlobalMaxPoolBackward %v [%d,%d] = %v, want %v", sh, p, i, gMax[p*hw+i], want)
				}
			}
		}
	}
}

func TestGlobalPoolFloat32(t *testing.T) { testGlobalPool[float32](t) }
func TestGlobalPoolFloat64(t *testing.T) { testGlobalPool[float64](t) }
