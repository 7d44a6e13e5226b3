package tensor_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// constSource is a rand.Source whose every draw is u, so that rand.Rand's
// Float64 returns u/2⁵³ each time (math/rand/v2 keeps the low 53 bits).
type constSource uint64

func (s constSource) Uint64() uint64 { return uint64(s) }

// TestSamplingBoundaries pins where Bernoulli and Dropout cut their
// uniform draws, with a source that returns the same draw every time: a
// Bernoulli sample is 1 when u < p, so p = 0 gives 0 even for u = 0, and
// u = p gives 0; Dropout keeps an element when u ≥ p (zeroed with
// probability p), so u = p keeps it and u < p zeroes it.
func TestSamplingBoundaries(t *testing.T) {
	zero, half, quarter, threeQuarters := constSource(0), constSource(1<<52), constSource(1<<51), constSource(3<<51)
	for _, dt := range []DType{Float64, Float32} {
		for _, c := range []struct {
			name string
			src  constSource
			p    float64
			want float64
		}{
			{"u = 0, p = 0", zero, 0, 0},
			{"u = 0, p = 1/4", zero, 0.25, 1},
			{"u = 1/2, p = 1/2", half, 0.5, 0},
			{"u = 1/4, p = 1/2", quarter, 0.5, 1},
			{"u = 1/2, p = 1", half, 1, 1},
		} {
			got := Bernoulli(FullOf(dt, c.p, 2, 3), rand.New(c.src)).Values()
			if want := slices.Repeat([]float64{c.want}, 6); !slices.Equal(got, want) {
				t.Errorf("%v Bernoulli, %s: %v, want %v", dt, c.name, got, want)
			}
		}
		x := FullOf(dt, 3, 2, 3)
		for _, c := range []struct {
			name string
			src  constSource
			p    float64
			want float64
		}{
			{"u = 1/2, p = 1/2", half, 0.5, 6},
			{"u = 1/4, p = 1/2", quarter, 0.5, 0},
			{"u = 3/4, p = 3/4", threeQuarters, 0.75, 12},
			{"u = 1/2, p = 3/4", half, 0.75, 0},
			{"u = 0, p = 1/4", zero, 0.25, 0},
		} {
			y, mask := DropoutMask(x, c.p, rand.New(c.src))
			if want := slices.Repeat([]float64{c.want}, 6); !slices.Equal(y.Values(), want) {
				t.Errorf("%v Dropout, %s: %v, want %v", dt, c.name, y.Values(), want)
			}
			if want := slices.Repeat([]float64{c.want / 3}, 6); !slices.Equal(mask.Values(), want) {
				t.Errorf("%v Dropout mask, %s: %v, want %v", dt, c.name, mask.Values(), want)
			}
		}
	}
}
