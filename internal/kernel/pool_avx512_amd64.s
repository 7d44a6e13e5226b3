//go:build !purego

#include "textflag.h"

// AVX-512 max pooling of one plane with a 2×2 window, stride 2 and no
// padding (float32): the AVX2 kernel of pool_amd64.s at 16 outputs a step.
// Each step loads 32 floats of each of the two input rows of an output row;
// VPERMT2PS splits them into the even and odd columns (a, b from the first
// row, c, d from the second) already in window order, and the winners are
// picked as a tree, (a, b) and (c, d) first and then the two results,
// where a later candidate wins when it is greater or NaN: the sequential
// rule (first maximum wins ties, the last NaN wins). The comparisons give
// opmasks, which also select the argmax offsets 0, 1, w or w+1. The last,
// partial step of a row (outW not a multiple of 16) masks its loads and
// stores, so any outW >= 1 works and nothing past the windows is read.

DATA pool512Evens<>+0(SB)/4, $0
DATA pool512Evens<>+4(SB)/4, $2
DATA pool512Evens<>+8(SB)/4, $4
DATA pool512Evens<>+12(SB)/4, $6
DATA pool512Evens<>+16(SB)/4, $8
DATA pool512Evens<>+20(SB)/4, $10
DATA pool512Evens<>+24(SB)/4, $12
DATA pool512Evens<>+28(SB)/4, $14
DATA pool512Evens<>+32(SB)/4, $16
DATA pool512Evens<>+36(SB)/4, $18
DATA pool512Evens<>+40(SB)/4, $20
DATA pool512Evens<>+44(SB)/4, $22
DATA pool512Evens<>+48(SB)/4, $24
DATA pool512Evens<>+52(SB)/4, $26
DATA pool512Evens<>+56(SB)/4, $28
DATA pool512Evens<>+60(SB)/4, $30
GLOBL pool512Evens<>(SB), RODATA|NOPTR, $64

DATA pool512Odds<>+0(SB)/4, $1
DATA pool512Odds<>+4(SB)/4, $3
DATA pool512Odds<>+8(SB)/4, $5
DATA pool512Odds<>+12(SB)/4, $7
DATA pool512Odds<>+16(SB)/4, $9
DATA pool512Odds<>+20(SB)/4, $11
DATA pool512Odds<>+24(SB)/4, $13
DATA pool512Odds<>+28(SB)/4, $15
DATA pool512Odds<>+32(SB)/4, $17
DATA pool512Odds<>+36(SB)/4, $19
DATA pool512Odds<>+40(SB)/4, $21
DATA pool512Odds<>+44(SB)/4, $23
DATA pool512Odds<>+48(SB)/4, $25
DATA pool512Odds<>+52(SB)/4, $27
DATA pool512Odds<>+56(SB)/4, $29
DATA pool512Odds<>+60(SB)/4, $31
GLOBL pool512Odds<>(SB), RODATA|NOPTR, $64

// POOL512 leaves in Z4 the window maxima of the 16 windows whose rows are
// Z0:Z1 (first) and Z2:Z3 (second), in K1 the lanes where b beat a, in K3
// those where d beat c and in K5 those where the second row won.
#define POOL512 	VMOVAPS   Z0, Z4; 	VPERMT2PS Z1, Z30, Z4; 	VPERMT2PS Z1, Z29, Z0; 	VMOVAPS   Z2, Z6; 	VPERMT2PS Z3, Z30, Z6; 	VPERMT2PS Z3, Z29, Z2; 	VCMPPS    $0x1e, Z4, Z0, K1; 	VCMPPS    $3, Z0, Z0, K2; 	KORW      K2, K1, K1; 	VCMPPS    $0x1e, Z6, Z2, K3; 	VCMPPS    $3, Z2, Z2, K2; 	KORW      K2, K3, K3; 	VBLENDMPS Z0, Z4, K1, Z4; 	VBLENDMPS Z2, Z6, K3, Z6; 	VCMPPS    $0x1e, Z4, Z6, K5; 	VCMPPS    $3, Z6, Z6, K2; 	KORW      K2, K5, K5; 	VBLENDMPS Z6, Z4, K5, Z4

