// Command gemmgen writes the AVX2+FMA and AVX-512 GEMM micro-kernels of
// package kernel (internal/kernel/gemm_kernel_amd64.s) and their Go
// declarations (gemm_kernel_amd64.go).
//
// The kernels are fully unrolled register tiles, which are tedious and
// error-prone to write by hand, so this program prints them from one
// template parameterised by register width (YMM or ZMM), tile shape (rows,
// registers per row) and element type; see families for the tiles. A new
// shape or width is one more entry there: register names, offsets, masks
// and prefetch distances follow from the entry, and check refuses a tile
// that does not fit the register file. The AVX2 kernels store partial
// tiles through VMASKMOV lane masks, the AVX-512 ones through opmask
// registers. TestGeneratedUpToDate checks that the committed files are
// this program's output.
//
// Run it through go generate in internal/kernel:
//
//	go generate ./internal/kernel/
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"strings"
)

// kernel describes one family of micro-kernels to generate: a register
// width (YMM for AVX2+FMA, ZMM for AVX-512) and a tile shape of mr rows by
// vecs registers, plus the element type.
type kernel struct {
	name   string // Go function name, %d for the rows
	isa    string // instruction set named in the doc comments
	elem   int    // element size in bytes
	suffix string // PS or PD
	bcast  string // broadcast instruction
	movs   string // scalar load for the beta test
	ucom   string // scalar compare for the beta test
	reg    string // vector register prefix: Y (256-bit) or Z (512-bit)
	lanes  int    // elements per vector register
	mr     int    // rows per tile
	vecs   int    // vector registers per tile row
	pfA    int    // cache lines of a packed A panel prefetched per main-loop iteration
	// directA adds the kernels that read A in place.
	directA bool
	// tiled adds the tiled form of the full-height kernel (and of the
	// in-place-A one with directA): see genTiled.
	tiled bool
	// dots adds the dot kernels (see genDots).
	dots bool
	// packBT names the packing routine for a transposed B of nr columns
	// to generate with this family (0: none).
	packBT int
	// packA names the row count of the packing routine for a
	// non-transposed A to generate with this family (0: none).
	packA int
}

// nr is the tile's column count.
func (k kernel) nr() int { return k.vecs * k.lanes }

// vbytes is the size of one vector register in bytes.
func (k kernel) vbytes() int { return k.lanes * k.elem }

// r names vector register n at the family's width.
func (k kernel) r(n int) string { return fmt.Sprintf("%s%d", k.reg, n) }

// zmm reports whether the family uses AVX-512 (ZMM registers, opmasks).
func (k kernel) zmm() bool { return k.reg == "Z" }

const unroll = 4 // k steps per main-loop iteration

// families lists every generated kernel family. Register budget: the tile
// takes mr*vecs accumulators, plus vecs registers for a row of B and two
// for broadcasts of A; AVX2 has 16 YMM registers, AVX-512 32 ZMM. The
// AVX-512 float32 tile of 12×32 leaves four registers spare; its 12 rows
// keep the loads per FMA low (2 B vectors and 12 broadcasts feed 24 FMAs).
var families = []kernel{
	{name: "sgemmKernel%dx16", isa: "AVX2+FMA", elem: 4, suffix: "PS", bcast: "VBROADCASTSS", movs: "VMOVSS", ucom: "VUCOMISS", reg: "Y", lanes: 8, mr: 6, vecs: 2, pfA: 1, directA: true, tiled: true, dots: true, packBT: 16},
	{name: "dgemmKernel%dx8", isa: "AVX2+FMA", elem: 8, suffix: "PD", bcast: "VBROADCASTSD", movs: "VMOVSD", ucom: "VUCOMISD", reg: "Y", lanes: 4, mr: 6, vecs: 2, pfA: 1, dots: true},
	{name: "sgemmKernelZ%dx32", isa: "AVX-512", elem: 4, suffix: "PS", bcast: "VBROADCASTSS", movs: "VMOVSS", ucom: "VUCOMISS", reg: "Z", lanes: 16, mr: 12, vecs: 2, pfA: 3, directA: true, tiled: true, dots: true, packBT: 32, packA: 12},
	{name: "dgemmKernelZ%dx16", isa: "AVX-512", elem: 8, suffix: "PD", bcast: "VBROADCASTSD", movs: "VMOVSD", ucom: "VUCOMISD", reg: "Z", lanes: 8, mr: 12, vecs: 2, pfA: 6, tiled: true, dots: true, packA: 12},
}

func main() {
	out := flag.String("o", "gemm_kernel_amd64.s", "output file")
	flag.Parse()
	asm, decl, err := generate(families)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, asm, 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(strings.TrimSuffix(*out, ".s")+".go", decl, 0o644); err != nil {
		log.Fatal(err)
	}
}

// check reports why k cannot be generated, or nil: the tile's
// accumulators, a row of B and two broadcast registers must fit the
// register file of its width (16 YMM, 32 ZMM), the opmask of a partial row
// must fit a 64-bit register (nr ≤ 64) and K1–K7, in-place A rows need a
// base register per three rows (aBases), and the dot kernels keep their
// accumulators below register 16 (VEX horizontal sums).
func check(k kernel) error {
	regs := 16
	if k.zmm() {
		regs = 32
	}
	switch {
	case k.mr < 1 || k.vecs < 1:
		return fmt.Errorf("%s: empty tile %d×%d registers", k.name, k.mr, k.vecs)
	case k.vecs+2+k.mr*k.vecs > regs:
		return fmt.Errorf("%s: %d×%d tile needs %d %s registers, the file has %d", k.name, k.mr, k.vecs, k.vecs+2+k.mr*k.vecs, k.reg, regs)
	case k.zmm() && (k.nr() > 64 || k.vecs > 7):
		return fmt.Errorf("%s: %d columns in %d vectors do not fit the opmasks", k.name, k.nr(), k.vecs)
	case k.directA && k.mr > 3*len(aBases):
		return fmt.Errorf("%s: in-place A kernels take at most %d rows", k.name, 3*len(aBases))
	case k.dots && 4+dotRows*dotCols > 16:
		return fmt.Errorf("%s: dot accumulators beyond register 15", k.name)
	case k.packA > 0 && (k.packA%4 != 0 || k.packA > 16):
		return fmt.Errorf("%s: packA%d is not a multiple of 4 rows up to 16", k.name, k.packA)
	case k.packBT > 0 && (k.packBT%8 != 0 || k.elem != 4):
		return fmt.Errorf("%s: packBT%d is not a float32 multiple of 8 columns", k.name, k.packBT)
	}
	return nil
}

