//go:build !purego

#include "textflag.h"

// AVX2 row kernels for float32 im2col and col2im with strideW == 1. One
// call handles one whole row of the columns matrix (one (ci, ki, kj)), all
// output rows oh, so the call overhead is paid once per row rather than once
// per output row. The Go wrappers in im2col_amd64.go check all index ranges.

// im2colMask holds eight all-ones lanes then eight zero lanes: the eight
// lanes from entry 8-n on are the VMASKMOVPS mask for the first n lanes.
DATA im2colMask<>+0(SB)/4, $-1
DATA im2colMask<>+4(SB)/4, $-1
DATA im2colMask<>+8(SB)/4, $-1
DATA im2colMask<>+12(SB)/4, $-1
DATA im2colMask<>+16(SB)/4, $-1
DATA im2colMask<>+20(SB)/4, $-1
DATA im2colMask<>+24(SB)/4, $-1
DATA im2colMask<>+28(SB)/4, $-1
DATA im2colMask<>+32(SB)/4, $0
DATA im2colMask<>+36(SB)/4, $0
DATA im2colMask<>+40(SB)/4, $0
DATA im2colMask<>+44(SB)/4, $0
DATA im2colMask<>+48(SB)/4, $0
DATA im2colMask<>+52(SB)/4, $0
DATA im2colMask<>+56(SB)/4, $0
DATA im2colMask<>+60(SB)/4, $0
GLOBL im2colMask<>(SB), RODATA|NOPTR, $64

// im2colIota holds the lane numbers 0..7.
DATA im2colIota<>+0(SB)/4, $0
DATA im2colIota<>+4(SB)/4, $1
DATA im2colIota<>+8(SB)/4, $2
DATA im2colIota<>+12(SB)/4, $3
DATA im2colIota<>+16(SB)/4, $4
DATA im2colIota<>+20(SB)/4, $5
DATA im2colIota<>+24(SB)/4, $6
DATA im2colIota<>+28(SB)/4, $7
GLOBL im2colIota<>(SB), RODATA|NOPTR, $32

// func im2colRowAVX2(in, out *float32, w, outW, ohw, ohLo, ohHi, owLo, owHi, offW, offH, strideH int)
//
// out[oh*outW+ow] = in[(oh*strideH+offH)*w+ow+offW] for oh in [ohLo, ohHi)
// and ow in [owLo, owHi), and 0 for the rest of out[:ohw]. Nothing outside
// out[:ohw] is written and no pixel outside that range of in is read.
//
// It works on the row as one flat array of ohw floats: first the zero rows
// oh < ohLo, then the valid rows, then the zero rows oh >= ohHi. A valid
// row goes in 8-lane chunks from ow = 0: a masked load keeps the lanes with
// ow in [owLo, owHi) (masked-off lanes read as zero and never fault), and a
// full 8-lane store writes them; its lanes past outW spill into the next
// output row, which a later store overwrites. Only a store that would cross
// the end of out[:ohw] is masked.
TEXT ·im2colRowAVX2(SB), NOSPLIT, $0-96
	MOVQ in+0(FP), SI
	MOVQ out+8(FP), DI
	MOVQ w+16(FP), DX
	MOVQ outW+24(FP), R8
	MOVQ ohw+32(FP), R9
	MOVQ ohLo+40(FP), R10
	MOVQ ohHi+48(FP), R11

	VPXOR Y11, Y11, Y11 // zeros

	// Zero out[:ohLo*outW].
	MOVQ  R10, AX
	IMULQ R8, AX
	XORQ  BX, BX

zeroHead:
	CMPQ BX, AX
	JGE  valid
	LEAQ 8(BX), CX
	CMPQ CX, R9
	JGT  zeroHeadTail
	VMOVUPS Y11, (DI)(BX*4)
	MOVQ CX, BX
	JMP  zeroHead

zeroHeadTail:
	SUBQ R9, CX // 8 - lanes left before ohw
	LEAQ im2colMask<>(SB), DX
	VMOVDQU (DX)(CX*4), Y10
	VMASKMOVPS Y11, Y10, (DI)(BX*4)
	MOVQ w+16(FP), DX