// ARGMAX512 leaves in Z10 the flat input indices of the winners POOL512
// picked for the windows of output columns CX..CX+15 (R11: index of the
// row pair's first pixel).
#define ARGMAX512 	VMOVDQA32.Z  Z27, K1, Z10; 	VMOVDQA32    Z28, Z11; 	VPADDD       Z27, Z11, K3, Z11; 	VPBLENDMD    Z11, Z10, K5, Z10; 	LEAQ         (R11)(CX*2), AX; 	VPBROADCASTD AX, Z12; 	VPADDD       Z30, Z12, Z12; 	VPADDD       Z12, Z10, Z10

// func maxPool2x2AVX512(in, out *float32, am *int32, w, outH, outW int)
//
// in is the input plane (row stride w), out the output plane (row stride
// outW); am, when not nil, receives the argmax indices. outH, outW >= 1.
TEXT ·maxPool2x2AVX512(SB), NOSPLIT, $0-48
	MOVQ in+0(FP), SI
	MOVQ out+8(FP), DI
	MOVQ am+16(FP), R8
	MOVQ w+24(FP), DX
	MOVQ outH+32(FP), R9
	MOVQ outW+40(FP), R10

	VPBROADCASTD DX, Z28 // w
	VMOVDQU32    pool512Evens<>(SB), Z30
	VMOVDQU32    pool512Odds<>(SB), Z29
	VPTERNLOGD   $0xff, Z27, Z27, Z27
	VPSRLD       $31, Z27, Z27 // 1
	LEAQ         (DX)(DX*1), R12 // 2*w: index step per output row
	SHLQ         $2, DX          // input row stride in bytes
	XORQ         R11, R11

	// Masks of the last step of a row, of t = outW%16 windows: K4 for
	// its t outputs, K6 and K7 for its 2t input columns.
	MOVQ  R10, CX
	ANDQ  $15, CX
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K4
	SHLQ  $1, CX
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX
	KMOVD AX, K6
	KSHIFTRD $16, K6, K7

row:
	LEAQ (SI)(DX*1), R13 // second input row
	XORQ CX, CX          // output column
	MOVQ R10, BX
	SHRQ $4, BX          // whole steps
	JEQ  tail

full:
	LEAQ    (CX*8), AX // input byte offset of column 2*CX
	VMOVUPS (SI)(AX*1), Z0
	VMOVUPS 64(SI)(AX*1), Z1
	VMOVUPS (R13)(AX*1), Z2
	VMOVUPS 64(R13)(AX*1), Z3
	POOL512
	VMOVUPS Z4, (DI)(CX*4)
	TESTQ   R8, R8
	JEQ     fullNext
	ARGMAX512
	VMOVDQU32 Z10, (R8)(CX*4)

fullNext:
	ADDQ $16, CX
	DECQ BX
	JNZ  full

tail:
	CMPQ CX, R10
	JEQ  rowEnd
	LEAQ      (CX*8), AX
	VMOVUPS.Z (SI)(AX*1), K6, Z0
	VMOVUPS.Z 64(SI)(AX*1), K7, Z1
	VMOVUPS.Z (R13)(AX*1), K6, Z2
	VMOVUPS.Z 64(R13)(AX*1), K7, Z3
	POOL512
	VMOVUPS Z4, K4, (DI)(CX*4)
	TESTQ   R8, R8
	JEQ     rowEnd
	ARGMAX512
	VMOVDQU32 Z10, K4, (R8)(CX*4)

rowEnd:
	LEAQ  (SI)(DX*2), SI
	LEAQ  (DI)(R10*4), DI
	ADDQ  R12, R11
	TESTQ R8, R8
	JEQ   rowDone
	LEAQ  (R8)(R10*4), R8

rowDone:
	DECQ R9
	JNE  row
	VZEROUPPER
	RET
