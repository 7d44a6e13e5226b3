//go:build !purego

#include "textflag.h"

// func im2colPaddedAVX2(dst *float32, ld int, plane *float32, wp, ow, oh, kh, kw, dilH, dilW, chunks int)
//
// Writes the kh·kw rows of the columns matrix of one zero-padded plane
// (row width wp): for ki < kh, kj < kw, row ki·kw+kj at dst + (ki·kw+kj)·ld
// holds, for r < oh, the ow values at plane + (r+ki·dilH)·wp + kj·dilW,
// copied in chunks×8 values per run (runs may write past ow; the next run
// overwrites that). Sizes in elements; all counts >= 1.
TEXT ·im2colPaddedAVX2(SB), NOSPLIT, $0-88
	MOVQ dst+0(FP), DI
	MOVQ ld+8(FP), R8
	SHLQ $2, R8          // row step of dst in bytes
	MOVQ plane+16(FP), SI
	MOVQ wp+24(FP), R9
	SHLQ $2, R9          // plane row step in bytes
	MOVQ ow+32(FP), R10
	SHLQ $2, R10         // run step in dst in bytes
	MOVQ dilH+64(FP), R11
	IMULQ R9, R11        // plane step per ki in bytes
	MOVQ dilW+72(FP), R12
	SHLQ $2, R12         // plane step per kj in bytes
	MOVQ kh+48(FP), R13

kiLoop:
	MOVQ kw+56(FP), R14
	MOVQ SI, R15         // plane position of (ki, kj=0)

kjLoop:
	MOVQ R15, AX         // source run
	MOVQ DI, BX          // destination run
	MOVQ oh+40(FP), DX
	MOVQ chunks+80(FP), CX
	CMPQ CX, $2
	JNE  general

two:
	VMOVUPS (AX), Y0
	VMOVUPS 32(AX), Y1
	VMOVUPS Y0, (BX)
	VMOVUPS Y1, 32(BX)
	ADDQ    R9, AX
	ADDQ    R10, BX
	DECQ    DX
	JNZ     two
	JMP     nextKj

general:
	MOVQ chunks+80(FP), CX

chunk:
	VMOVUPS (AX), Y0
	VMOVUPS Y0, (BX)
	ADDQ    $32, AX
	ADDQ    $32, BX
	DECQ    CX
	JNZ     chunk
	MOVQ    chunks+80(FP), CX
	SHLQ    $5, CX
	SUBQ    CX, AX
	SUBQ    CX, BX
	ADDQ    R9, AX
	ADDQ    R10, BX
	MOVQ    chunks+80(FP), CX
	DECQ    DX
	JNZ     chunk

nextKj:
	ADDQ R8, DI
	ADDQ R12, R15
	DECQ R14
	JNZ  kjLoop
	ADDQ R11, SI
	DECQ R13
	JNZ  kiLoop
	VZEROUPPER
	RET

// func copyRowsAVX2(dst *float32, dstStride int, src *float32, srcStride, chunks, rows int)
//
// For r < rows: copy chunks×8 float32 from src+r*srcStride to
// dst+r*dstStride (strides in elements). Requires chunks, rows >= 1.
TEXT ·copyRowsAVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ dstStride+8(FP), R8
	SHLQ $2, R8
	MOVQ src+16(FP), SI
	MOVQ srcStride+24(FP), R9
	SHLQ $2, R9
	MOVQ chunks+32(FP), CX
	MOVQ rows+40(FP), DX

row:
	XORQ AX, AX
	MOVQ CX, BX

chunk:
	VMOVUPS (SI)(AX*1), Y0
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ    $32, AX
	DECQ    BX
	JNZ     chunk
	ADDQ    R9, SI
	ADDQ    R8, DI
	DECQ    DX
	JNZ     row
	VZEROUPPER
	RET
