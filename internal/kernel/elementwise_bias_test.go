package kernel

import (
	"math/rand/v2"
	"testing"
)

func testBias[T float32 | float64](t *testing.T) {
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

		// Treat the same data as a rows×cols matrix.
		rows, cols := n*c, hw
		bias = ewRandSlice[T](rng, cols)
		got = append(got[:0], x...)
		AddBiasRows(got, rows, cols, bias)
		for r := 0; r < rows; r++ {
			for j := 0; j < cols; j++ {
				want[r*cols+j] = x[r*cols+j] + bias[j]
			}
		}
		ewCheckSlices(t, "AddBiasRows", got, want)

		colSums := make([]T, cols)
		wantCol := make([]T, cols)
		for j := range colSums {
			colSums[j] = 1
			wantCol[j] = 1
		}
		for r := 0; r < rows; r++ {
			for j := 0; j < cols; j++ {
				wantCol[j] += x[r*cols+j]
			}
		}
		SumRows(x, rows, cols, colSums)
		for j := range colSums {
			if !ewClose(colSums[j], wantCol[j], float64(rows)) {
				t.Fatalf("SumRows %v [%d] = %v, want %v", sh, j, colSums[j], wantCol[j])
			}
		}
	}
	// Empty problems are no-ops.
	AddBiasRows[T](nil, 0, 5, nil)
	SumChannels[T](nil, 0, 3, 4, nil)
}

func TestBiasFloat32(t *testing.T) { testBias[float32](t) }
func TestBiasFloat64(t *testing.T) { testBias[float64](t) }
