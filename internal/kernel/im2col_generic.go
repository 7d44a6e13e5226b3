//go:build !amd64 || purego

package kernel

// Pure-Go twins of the row kernels in im2col_amd64.s and
// im2col_avx512_amd64.s, used off amd64 and under the purego build tag. There Im2colLD and Col2imLD keep their
// own Go loops (im2colFast is false); the tests switch im2colFast on to
// check the row-kernel drivers im2colLD32 and col2imLD32 with these twins.

// im2colFastOK reports whether im2colFast may be switched on: the Go row
// kernels below run everywhere.
var im2colFastOK = true

// im2colFast selects the row-kernel path of Im2colLD and Col2imLD for
// float32.
var im2colFast = false

// im2colRowStride reports whether the row kernels handle strideW: 1 and 2,
// as on the AVX-512 path.
func im2colRowStride(strideW int) bool { return strideW == 1 || strideW == 2 }

// im2colRow32 writes one row of the columns matrix (one (ci, ki, kj)),
// row[oh*outW+ow] = plane[(oh*strideH+offH)*w+ow*strideW+offW] for oh in
// [ohLo, ohHi) and ow in [owLo, owHi), and 0 elsewhere in row.
func im2colRow32(plane, row []float32, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int) {
	clear(row[:ohLo*outW])
	clear(row[ohHi*outW:])
	for oh := ohLo; oh < ohHi; oh++ {
		out := row[oh*outW : oh*outW+outW]
		ih := oh*strideH + offH
		in := plane[ih*w : ih*w+w]
		clear(out[:owLo])
		clear(out[owHi:])
		for ow := owLo; ow < owHi; ow++ {
			out[ow] = in[ow*strideW+offW]
		}
	}
}

// col2imRow32 adds one row of the columns matrix back into the image plane,
// plane[(oh*strideH+offH)*w+ow*strideW+offW] += row[oh*outW+ow] for oh in
// [ohLo, ohHi) and ow in [owLo, owHi), owLo < owHi.
func col2imRow32(row, plane []float32, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int) {
	for oh := ohLo; oh < ohHi; oh++ {
		seg := row[oh*outW+owLo : oh*outW+owHi]
		in := plane[(oh*strideH+offH)*w:]
		for i, v := range seg {
			in[(owLo+i)*strideW+offW] += v
		}
	}
}
