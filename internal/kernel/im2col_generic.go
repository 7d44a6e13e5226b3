//go:build !amd64 || purego

package kernel

// Pure-Go twins of the AVX2 row kernels in im2col_amd64.s, used off amd64
// and under the purego build tag. There Im2colLD and Col2imLD keep their
// own Go loops (im2colFast is false); the tests switch im2colFast on to
// check the row-kernel drivers im2colLD32 and col2imLD32 with these twins.

// im2colFastOK reports whether im2colFast may be switched on: the Go row
// kernels below run everywhere.
var im2colFastOK = true

// im2colFast selects the row-kernel path of Im2colLD and Col2imLD for
// float32 with strideW == 1.
var im2colFast = false

// im2colRow32 writes one row of the columns matrix (one (ci, ki, kj)),
// row[oh*outW+ow] = plane[(oh*strideH+offH)*w+ow+offW] for oh in
// [ohLo, ohHi) and ow in [owLo, owHi), and 0 elsewhere in row.
func im2colRow32(plane, row []float32, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideH int) {
	clear(row[:ohLo*outW])
	clear(row[ohHi*outW:])
	for oh := ohLo; oh < ohHi; oh++ {
		out := row[oh*outW : oh*outW+outW]
		ih := oh*strideH + offH
		in := plane[ih*w : ih*w+w]
		clear(out[:owLo])
		clear(out[owHi:])
		copy(out[owLo:owHi], in[owLo+offW:owHi+offW])
	}
}

// col2imRow32 adds one row of the columns matrix back into the image plane,
// plane[(oh*strideH+offH)*w+ow+offW] += row[oh*outW+ow] for oh in
// [ohLo, ohHi) and ow in [owLo, owHi), owLo < owHi.
func col2imRow32(row, plane []float32, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideH int) {
	for oh := ohLo; oh < ohHi; oh++ {
		seg := row[oh*outW+owLo : oh*outW+owHi]
		ih := oh*strideH + offH
		acc := plane[ih*w+owLo+offW : ih*w+owHi+offW]
		for i, v := range seg {
			acc[i] += v
		}
	}
}
