//go:build !purego

#include "textflag.h"

// AVX2 max pooling of one plane with a 2×2 window, stride 2 and no padding
// (float32). Each step reads 16 floats of the two input rows of an output
// row, splits them into the even and odd columns with VSHUFPS (which leaves
// the windows in the order 0 1 4 5 2 3 6 7, undone at the end by one 64-bit
// permute), and picks the winners as a tree: (a, b) and (c, d) first, then
// the two results, where a later candidate wins when it is greater or NaN.
// That tree keeps the sequential rule (first maximum wins ties, the last NaN
// wins) because each pair is in window order. Rows of 8 or more outputs go
// 8 at a time, the last step overlapping the one before it; rows of 4 to 7
// outputs go 4 at a time the same way. The caller (pool_amd64.go) handles
// rows narrower than 4 outputs and checks all lengths.

// Predicates for VCMPPS.
#define CMP_UNORD_Q $3
#define CMP_GT_OQ $0x1e

// poolIdx8 holds 2*k, the input column of window k's top-left pixel.
DATA poolIdx8<>+0(SB)/4, $0
DATA poolIdx8<>+4(SB)/4, $2
DATA poolIdx8<>+8(SB)/4, $4
DATA poolIdx8<>+12(SB)/4, $6
DATA poolIdx8<>+16(SB)/4, $8
DATA poolIdx8<>+20(SB)/4, $10
DATA poolIdx8<>+24(SB)/4, $12
DATA poolIdx8<>+28(SB)/4, $14
GLOBL poolIdx8<>(SB), RODATA|NOPTR, $32

// func maxPool2x2AVX2(in, out *float32, am *int32, w, outH, outW int)
//
// in is the input plane (row stride w), out the output plane (row stride
// outW); am, when not nil, receives the argmax indices. outW >= 4.
TEXT ·maxPool2x2AVX2(SB), NOSPLIT, $0-48
	MOVQ in+0(FP), SI
	MOVQ out+8(FP), DI
	MOVQ am+16(FP), R8
	MOVQ w+24(FP), DX
	MOVQ outH+32(FP), R9
	MOVQ outW+40(FP), R10

	VMOVD        DX, X14
	VPBROADCASTD X14, Y14          // w in every lane
	VMOVDQU      poolIdx8<>(SB), Y15
	LEAQ         (DX)(DX*1), R12   // 2*w: index step per output row
	SHLQ         $2, DX            // input row stride in bytes
	XORQ         R11, R11          // flat index of the row pair's first pixel

	TESTQ R9, R9
	JEQ   done
	CMPQ  R10, $8
	JLT   narrowRow

wideRow:
	LEAQ (SI)(DX*1), R13 // second input row
	XORQ CX, CX          // output column

wideLoop:
	LEAQ 8(CX), AX
	CMPQ AX, R10
	JGT  wideTail

wideBody:
	LEAQ    (CX*8), BX // input byte offset of column 2*CX
	VMOVUPS (SI)(BX*1), Y0
	VMOVUPS 32(SI)(BX*1), Y1
	VMOVUPS (R13)(BX*1), Y2
	VMOVUPS 32(R13)(BX*1), Y3
	VSHUFPS $0x88, Y1, Y0, Y4 // a: row 0, even columns
	VSHUFPS $0xdd, Y1, Y0, Y5 // b: row 0, odd columns
	VSHUFPS $0x88, Y3, Y2, Y6 // c: row 1, even columns
	VSHUFPS $0xdd, Y3, Y2, Y7 // d: row 1, odd columns

	VCMPPS    CMP_GT_OQ, Y4, Y5, Y8    // b > a
	VCMPPS    CMP_UNORD_Q, Y5, Y5, Y9  // b is NaN
	VORPS     Y9, Y8, Y8
	VCMPPS    CMP_GT_OQ, Y6, Y7, Y10   // d > c
	VCMPPS    CMP_UNORD_Q, Y7, Y7, Y11 // d is NaN
	VORPS     Y11, Y10, Y10
	VBLENDVPS Y8, Y5, Y4, Y4           // max(a, b)
	VBLENDVPS Y10, Y7, Y6, Y6          // max(c, d)
	VCMPPS    CMP_GT_OQ, Y4, Y6, Y9
	VCMPPS    CMP_UNORD_Q, Y6, Y6, Y11
	VORPS     Y11, Y9, Y9
	VBLENDVPS Y9, Y6, Y4, Y4           // max of the window
	VPERMPD   $0xd8, Y4, Y4            // windows back in order
	LEAQ      (CX*4), BX
	VMOVUPS   Y4, (DI)(BX*1)

	TESTQ R8, R8
	JEQ   wideNext

	// Offset of the winner within its window: 0, 1, w or w+1.
	VPSRLD       $31, Y8, Y8
	VPSRLD       $31, Y10, Y10
	VPADDD       Y14, Y10, Y10
	VBLENDVPS    Y9, Y10, Y8, Y8
	VPERMQ       $0xd8, Y8, Y8
	LEAQ         (R11)(CX*2), AX
	VMOVD        AX, X12
	VPBROADCASTD X12, Y12
	VPADDD       Y15, Y12, Y12
	VPADDD       Y12, Y8, Y8
	VMOVDQU      Y8, (R8)(BX*1)