valid:
	CMPQ R10, R11
	JGE  zeroTail

	VMOVDQU im2colIota<>(SB), Y15
	MOVQ    owLo+56(FP), AX
	DECQ    AX
	VMOVD   AX, X14
	VPBROADCASTD X14, Y14 // owLo-1
	MOVQ    owHi+64(FP), AX
	VMOVD   AX, X13
	VPBROADCASTD X13, Y13 // owHi
	MOVL    $8, AX
	VMOVD   AX, X12
	VPBROADCASTD X12, Y12 // 8

	// R12 = &in[(ohLo*strideH+offH)*w+offW], R13 = strideH*w*4 (its step)
	MOVQ  strideH+88(FP), R13
	MOVQ  R10, AX
	IMULQ R13, AX
	ADDQ  offH+80(FP), AX
	IMULQ DX, AX
	ADDQ  offW+72(FP), AX
	LEAQ  (SI)(AX*4), R12
	IMULQ DX, R13
	SHLQ  $2, R13

	// AX = &out[ohLo*outW], SI = ohw - ohLo*outW - 8: a chunk at ow = j
	// needs a masked store when j > SI.
	MOVQ  R10, BX
	IMULQ R8, BX
	LEAQ  (DI)(BX*4), AX
	MOVQ  R9, SI
	SUBQ  BX, SI
	SUBQ  $8, SI
	LEAQ  0(R8*4), DX // output row step in bytes
	SUBQ  R10, R11    // valid rows left
	LEAQ  im2colMask<>(SB), R10

	// 8 < outW <= 16: the two chunks of a row have fixed masks (Y8, Y9),
	// and every valid row but the last stores both in full: a next row
	// follows, so 16 floats fit before ohw. The last row takes the
	// general path.
	CMPQ     R8, $8
	JLE      validRow
	CMPQ     R8, $16
	JGT      validRow
	VPCMPGTD Y14, Y15, Y1
	VPCMPGTD Y15, Y13, Y2
	VPAND    Y1, Y2, Y8
	VPADDD   Y12, Y15, Y0
	VPCMPGTD Y14, Y0, Y1
	VPCMPGTD Y0, Y13, Y2
	VPAND    Y1, Y2, Y9

pairRow:
	CMPQ       R11, $1
	JLE        validRow
	VMASKMOVPS (R12), Y8, Y3
	VMASKMOVPS 32(R12), Y9, Y4
	VMOVUPS    Y3, (AX)
	VMOVUPS    Y4, 32(AX)
	ADDQ       R13, R12
	ADDQ       DX, AX
	SUBQ       R8, SI
	DECQ       R11
	JMP        pairRow

validRow:
	VMOVDQU Y15, Y0 // ow of each lane
	XORQ    CX, CX

validChunk:
	VPCMPGTD   Y14, Y0, Y1 // ow > owLo-1
	VPCMPGTD   Y0, Y13, Y2 // owHi > ow
	VPAND      Y1, Y2, Y2
	VMASKMOVPS (R12)(CX*4), Y2, Y3
	CMPQ       CX, SI
	JGT        validChunkTail
	VMOVUPS    Y3, (AX)(CX*4)

validChunkNext:
	VPADDD Y12, Y0, Y0
	ADDQ   $8, CX
	CMPQ   CX, R8
	JLT    validChunk

	ADDQ R13, R12
	ADDQ DX, AX
	SUBQ R8, SI
	DECQ R11
	JNZ  validRow
	JMP  zeroTail

validChunkTail:
	MOVQ    CX, BX
	SUBQ    SI, BX // 8 - lanes left before ohw, in 1..7
	VMOVDQU (R10)(BX*4), Y4
	VMASKMOVPS Y3, Y4, (AX)(CX*4)
	JMP     validChunkNext

zeroTail:
	// Zero out[ohHi*outW:ohw].
	MOVQ  ohHi+48(FP), BX
	IMULQ R8, BX

zeroTailLoop:
	CMPQ BX, R9
	JGE  done
	LEAQ 8(BX), CX
	CMPQ CX, R9
	JGT  zeroTailLast
	VMOVUPS Y11, (DI)(BX*4)
	MOVQ CX, BX
	JMP  zeroTailLoop

