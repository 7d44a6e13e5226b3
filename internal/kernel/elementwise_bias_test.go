package kernel

import (
	"math/rand/v2"
	"testing"
)

func testSumChannels[T float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	// The last shape is big enough for ParallelFor to split the work.
	for _, sh := range [][3]int{{1, 1, 1}, {2, 3, 5}, {3, 7, 13}, {1, 1, 37}, {4, 16, 49}, {8, 64, 1024}} {
		n, c, hw := sh[0], sh[1], sh[2]
		x := ewRandSlice[T](rng, n*c*hw)
		sums := []T{}
		for ci := 0; ci < c; ci++ {
			sums = append(sums, T(ci))
		}
		wantSums := append([]T(nil), sums...)
		for b := 0; b < n; b++ {
			for ci := 0; ci < c; ci++ {
				for i := 0; i < hw; i++ {
					wantSums[ci] += x[(b*c+ci)*hw+i]
				}
			}
		}
		SumChannels(x, n, c, hw, sums)
		for ci := range sums {
			if !ewClose(sums[ci], wantSums[ci], float64(n*hw)) {
				t.Fatalf("SumChannels %v [%d] = %v, want %v", sh, ci, sums[ci], wantSums[ci])
			}
		}
	}
	// Empty problems are no-ops.
	SumChannels[T](nil, 0, 3, 4, nil)
}

func testAddBiasChannels[T float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	// The last shape is big enough for ParallelFor to split the work.
	for _, sh := range [][3]int{{1, 1, 1}, {2, 3, 5}, {3, 7, 13}, {1, 1, 37}, {4, 16, 49}, {8, 64, 1024}} {
		n, c, hw := sh[0], sh[1], sh[2]
		x := ewRandSlice[T](rng, n*c*hw)
		bias := ewRandSlice[T](rng, c)
		got := append([]T(nil), x...)
		AddBiasChannels(got, n, c, hw, bias)
		want := append([]T(nil), x...)
		for b := 0; b < n; b++ {
			for ci := 0; ci < c; ci++ {
				for i := 0; i < hw; i++ {
					want[(b*c+ci)*hw+i] += bias[ci]
				}
			}
		}
		ewCheckSlices(t, "AddBiasChannels", got, want)
	}
	AddBiasChannels[T](nil, 0, 3, 4, nil)
}

func TestAddBiasChannelsFloat32(t *testing.T) { testAddBiasChannels[float32](t) }
func TestAddBiasChannelsFloat64(t *testing.T) { testAddBiasChannels[float64](t) }

func TestSumChannelsFloat32(t *testing.T) { testSumChannels[float32](t) }
func TestSumChannelsFloat64(t *testing.T) { testSumChannels[float64](t) }