wideNext:
	ADDQ $8, CX
	JMP  wideLoop

wideTail:
	CMPQ CX, R10
	JEQ  wideRowEnd
	LEAQ -8(R10), CX // last 8 outputs, overlapping the previous step
	JMP  wideBody

wideRowEnd:
	LEAQ  (SI)(DX*2), SI
	LEAQ  (DI)(R10*4), DI
	ADDQ  R12, R11
	TESTQ R8, R8
	JEQ   wideRowDone
	LEAQ  (R8)(R10*4), R8

wideRowDone:
	DECQ R9
	JNE  wideRow
	JMP  done

narrowRow:
	LEAQ (SI)(DX*1), R13
	XORQ CX, CX

narrowLoop:
	LEAQ 4(CX), AX
	CMPQ AX, R10
	JGT  narrowTail

narrowBody:
	LEAQ    (CX*8), BX
	VMOVUPS (SI)(BX*1), X0
	VMOVUPS 16(SI)(BX*1), X1
	VMOVUPS (R13)(BX*1), X2
	VMOVUPS 16(R13)(BX*1), X3
	VSHUFPS $0x88, X1, X0, X4
	VSHUFPS $0xdd, X1, X0, X5
	VSHUFPS $0x88, X3, X2, X6
	VSHUFPS $0xdd, X3, X2, X7

	VCMPPS    CMP_GT_OQ, X4, X5, X8
	VCMPPS    CMP_UNORD_Q, X5, X5, X9
	VORPS     X9, X8, X8
	VCMPPS    CMP_GT_OQ, X6, X7, X10
	VCMPPS    CMP_UNORD_Q, X7, X7, X11
	VORPS     X11, X10, X10
	VBLENDVPS X8, X5, X4, X4
	VBLENDVPS X10, X7, X6, X6
	VCMPPS    CMP_GT_OQ, X4, X6, X9
	VCMPPS    CMP_UNORD_Q, X6, X6, X11
	VORPS     X11, X9, X9
	VBLENDVPS X9, X6, X4, X4
	LEAQ      (CX*4), BX
	VMOVUPS   X4, (DI)(BX*1)

	TESTQ R8, R8
	JEQ   narrowNext

	VPSRLD       $31, X8, X8
	VPSRLD       $31, X10, X10
	VPADDD       X14, X10, X10
	VBLENDVPS    X9, X10, X8, X8
	LEAQ         (R11)(CX*2), AX
	VMOVD        AX, X12
	VPBROADCASTD X12, X12
	VPADDD       X15, X12, X12
	VPADDD       X12, X8, X8
	VMOVDQU      X8, (R8)(BX*1)

narrowNext:
	ADDQ $4, CX
	JMP  narrowLoop

narrowTail:
	CMPQ CX, R10
	JEQ  narrowRowEnd
	LEAQ -4(R10), CX
	JMP  narrowBody

narrowRowEnd:
	LEAQ  (SI)(DX*2), SI
	LEAQ  (DI)(R10*4), DI
	ADDQ  R12, R11
	TESTQ R8, R8
	JEQ   narrowRowDone
	LEAQ  (R8)(R10*4), R8

narrowRowDone:
	DECQ R9
	JNE  narrowRow

done:
	VZEROUPPER
	RET