zeroTailLast:
	SUBQ R9, CX
	LEAQ im2colMask<>(SB), DX
	VMOVDQU (DX)(CX*4), Y10
	VMASKMOVPS Y11, Y10, (DI)(BX*4)

done:
	VZEROUPPER
	RET

// func col2imRowAVX2(col, img *float32, w, outW, ohLo, ohHi, owLo, owHi, offW, offH, strideH int)
//
// img[(oh*strideH+offH)*w+ow+offW] += col[oh*outW+ow] for oh in
// [ohLo, ohHi) and ow in [owLo, owHi); ohLo < ohHi and owLo < owHi. Nothing
// outside the segments is read or written, and the sums are the same single
// additions, in the same order, as the Go loop's.
//
// A segment of n >= 8 pixels goes 8 lanes at a time, and its last, partial
// chunk as the 8 lanes ending at n: both that chunk and the one before it
// are loaded and summed before either is stored, so the lanes they share
// hold the same single sum in both and may be stored twice. That avoids
// masked stores, which are slow on some CPUs (AMD Zen). Segments shorter
// than 8 pixels use masked loads and a masked store.
TEXT ·col2imRowAVX2(SB), NOSPLIT, $0-88
	MOVQ col+0(FP), SI
	MOVQ img+8(FP), DI
	MOVQ w+16(FP), DX
	MOVQ outW+24(FP), R8
	MOVQ ohLo+32(FP), R10
	MOVQ ohHi+40(FP), R11
	MOVQ owLo+48(FP), AX
	MOVQ owHi+56(FP), BX
	MOVQ strideH+80(FP), R12

	SUBQ AX, BX // segment length n

	// SI = &col[ohLo*outW+owLo]
	MOVQ  R10, R13
	IMULQ R8, R13
	ADDQ  AX, R13
	LEAQ  (SI)(R13*4), SI

	// DI = &img[(ohLo*strideH+offH)*w+owLo+offW]
	MOVQ  R10, R13
	IMULQ R12, R13
	ADDQ  offH+72(FP), R13
	IMULQ DX, R13
	ADDQ  AX, R13
	ADDQ  offW+64(FP), R13
	LEAQ  (DI)(R13*4), DI

	// steps in bytes: R8 = outW*4 (col), R12 = strideH*w*4 (img)
	IMULQ DX, R12
	SHLQ  $2, R12
	SHLQ  $2, R8

	SUBQ R10, R11 // output rows left
	CMPQ BX, $8
	JLT  col2imShort

	LEAQ -16(BX), R9 // chunks at j <= n-16 are not the last two
	LEAQ -8(BX), CX  // the last chunk

col2imRow:
	XORQ AX, AX
	CMPQ AX, R9
	JGT  col2imPair

col2imFull:
	VMOVUPS (DI)(AX*4), Y0
	VADDPS  (SI)(AX*4), Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, R9
	JLE     col2imFull

col2imPair:
	// n-16 < AX <= n-8 = CX: chunks [AX, AX+8) and [CX, CX+8)
	VMOVUPS (DI)(AX*4), Y0
	VMOVUPS (DI)(CX*4), Y1
	VADDPS  (SI)(AX*4), Y0, Y0
	VADDPS  (SI)(CX*4), Y1, Y1
	VMOVUPS Y1, (DI)(CX*4)
	VMOVUPS Y0, (DI)(AX*4)

	ADDQ R8, SI
	ADDQ R12, DI
	DECQ R11
	JNZ  col2imRow

	VZEROUPPER
	RET

col2imShort:
	// 1 <= n < 8: mask of the first n lanes in Y15
	MOVQ    $8, AX
	SUBQ    BX, AX
	LEAQ    im2colMask<>(SB), DX
	VMOVDQU (DX)(AX*4), Y15

col2imShortRow:
	VMASKMOVPS (DI), Y15, Y0
	VMASKMOVPS (SI), Y15, Y1
	VADDPS     Y1, Y0, Y0
	VMASKMOVPS Y0, Y15, (DI)
	ADDQ       R8, SI
	ADDQ       R12, DI
	DECQ       R11
	JNZ        col2imShortRow

	VZEROUPPER
	RET
