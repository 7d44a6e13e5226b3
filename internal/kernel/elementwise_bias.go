package kernel

// A bias per channel of an NCHW tensor and its adjoint (the bias gradient
// of a convolution). Large problems are split across workers with
// ParallelFor; the split never changes the summation order, so results are
// identical for any worker count. (Where the output comes straight from a
// GEMM, adding a bias is the epilogue's job, see Epilogue; the transposed
// convolution's output comes from col2im, so it adds its bias here.)

// ewMinChunkElems is roughly how many elements a worker should get before
// splitting an element-wise job across goroutines pays off.
const ewMinChunkElems = 1 << 15

// AddBiasRows adds bias[j] to every x[r*cols+j], r < rows, j < cols (the
// recurrent layers add their per-gate biases to products computed without
// an epilogue).
func AddBiasRows[T float32 | float64](x []T, rows, cols int, bias []T) {
	if rows <= 0 || cols <= 0 {
		return
	}
	x = within(x, rows*cols)
	bias = within(bias, cols)
	ParallelFor(rows, ewMinChunkElems/cols+1, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			row := x[r*cols : r*cols+cols]
			Add(row, bias, row)
		}
	})
}

// SumRows accumulates column sums: dst[j] += Σ_r x[r*cols+j], the adjoint
// of AddBiasRows (a bias gradient).
func SumRows[T float32 | float64](x []T, rows, cols int, dst []T) {
	if rows <= 0 || cols <= 0 {
		return
	}
	x = within(x, rows*cols)
	dst = within(dst, cols)
	// Split over column blocks so each worker owns its slice of dst and
	// rows are summed in the same order regardless of the split.
	const block = 256
	nb := (cols + block - 1) / block
	ParallelFor(nb, ewMinChunkElems/(rows*block)+1, func(lo, hi int) {
		j0, j1 := lo*block, min(hi*block, cols)
		d := dst[j0:j1]
		for r := 0; r < rows; r++ {
			row := x[r*cols+j0 : r*cols+j1]
			Add(d, row, d)
		}
	})
}

// AddBiasChannels adds bias[ci] to every element of channel ci of the NCHW
// tensor x of shape [n, c, hw] (hw = height*width).
func AddBiasChannels[T float32 | float64](x []T, n, c, hw int, bias []T) {
	if n <= 0 || c <= 0 || hw <= 0 {
		return
	}
	x = within(x, n*c*hw)
	bias = within(bias, c)
	ParallelFor(n*c, ewMinChunkElems/hw+1, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			AddScalar(bias[p%c], x[p*hw:p*hw+hw])
		}
	})
}

// SumChannels accumulates per-channel sums of the NCHW tensor x of shape
// [n, c, hw]: dst[ci] += Σ_{b,i} x[(b*c+ci)*hw+i], the bias gradient of a
// Conv2d layer.
func SumChannels[T float32 | float64](x []T, n, c, hw int, dst []T) {
	if n <= 0 || c <= 0 || hw <= 0 {
		return
	}
	x = within(x, n*c*hw)
	dst = within(dst, c)
	ParallelFor(c, ewMinChunkElems/(n*hw)+1, func(lo, hi int) {
		for ci := lo; ci < hi; ci++ {
			var s T
			for b := 0; b < n; b++ {
				p := b*c + ci
				s += Sum(x[p*hw : p*hw+hw])
			}
			dst[ci] += s
		}
	})
}

// within returns s[:n], panicking with an index error when s is shorter
// than n: s[:n] alone would reach into s's spare capacity, past the
// caller's slice.
func within[T any](s []T, n int) []T { return s[:n:len(s)] }