// generate returns the assembly and the gofmt-ed Go declarations of
// the kernel families fams.
func generate(fams []kernel) (asm, goSrc []byte, err error) {
	var w bytes.Buffer
	fmt.Fprintln(&w, "// Code generated by internal/kernel/asm/gemmgen; DO NOT EDIT.")
	fmt.Fprintln(&w)
	fmt.Fprintln(&w, "//go:build !purego")
	fmt.Fprintln(&w)
	fmt.Fprintln(&w, `#include "textflag.h"`)
	var decl bytes.Buffer
	fmt.Fprintln(&decl, "// Code generated by internal/kernel/asm/gemmgen; DO NOT EDIT.")
	fmt.Fprintln(&decl)
	fmt.Fprintln(&decl, "//go:build !purego")
	fmt.Fprintln(&decl)
	fmt.Fprintln(&decl, "package kernel")
	for _, k := range fams {
		if err := check(k); err != nil {
			return nil, nil, err
		}
		for rows := 1; rows <= k.mr; rows++ {
			gen(&w, k, rows, false)
			genDecl(&decl, k, rows, false)
		}
		genRowsTable(&decl, k, false)
		if k.directA {
			for rows := 1; rows <= k.mr; rows++ {
				gen(&w, k, rows, true)
				genDecl(&decl, k, rows, true)
			}
			genRowsTable(&decl, k, true)
		}
		if k.tiled {
			genTiled(&w, k, false)
			genDeclTiled(&decl, k, false)
			if k.directA {
				genTiled(&w, k, true)
				genDeclTiled(&decl, k, true)
			}
		}
		if k.dots {
			genDots(&w, &decl, k)
		}
		if k.packBT > 0 {
			genPackBT(&w, &decl, k.packBT)
		}
		if k.packA > 0 && k.elem == 4 {
			genPackA4s(&w, &decl, k.packA)
		}
		if k.packA > 0 && k.elem == 8 {
			genPackA4sD(&w, &decl, k.packA)
		}
	}
	genPackA6(&w, &decl)
	genPackAT6(&w, &decl)
	genMaskTables(&w)
	src, err := format.Source(decl.Bytes())
	if err != nil {
		return nil, nil, err
	}
	return w.Bytes(), src, nil
}

// kernelName names the micro-kernel of k for tiles of the given rows.
func kernelName(k kernel, rows int, directA bool) string {
	if directA {
		return fmt.Sprintf(k.name, rows) + "A"
	}
	return fmt.Sprintf(k.name, rows)
}

// kernelArgs is the Go parameter list of a micro-kernel: packed A panels,
// or (directA) rows of A read in place with row stride lda.
func kernelArgs(k kernel, directA bool) string {
	t := goType(k)
	if directA {
		return fmt.Sprintf("k int, a []%s, lda int, b []%s, ldb int, c []%s, ldc int, alpha, beta %s, rows, cols int", t, t, t, t)
	}
	return fmt.Sprintf("k int, a, b []%s, ldb int, c []%s, ldc int, alpha, beta %s, rows, cols int", t, t, t)
}

// genRowsTable writes the table of k's micro-kernels indexed by rows-1.
func genRowsTable(w *bytes.Buffer, k kernel, directA bool) {
	name := kernelName(k, k.mr, directA)
	if directA {
		fmt.Fprintf(w, "\n// %sRows[r-1] is the micro-kernel for tiles of r rows read in place.\n", name)
	} else {
		fmt.Fprintf(w, "\n// %sRows[r-1] is the micro-kernel for tiles of r rows: it reads the\n// same %d-row A panels but multiplies only their first r rows.\n", name, k.mr)
	}
	fmt.Fprintf(w, "var %sRows = [%d]func(%s){\n", name, k.mr, kernelArgs(k, directA))
	for r := 1; r <= k.mr; r++ {
		fmt.Fprintf(w, "%s,\n", kernelName(k, r, directA))
	}
	fmt.Fprintln(w, "}")
}

// genDecl writes the Go declaration of a micro-kernel.
func genDecl(w *bytes.Buffer, k kernel, rows int, directA bool) {
	t := goType(k)
	name := kernelName(k, rows, directA)
	if directA {
		fmt.Fprintf(w, "\n// %s is the %s %s micro-kernel for %d×%d tiles with the\n// contract of gemmKernel.microA: row i of the tile's A is a[i*lda:].\n//\n//go:noescape\n", name, k.isa, t, rows, k.nr())
	} else {
		fmt.Fprintf(w, "\n// %s is the %s %s micro-kernel for %d×%d tiles with the\n// contract of gemmKernel.micro.\n//\n//go:noescape\n", name, k.isa, t, rows, k.nr())
	}
	fmt.Fprintf(w, "func %s(%s)\n", name, kernelArgs(k, directA))
}

// Dot kernels compute a dotRows×dotCols tile of dot products between rows
// of A and rows of B, both read in place (the A·Bᵀ case), with one
// accumulator register per dot product and a horizontal sum at the end.
const (
	dotRows = 4
	dotCols = 3
)

