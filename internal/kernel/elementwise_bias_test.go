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

func testBiasRows[T float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	// The last shapes are big enough for ParallelFor to split the work,
	// and 600 columns make SumRows use more than one column block.
	for _, sh := range [][2]int{{1, 1}, {3, 5}, {7, 13}, {1, 37}, {300, 600}, {2000, 64}} {
		rows, cols := sh[0], sh[1]
		x := ewRandSlice[T](rng, rows*cols)
		bias := ewRandSlice[T](rng, cols)
		got := append([]T(nil), x...)
		AddBiasRows(got, rows, cols, bias)
		want := append([]T(nil), x...)
		for r := 0; r < rows; r++ {
			for j := 0; j < cols; j++ {
				want[r*cols+j] += bias[j]
			}
		}
		ewCheckSlices(t, "AddBiasRows", got, want)

		sums := make([]T, cols)
		wantSums := make([]T, cols)
		for j := range sums {
			sums[j], wantSums[j] = T(j), T(j)
		}
		for r := 0; r < rows; r++ {
			for j := 0; j < cols; j++ {
				wantSums[j] += x[r*cols+j]
			}
		}
		SumRows(x, rows, cols, sums)
		ewCheckSlices(t, "SumRows", sums, wantSums)
	}
	AddBiasRows[T](nil, 0, 3, nil)
	SumRows[T](nil, 3, 0, nil)
}

func TestBiasRowsFloat32(t *testing.T) { testBiasRows[float32](t) }
func TestBiasRowsFloat64(t *testing.T) { testBiasRows[float64](t) }

func TestAddBiasChannelsFloat32(t *testing.T) { testAddBiasChannels[float32](t) }
func TestAddBiasChannelsFloat64(t *testing.T) { testAddBiasChannels[float64](t) }

func TestSumChannelsFloat32(t *testing.T) { testSumChannels[float32](t) }
func TestSumChannelsFloat64(t *testing.T) { testSumChannels[float64](t) }
