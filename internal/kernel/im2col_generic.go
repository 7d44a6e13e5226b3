//go:build !amd64 || purego

package kernel

// Off amd64 and under the purego build tag the row kernels are the pure-Go
// im2colRowGo and col2imRowGo (im2col.go). There Im2colLD and Col2imLD keep
// their own Go loops (im2colFast is false); the tests switch im2colFast on
// to check the row-kernel drivers im2colLD32 and col2imLD32 with them.

// im2colFastOK reports whether im2colFast may be switched on: the Go row
// kernels run everywhere.
var im2colFastOK = true

// im2colFast selects the row-kernel path of Im2colLD and Col2imLD for
// float32.
var im2colFast = false

// im2colRowStride reports whether the row kernels handle strideW: 1 and 2,
// as on the AVX-512 path.
func im2colRowStride(strideW int) bool { return strideW == 1 || strideW == 2 }

// im2colRow32 writes one row of the columns matrix: im2colRowGo.
func im2colRow32(plane, row []float32, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int) {
	im2colRowGo(plane, row, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH)
}

// col2imRow32 adds one row of the columns matrix back into the image
// plane: col2imRowGo.
func col2imRow32(row, plane []float32, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int) {
	col2imRowGo(row, plane, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH)
}