// genDots writes the dot kernels of every tile size up to
// dotRows×dotCols, and the Go table that indexes them.
func genDots(w, decl *bytes.Buffer, k kernel) {
	t := goType(k)
	prefix := string(t[len(t)-2:]) // "32" or "64", "32z" or "64z" for ZMM
	if k.zmm() {
		prefix += "z"
	}
	fmt.Fprintf(decl, "\n// %s dot kernels: out[i*%d+j] = Σ_p a[i*lda+p]*b[j*ldb+p] for p < k, i < rows,\n", k.isa, dotCols)
	fmt.Fprintf(decl, "// j < cols; k must be a multiple of %d (the register width).\n", k.lanes)
	for r := 1; r <= dotRows; r++ {
		for c := 1; c <= dotCols; c++ {
			name := fmt.Sprintf("dot%s_%dx%d", prefix, r, c)
			fmt.Fprintf(decl, "\n//go:noescape\nfunc %s(k int, a []%s, lda int, b []%s, ldb int, out *[%d]%s)\n", name, t, t, dotRows*dotCols, t)
			genDot(w, k, name, r, c)
		}
	}
	fmt.Fprintf(decl, "\n// dotKernels%s[r-1][c-1] is the r×c dot kernel.\n", prefix)
	fmt.Fprintf(decl, "var dotKernels%s = [%d][%d]func(k int, a []%s, lda int, b []%s, ldb int, out *[%d]%s){\n", prefix, dotRows, dotCols, t, t, dotRows*dotCols, t)
	for r := 1; r <= dotRows; r++ {
		fmt.Fprint(decl, "{")
		for c := 1; c <= dotCols; c++ {
			fmt.Fprintf(decl, "dot%s_%dx%d, ", prefix, r, c)
		}
		fmt.Fprintln(decl, "},")
	}
	fmt.Fprintln(decl, "}")
}

func genDot(w *bytes.Buffer, k kernel, name string, rows, cols int) {
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	mov := "VMOVUP" + k.suffix[1:]
	vbytes := k.lanes * k.elem
	// Accumulators stay below register 16: the horizontal sums use VEX
	// instructions (VHADDPS), which cannot name X16-X31.
	accR := func(i, j int) int { return 4 + i*cols + j }
	fmt.Fprintf(w, "\n// func %s(k int, a []%s, lda int, b []%s, ldb int, out *[%d]%s)\n", name, goType(k), goType(k), dotRows*dotCols, goType(k))
	fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-80\n", name)
	p("MOVQ k+0(FP), CX")
	p("MOVQ a_base+8(FP), SI")
	p("MOVQ lda+32(FP), AX")
	p("SHLQ $%d, AX", shift(k.elem))
	p("LEAQ (AX)(AX*2), R12")
	p("MOVQ b_base+40(FP), DI")
	p("MOVQ ldb+64(FP), BX")
	p("SHLQ $%d, BX", shift(k.elem))
	p("MOVQ out+72(FP), DX")
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			r := accR(i, j)
			p("VXOR%s %s, %s, %s", k.suffix, k.r(r), k.r(r), k.r(r))
		}
	}
	aRow := []string{"(SI)", "(SI)(AX*1)", "(SI)(AX*2)", "(SI)(R12*1)"}
	bRow := []string{"(DI)", "(DI)(BX*1)", "(DI)(BX*2)"}
	step := func(off int) {
		for j := 0; j < cols; j++ {
			p("%s %d%s, %s", mov, off, bRow[j], k.r(j))
		}
		for i := 0; i < rows; i++ {
			p("%s %d%s, %s", mov, off, aRow[i], k.r(3))
			for j := 0; j < cols; j++ {
				p("VFMADD231%s %s, %s, %s", k.suffix, k.r(j), k.r(3), k.r(accR(i, j)))
			}
		}
	}
	p("SHRQ $%d, CX", shift(k.lanes))
	p("JZ done")
	p("MOVQ CX, R13")
	p("SHRQ $1, R13")
	p("JZ tail")
	fmt.Fprintln(w, "loop2:")
	step(0)
	step(vbytes)
	p("ADDQ $%d, SI", 2*vbytes)
	p("ADDQ $%d, DI", 2*vbytes)
	p("DECQ R13")
	p("JNZ loop2")
	fmt.Fprintln(w, "tail:")
	p("ANDQ $1, CX")
	p("JZ done")
	step(0)
	fmt.Fprintln(w, "done:")
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			r := accR(i, j)
			if k.zmm() {
				if k.elem == 4 {
					p("VEXTRACTF32X8 $1, Z%d, Y0", r)
				} else {
					p("VEXTRACTF64X4 $1, Z%d, Y0", r)
				}
				p("VADD%s Y0, Y%d, Y%d", k.suffix, r, r)
			}
			p("VEXTRACTF128 $1, Y%d, X0", r)
			p("VADD%s X0, X%d, X%d", k.suffix, r, r)
			p("VHADD%s X%d, X%d, X%d", k.suffix, r, r, r)
			if k.elem == 4 {
				p("VHADD%s X%d, X%d, X%d", k.suffix, r, r, r)
			}
			p("%s X%d, %d(DX)", k.movs, r, (i*dotCols+j)*k.elem)
		}
	}
	p("VZEROUPPER")
	p("RET")
}

// acc returns the accumulator register of row i, vector v: after the
// vecs registers of a B row and the two broadcast registers of A.
func acc(k kernel, i, v int) string { return k.r(k.vecs + 2 + k.vecs*i + v) }

func gen(w *bytes.Buffer, k kernel, rows int, directA bool) { genBody(w, k, rows, directA, false) }

// genTiled writes the tiled form of the full-height kernel: it runs the
// tile at A, C, then the next mr rows of A (the next packed panel, or mr
// rows further on when read in place) against the same B panel into the
// next mr rows of C, tiles times, saving a call from Go per tile.
func genTiled(w *bytes.Buffer, k kernel, directA bool) { genBody(w, k, k.mr, directA, true) }

// genDeclTiled writes the Go declaration of a tiled kernel.
func genDeclTiled(w *bytes.Buffer, k kernel, directA bool) {
	name := kernelName(k, k.mr, directA) + "T"
	fmt.Fprintf(w, "\n// %s runs %s on tiles consecutive %d-row tiles of A and C\n// against one B panel (see gemmKernel.microTiles).\n//\n//go:noescape\n", name, kernelName(k, k.mr, directA), k.mr)
	fmt.Fprintf(w, "func %s(%s, tiles int)\n", name, kernelArgs(k, directA))
}

// aBases are the registers that point at rows 0-2, 3-5, … of an A read in
// place (rows base, base+lda, base+2·lda, with lda in R14); at most five,
// so in-place kernels have at most 15 rows.
var aBases = []string{"SI", "R15", "R9", "AX", "R12"}

func genBody(w *bytes.Buffer, k kernel, rows int, directA, tiled bool) {
	name := kernelName(k, rows, directA)
	if tiled {
		name += "T"
	}
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	mr, nr, vbytes := k.mr, k.nr(), k.vbytes()
	mov := "VMOVUP" + k.suffix[1:]
	// Arguments: k int, a, b []T, ldb int, c []T, ldc int, alpha, beta T,
	// rows, cols int.
	// With directA the argument frame has lda after a: every later
	// argument moves 8 bytes on.
	off := 0
	if directA {
		off = 8
	}
	alphaOff := 96 + off
	betaOff := alphaOff + k.elem
	rowsOff := (betaOff + k.elem + 7) / 8 * 8
	colsOff := rowsOff + 8
	argSize := colsOff + 8
	tilesOff := argSize
	frame := 0
	if tiled {
		argSize += 8
		frame = 24 // locals: A and C of the current tile, tiles left
		fmt.Fprintf(w, "\n// func %s(%s, tiles int)\n", name, kernelArgs(k, directA))
	} else {
		fmt.Fprintf(w, "\n// func %s(%s)\n", name, kernelArgs(k, directA))
	}
	if directA {
		fmt.Fprintf(w, "//\n// c[i*ldc+j] = alpha*Σ_p a[i*lda+p]*b[p*ldb+j] + beta*c[i*ldc+j] for i < rows <= %d, j < cols <= %d;\n", mr, nr)
	} else {
		fmt.Fprintf(w, "//\n// c[i*ldc+j] = alpha*Σ_p a[p*%d+i]*b[p*ldb+j] + beta*c[i*ldc+j] for i < rows <= %d, j < cols <= %d;\n", mr, mr, nr)
	}
	fmt.Fprintf(w, "// beta == 0 overwrites c. Requires k >= 1. Partial tiles store through masks.\n")
	fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $%d-%d\n", name, frame, argSize)
	if directA {
		p("MOVQ lda+32(FP), R14") // lda in bytes
		p("SHLQ $%d, R14", shift(k.elem))
	}
	p("MOVQ ldb+%d(FP), R10", 56+off)
	p("SHLQ $%d, R10", shift(k.elem))
	p("LEAQ (R10)(R10*2), R11")
	p("MOVQ ldc+%d(FP), R8", 88+off)
	p("SHLQ $%d, R8", shift(k.elem))
	p("MOVQ a_base+8(FP), SI")
	p("MOVQ c_base+%d(FP), DX", 64+off)
	if tiled {
		p("MOVQ SI, atile-8(SP)")
		p("MOVQ DX, ctile-16(SP)")
		p("MOVQ tiles+%d(FP), AX", tilesOff)
		p("MOVQ AX, left-24(SP)")
		fmt.Fprintln(w, "tile:")
		p("MOVQ atile-8(SP), SI")
		p("MOVQ ctile-16(SP), DX")
	}
	p("MOVQ k+0(FP), CX")
	p("MOVQ b_base+%d(FP), DI", 32+off)
	// Prefetch the C tile so its lines arrive while we compute.
	p("MOVQ DX, R9")
	for i := 0; i < rows; i++ {
		p("PREFETCHT0 (R9)")
		p("PREFETCHT0 %d(R9)", nr*k.elem-1)
		if i < rows-1 {
			p("ADDQ R8, R9")
		}
	}
	bases := (rows + 2) / 3
	if directA && bases > 1 {
		// Row pointers of A, three rows apart.
		p("LEAQ (R14)(R14*2), BX")
		for b := 1; b < bases; b++ {
			p("LEAQ (%s)(BX*1), %s", aBases[b-1], aBases[b])
		}
	}
	// R13 walks ahead of DI for B prefetches, four rows per iteration:
	// packed panels (ldb = nr) prefetch 8 steps ahead; B read in place
	// prefetches the same rows of the next panel (one panel to the right),
	// whose lines lie in the same pages.
	p("MOVQ $%d, R13", 8*nr*k.elem)
	p("CMPQ R10, $%d", nr*k.elem)
	p("JEQ pfset")
	p("MOVQ $%d, R13", nr*k.elem)
	fmt.Fprintln(w, "pfset:")
	p("ADDQ DI, R13")
	for i := 0; i < rows; i++ {
		for v := 0; v < k.vecs; v++ {
			p("VXOR%s %s, %s, %s", k.suffix, acc(k, i, v), acc(k, i, v), acc(k, i, v))
		}
	}
	p("MOVQ CX, BX")
	p("SHRQ $%d, BX", shift(unroll))
	p("JZ tail")
	fmt.Fprintln(w, "loop4:")
	for u, row := range []string{"", "(R10*1)", "(R10*2)", "(R11*1)"} {
		if directA {
			stepA(p, k, rows, u*k.elem, row)
		} else {
			step(p, k, rows, u*mr*k.elem, row)
		}
	}
	if !directA {
		for l := 0; l < k.pfA; l++ {
			p("PREFETCHT0 %d(SI)", 8*mr*k.elem*unroll+64*l)
		}
	}
	for _, row := range []string{"", "(R10*1)", "(R10*2)", "(R11*1)"} {
		for l := 0; l < nr*k.elem; l += 64 {
			if l == 0 {
				p("PREFETCHT0 (R13)%s", row)
			} else {
				p("PREFETCHT0 %d(R13)%s", l, row)
			}
		}
	}
	if directA {
		for b := 0; b < bases; b++ {
			p("ADDQ $%d, %s", unroll*k.elem, aBases[b])
		}
	} else {
		p("ADDQ $%d, SI", unroll*mr*k.elem)
	}
	p("LEAQ (DI)(R10*4), DI")
	p("LEAQ (R13)(R10*4), R13")
	p("DECQ BX")
	p("JNZ loop4")
	fmt.Fprintln(w, "tail:")
	p("ANDQ $%d, CX", unroll-1)
	p("JZ done")
	fmt.Fprintln(w, "loop1:")
	if directA {
		stepA(p, k, rows, 0, "")
		for b := 0; b < bases; b++ {
			p("ADDQ $%d, %s", k.elem, aBases[b])
		}
	} else {
		step(p, k, rows, 0, "")
		p("ADDQ $%d, SI", mr*k.elem)
	}
	p("ADDQ R10, DI")
	p("DECQ CX")
	p("JNZ loop1")
	fmt.Fprintln(w, "done:")
	p("%s alpha+%d(FP), %s", k.bcast, alphaOff, k.r(0))
	for i := 0; i < rows; i++ {
		for v := 0; v < k.vecs; v++ {
			p("VMUL%s %s, %s, %s", k.suffix, k.r(0), acc(k, i, v), acc(k, i, v))
		}
	}
	p("MOVQ rows+%d(FP), R12", rowsOff)
	p("MOVQ cols+%d(FP), AX", colsOff)
	p("%s beta+%d(FP), X1", k.movs, betaOff)
	p("VXORPS X2, X2, X2")
	p("%s X2, X1", k.ucom)
	p("SETNE BX")
	p("SETPS R9")
	p("ORB R9, BX") // BX != 0: beta != 0 (or NaN), read C
	p("%s beta+%d(FP), %s", k.bcast, betaOff, k.r(1))
	p("CMPQ AX, $%d", nr)
	p("JNE masked")
	// With beta != 0 every row of C is read (into the accumulators)
	// before any is written: a load of C's next row after a store to
	// its previous one would be held up behind the store whenever the
	// row stride is a multiple of 4 KiB (the two addresses agree in
	// their low 12 bits), and with 12 rows per tile that was 11 stalls
	// per tile. Then the rows are stored.
	rowLoop := func(end string, body func(i int)) {
		for i := 0; i < rows; i++ {
			body(i)
			if i < rows-1 {
				p("DECQ R12")
				p("JZ %s", end)
				p("ADDQ R8, DX")
			}
		}
	}
	// readC emits the pass that adds beta*C to the accumulators, from
	// label+"_read" when BX != 0, and falls through to label's stores
	// with DX and R12 reset.
	readC := func(label string, body func(i int)) {
		p("TESTB BX, BX")
		p("JZ %s", label)
		p("MOVQ DX, R9")
		rowLoop(label+"_read", body)
		fmt.Fprintln(w, label+"_read:")
		p("MOVQ R9, DX")
		p("MOVQ rows+%d(FP), R12", rowsOff)
		fmt.Fprintln(w, label+":")
	}
	// Whole rows: plain stores, stopping after the last valid row.
	readC("full", func(i int) {
		for v := 0; v < k.vecs; v++ {
			p("VFMADD231%s %d(DX), %s, %s", k.suffix, v*vbytes, k.r(1), acc(k, i, v))
		}
	})
	rowLoop("ret", func(i int) {
		for v := 0; v < k.vecs; v++ {
			p("%s %s, %d(DX)", mov, acc(k, i, v), v*vbytes)
		}
	})
	p("JMP ret")
	// Partial rows: masked loads and stores of the first cols lanes.
	fmt.Fprintln(w, "masked:")
	if k.zmm() {
		// Opmask K(1+v) holds the lanes of vector v: bits v*lanes… of
		// (1<<cols)-1. Masked-off lanes are neither loaded nor stored.
		p("MOVQ AX, CX")
		p("MOVQ $1, R13")
		p("SHLQ CX, R13")
		p("DECQ R13")
		for v := 0; v < k.vecs; v++ {
			p("KMOVW R13, K%d", 1+v)
			if v < k.vecs-1 {
				p("SHRQ $%d, R13", k.lanes)
			}
		}
	} else {
		tbl := "gemmMask32<>"
		if k.elem == 8 {
			tbl = "gemmMask64<>"
		}
		p("LEAQ %s+%d(SB), R13", tbl, nr*k.elem)
		p("SHLQ $%d, AX", shift(k.elem))
		p("SUBQ AX, R13")
		for v := 0; v < k.vecs; v++ {
			p("VMOVDQU %d(R13), Y%d", v*vbytes, 2+v)
		}
	}
	readC("masked_store", func(i int) {
		for v := 0; v < k.vecs; v++ {
			if k.zmm() {
				p("VFMADD231%s %d(DX), %s, K%d, %s", k.suffix, v*vbytes, k.r(1), 1+v, acc(k, i, v))
				continue
			}
			p("VMASKMOV%s %d(DX), Y%d, Y0", k.suffix, v*vbytes, 2+v)
			p("VFMADD231%s Y0, Y1, %s", k.suffix, acc(k, i, v))
		}
	})
	rowLoop("ret", func(i int) {
		for v := 0; v < k.vecs; v++ {
			if k.zmm() {
				p("%s %s, K%d, %d(DX)", mov, acc(k, i, v), 1+v, v*vbytes)
				continue
			}
			p("VMASKMOV%s %s, Y%d, %d(DX)", k.suffix, acc(k, i, v), 2+v, v*vbytes)
		}
	})
	fmt.Fprintln(w, "ret:")
	if tiled {
		p("MOVQ left-24(SP), AX")
		p("DECQ AX")
		p("JZ end")
		p("MOVQ AX, left-24(SP)")
		if directA {
			p("MOVQ R14, AX") // mr rows of A further on
			p("IMULQ $%d, AX", mr)
		} else {
			p("MOVQ k+0(FP), AX") // the next packed panel: mr*k values on
			p("IMULQ $%d, AX", mr*k.elem)
		}
		p("ADDQ AX, atile-8(SP)")
		p("MOVQ R8, AX") // mr rows of C further on
		p("IMULQ $%d, AX", mr)
		p("ADDQ AX, ctile-16(SP)")
		p("JMP tile")
		fmt.Fprintln(w, "end:")
	}
	p("VZEROUPPER")
	p("RET")
}

// step emits one k step: load the vecs B vectors from row bRow (an index
// expression on DI), then for each row broadcast A and multiply-add into
// the row's accumulators.
func step(p func(string, ...any), k kernel, rows, aOff int, bRow string) {
	for v := 0; v < k.vecs; v++ {
		p("VMOVUP%s %d(DI)%s, %s", k.suffix[1:], v*k.vbytes(), bRow, k.r(v))
	}
	for i := 0; i < rows; i++ {
		r := k.r(k.vecs + i%2)
		p("%s %d(SI), %s", k.bcast, aOff+i*k.elem, r)
		for v := 0; v < k.vecs; v++ {
			p("VFMADD231%s %s, %s, %s", k.suffix, k.r(v), r, acc(k, i, v))
		}
	}
}

// stepA is step for A read in place: row i's value for this k step is at
// displacement aOff from its row pointer (aBases[i/3] plus (i%3)·lda, with
// lda in R14).
func stepA(p func(string, ...any), k kernel, rows, aOff int, bRow string) {
	for v := 0; v < k.vecs; v++ {
		p("VMOVUP%s %d(DI)%s, %s", k.suffix[1:], v*k.vbytes(), bRow, k.r(v))
	}
	for i := 0; i < rows; i++ {
		r := k.r(k.vecs + i%2)
		addr := "(" + aBases[i/3] + ")" + []string{"", "(R14*1)", "(R14*2)"}[i%3]
		p("%s %d%s, %s", k.bcast, aOff, addr, r)
		for v := 0; v < k.vecs; v++ {
			p("VFMADD231%s %s, %s, %s", k.suffix, k.r(v), r, acc(k, i, v))
		}
	}
}

func goType(k kernel) string {
	if k.elem == 4 {
		return "float32"
	}
	return "float64"
}

func shift(n int) int {
	s := 0
	for 1<<s < n {
		s++
	}
	return s
}

// genPackBT writes the float32 packing routine for a transposed B: nr
// stored rows (columns of op(B)) become one nr-wide panel, 8 steps of k at
// a time, through nr/8 8×8 register transposes.
func genPackBT(w, decl *bytes.Buffer, nr int) {
	name := fmt.Sprintf("packBT%d", nr)
	fmt.Fprintf(decl, `
// %s packs d[p*%d+j] = b[j*ldb+p] for j < %d and p < k, k a multiple
// of 8: one %d-column panel of op(B) = Bᵀ, transposed 8×8 at a time.
//
//go:noescape
func %s(k int, b []float32, ldb int, d []float32)
`, name, nr, nr, nr, name)
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	fmt.Fprintf(w, "\n// func %s(k int, b []float32, ldb int, d []float32)\n", name)
	fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-64\n", name)
	p("MOVQ k+0(FP), CX")
	p("MOVQ b_base+8(FP), SI")
	p("MOVQ ldb+32(FP), R8")
	p("SHLQ $2, R8")
	p("LEAQ (R8)(R8*2), R9")
	p("MOVQ R8, R12")
	p("SHLQ $3, R12") // eight stored rows
	p("MOVQ d_base+40(FP), DI")
	p("SHRQ $3, CX")
	p("JZ done")
	fmt.Fprintln(w, "loop:")
	for blk := 0; blk < nr/8; blk++ {
		if blk == 0 {
			p("MOVQ SI, R10")
		} else {
			p("ADDQ R12, R10")
		}
		p("LEAQ (R10)(R8*4), R11")
		rows := []string{"(R10)", "(R10)(R8*1)", "(R10)(R8*2)", "(R10)(R9*1)", "(R11)", "(R11)(R8*1)", "(R11)(R8*2)", "(R11)(R9*1)"}
		for i, r := range rows {
			p("VMOVUPS %s, Y%d", r, i)
		}
		// Interleave pairs of rows.
		for i := 0; i < 4; i++ {
			p("VUNPCKLPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 8+2*i)
			p("VUNPCKHPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 9+2*i)
		}
		// Gather groups of four.
		for g := 0; g < 2; g++ {
			t := 8 + 4*g
			p("VSHUFPS $0x44, Y%d, Y%d, Y%d", t+2, t, 4*g)
			p("VSHUFPS $0xEE, Y%d, Y%d, Y%d", t+2, t, 4*g+1)
			p("VSHUFPS $0x44, Y%d, Y%d, Y%d", t+3, t+1, 4*g+2)
			p("VSHUFPS $0xEE, Y%d, Y%d, Y%d", t+3, t+1, 4*g+3)
		}
		// Swap 128-bit halves and store step q at d[q*nr + blk*8].
		for q := 0; q < 8; q++ {
			imm := "$0x20"
			if q >= 4 {
				imm = "$0x31"
			}
			p("VPERM2F128 %s, Y%d, Y%d, Y%d", imm, 4+q%4, q%4, 8+q)
			p("VMOVUPS Y%d, %d(DI)", 8+q, q*nr*4+blk*32)
		}
	}
	p("ADDQ $32, SI")
	p("ADDQ $%d, DI", nr*32)
	p("DECQ CX")
	p("JNZ loop")
	fmt.Fprintln(w, "done:")
	p("VZEROUPPER")
	p("RET")
}

// genMaskTables writes the lane masks of the partial-tile stores: for c
// valid columns, the kernel loads its two YMM masks from element nr-c and
// nr-c+lanes of a table of nr all-ones lanes followed by nr zero lanes.
func genMaskTables(w *bytes.Buffer) {
	fmt.Fprintln(w)
	for i := 0; i < 32; i++ {
		v := "0xffffffff"
		if i >= 16 {
			v = "0"
		}
		fmt.Fprintf(w, "DATA gemmMask32<>+%d(SB)/4, $%s\n", 4*i, v)
	}
	fmt.Fprintln(w, "GLOBL gemmMask32<>(SB), RODATA|NOPTR, $128")
	fmt.Fprintln(w)
	for i := 0; i < 16; i++ {
		v := "0xffffffffffffffff"
		if i >= 8 {
			v = "0"
		}
		fmt.Fprintf(w, "DATA gemmMask64<>+%d(SB)/8, $%s\n", 8*i, v)
	}
	fmt.Fprintln(w, "GLOBL gemmMask64<>(SB), RODATA|NOPTR, $128")
}

// genPackA6 writes the float32 packing routine for six rows of a
// row-major A: d[p*6+i] = a[i*lda+p], 8 steps of k at a time through an
// 8×8 register transpose whose two spare rows are ignored.
func genPackA6(w, decl *bytes.Buffer) {
	fmt.Fprint(decl, `
// packA6 packs d[p*6+i] = a[i*lda+p] for i < 6 and p < k, k a multiple of
// 8: one 6-row panel of a row-major A.
//
//go:noescape
func packA6(k int, a []float32, lda int, d []float32)
`)
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	fmt.Fprintln(w, "\n// func packA6(k int, a []float32, lda int, d []float32)")
	fmt.Fprintln(w, "TEXT ·packA6(SB), NOSPLIT, $0-64")
	p("MOVQ k+0(FP), CX")
	p("MOVQ a_base+8(FP), SI")
	p("MOVQ lda+32(FP), R8")
	p("SHLQ $2, R8")
	p("LEAQ (R8)(R8*2), R9")
	p("LEAQ (SI)(R8*4), R10")
	p("MOVQ d_base+40(FP), DI")
	p("SHRQ $3, CX")
	p("JZ done")
	fmt.Fprintln(w, "loop:")
	rows := []string{"(SI)", "(SI)(R8*1)", "(SI)(R8*2)", "(SI)(R9*1)", "(R10)", "(R10)(R8*1)"}
	for i, r := range rows {
		p("VMOVUPS %s, Y%d", r, i)
	}
	// Rows 6 and 7 do not exist: pair row 4 with row 5 only.
	for i := 0; i < 3; i++ {
		p("VUNPCKLPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 8+2*i)
		p("VUNPCKHPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 9+2*i)
	}
	// Rows 0-3: groups of four; rows 4-5: pairs (the upper half of each
	// 128-bit lane is then garbage that is never stored).
	p("VSHUFPS $0x44, Y10, Y8, Y0")
	p("VSHUFPS $0xEE, Y10, Y8, Y1")
	p("VSHUFPS $0x44, Y11, Y9, Y2")
	p("VSHUFPS $0xEE, Y11, Y9, Y3")
	p("VSHUFPS $0x44, Y12, Y12, Y4")
	p("VSHUFPS $0xEE, Y12, Y12, Y5")
	p("VSHUFPS $0x44, Y13, Y13, Y6")
	p("VSHUFPS $0xEE, Y13, Y13, Y7")
	// Step q: rows 0-3 are lane half q/4 of Y(q%4), rows 4-5 the low 64
	// bits of the same half of Y(4+q%4).
	for q := 0; q < 8; q++ {
		lo, hi := q%4, 4+q%4
		if q < 4 {
			p("VMOVUPS X%d, %d(DI)", lo, q*24)
			p("VMOVSD X%d, %d(DI)", hi, q*24+16)
		} else {
			p("VEXTRACTF128 $1, Y%d, X14", lo)
			p("VEXTRACTF128 $1, Y%d, X15", hi)
			p("VMOVUPS X14, %d(DI)", q*24)
			p("VMOVSD X15, %d(DI)", q*24+16)
		}
	}
	p("ADDQ $32, SI")
	p("ADDQ $32, R10")
	p("ADDQ $192, DI")
	p("DECQ CX")
	p("JNZ loop")
	fmt.Fprintln(w, "done:")
	p("VZEROUPPER")
	p("RET")
}

// genPackA4s writes the float32 packing routine for mr rows of a
// row-major A, mr a multiple of 4: d[p*mr+i] = a[i*lda+p], 8 steps of k
// at a time, each group of four rows through a 4×8 register transpose.
func genPackA4s(w, decl *bytes.Buffer, mr int) {
	name := fmt.Sprintf("packA%d", mr)
	fmt.Fprintf(decl, `
// %s packs d[p*%d+i] = a[i*lda+p] for i < %d and p < k, k a multiple of
// 8: one %d-row panel of a row-major A.
//
//go:noescape
func %s(k int, a []float32, lda int, d []float32)
`, name, mr, mr, mr, name)
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	fmt.Fprintf(w, "\n// func %s(k int, a []float32, lda int, d []float32)\n", name)
	fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-64\n", name)
	bases := []string{"SI", "R10", "R11", "R12"}[:mr/4]
	p("MOVQ k+0(FP), CX")
	p("MOVQ a_base+8(FP), SI")
	p("MOVQ lda+32(FP), R8")
	p("SHLQ $2, R8")
	p("LEAQ (R8)(R8*2), R9")
	for g := 1; g < len(bases); g++ {
		p("LEAQ (%s)(R8*4), %s", bases[g-1], bases[g])
	}
	p("MOVQ d_base+40(FP), DI")
	p("SHRQ $3, CX")
	p("JZ done")
	fmt.Fprintln(w, "loop:")
	for g, b := range bases {
		for i, r := range []string{"(%s)", "(%s)(R8*1)", "(%s)(R8*2)", "(%s)(R9*1)"} {
			p("VMOVUPS "+r+", Y%d", b, i)
		}
		p("VUNPCKLPS Y1, Y0, Y8")
		p("VUNPCKHPS Y1, Y0, Y9")
		p("VUNPCKLPS Y3, Y2, Y10")
		p("VUNPCKHPS Y3, Y2, Y11")
		// Y(q%4) holds the four rows of step q in lane half q/4.
		p("VSHUFPS $0x44, Y10, Y8, Y0")
		p("VSHUFPS $0xEE, Y10, Y8, Y1")
		p("VSHUFPS $0x44, Y11, Y9, Y2")
		p("VSHUFPS $0xEE, Y11, Y9, Y3")
		for q := 0; q < 8; q++ {
			if q < 4 {
				p("VMOVUPS X%d, %d(DI)", q, q*mr*4+g*16)
			} else {
				p("VEXTRACTF128 $1, Y%d, X14", q%4)
				p("VMOVUPS X14, %d(DI)", q*mr*4+g*16)
			}
		}
	}
	for _, b := range bases {
		p("ADDQ $32, %s", b)
	}
	p("ADDQ $%d, DI", 8*mr*4)
	p("DECQ CX")
	p("JNZ loop")
	fmt.Fprintln(w, "done:")
	p("VZEROUPPER")
	p("RET")
}

// genPackA4sD writes the float64 packing routine for mr rows of a
// row-major A, mr a multiple of 4: d[p*mr+i] = a[i*lda+p], 4 steps of k
// at a time, each group of four rows through a 4×4 register transpose.
func genPackA4sD(w, decl *bytes.Buffer, mr int) {
	name := fmt.Sprintf("packA%dD", mr)
	fmt.Fprintf(decl, `
// %s packs d[p*%d+i] = a[i*lda+p] for i < %d and p < k, k a multiple of
// 4: one %d-row panel of a row-major float64 A.
//
//go:noescape
func %s(k int, a []float64, lda int, d []float64)
`, name, mr, mr, mr, name)
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	fmt.Fprintf(w, "\n// func %s(k int, a []float64, lda int, d []float64)\n", name)
	fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-64\n", name)
	bases := []string{"SI", "R10", "R11", "R12"}[:mr/4]
	p("MOVQ k+0(FP), CX")
	p("MOVQ a_base+8(FP), SI")
	p("MOVQ lda+32(FP), R8")
	p("SHLQ $3, R8")
	p("LEAQ (R8)(R8*2), R9")
	for g := 1; g < len(bases); g++ {
		p("LEAQ (%s)(R8*4), %s", bases[g-1], bases[g])
	}
	p("MOVQ d_base+40(FP), DI")
	p("SHRQ $2, CX")
	p("JZ done")
	fmt.Fprintln(w, "loop:")
	for g, b := range bases {
		for i, r := range []string{"(%s)", "(%s)(R8*1)", "(%s)(R8*2)", "(%s)(R9*1)"} {
			p("VMOVUPD "+r+", Y%d", b, i)
		}
		// Pairs of rows interleaved within 128-bit lanes, then the lanes
		// of rows 0-1 and 2-3 combined: Y(4+q) holds step q's four rows.
		p("VUNPCKLPD Y1, Y0, Y8")
		p("VUNPCKHPD Y1, Y0, Y9")
		p("VUNPCKLPD Y3, Y2, Y10")
		p("VUNPCKHPD Y3, Y2, Y11")
		p("VPERM2F128 $0x20, Y10, Y8, Y4")
		p("VPERM2F128 $0x20, Y11, Y9, Y5")
		p("VPERM2F128 $0x31, Y10, Y8, Y6")
		p("VPERM2F128 $0x31, Y11, Y9, Y7")
		for q := 0; q < 4; q++ {
			p("VMOVUPD Y%d, %d(DI)", 4+q, q*mr*8+g*32)
		}
	}
	for _, b := range bases {
		p("ADDQ $32, %s", b)
	}
	p("ADDQ $%d, DI", 4*mr*8)
	p("DECQ CX")
	p("JNZ loop")
	fmt.Fprintln(w, "done:")
	p("VZEROUPPER")
	p("RET")
}

// genPackAT6 writes the float32 packing routine for a transposed A: each
// stored row of Aᵀ (one step of k) is dealt out six values at a time to
// consecutive 6-row panels.
func genPackAT6(w, decl *bytes.Buffer) {
	fmt.Fprint(decl, `
// packAT6 packs d[ip*6*k+p*6+i] = a[p*lda+ip*6+i] for p < k, ip < panels
// and i < 6: panels 6-row panels of op(A) = Aᵀ.
//
//go:noescape
func packAT6(k int, a []float32, lda int, panels int, d []float32)
`)
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	fmt.Fprintln(w, "\n// func packAT6(k int, a []float32, lda int, panels int, d []float32)")
	fmt.Fprintln(w, "TEXT ·packAT6(SB), NOSPLIT, $0-72")
	p("MOVQ k+0(FP), CX")
	p("MOVQ a_base+8(FP), SI")
	p("MOVQ lda+32(FP), R8")
	p("SHLQ $2, R8")
	p("MOVQ panels+40(FP), R9")
	p("MOVQ d_base+48(FP), DI")
	p("LEAQ (CX)(CX*2), R10")
	p("SHLQ $3, R10") // 6*k*4 bytes per panel
	p("TESTQ CX, CX")
	p("JZ done")
	p("TESTQ R9, R9")
	p("JZ done")
	fmt.Fprintln(w, "row:")
	p("MOVQ SI, R11")
	p("MOVQ DI, R12")
	p("MOVQ R9, BX")
	fmt.Fprintln(w, "panel:")
	p("VMOVUPS (R11), X0")
	p("VMOVSD 16(R11), X1")
	p("VMOVUPS X0, (R12)")
	p("VMOVSD X1, 16(R12)")
	p("ADDQ $24, R11")
	p("ADDQ R10, R12")
	p("DECQ BX")
	p("JNZ panel")
	p("ADDQ R8, SI")
	p("ADDQ $24, DI")
	p("DECQ CX")
	p("JNZ row")
	fmt.Fprintln(w, "done:")
	p("RET")
}
