//go:build !purego

#include "textflag.h"

// AVX-512 forms of the copies behind Im2colPadded (the AVX2 ones are in
// copyrows_amd64.s): 16 values per step, and the last, partial step of
// each run masked, so they read and write exactly the runs, no overhang.

// im512Tail holds (1<<k)-1 for k = 0..15: the opmask of a run's last k
// values.
DATA im512Tail<>+0(SB)/4, $0x0000
DATA im512Tail<>+4(SB)/4, $0x0001
DATA im512Tail<>+8(SB)/4, $0x0003
DATA im512Tail<>+12(SB)/4, $0x0007
DATA im512Tail<>+16(SB)/4, $0x000f
DATA im512Tail<>+20(SB)/4, $0x001f
DATA im512Tail<>+24(SB)/4, $0x003f
DATA im512Tail<>+28(SB)/4, $0x007f
DATA im512Tail<>+32(SB)/4, $0x00ff
DATA im512Tail<>+36(SB)/4, $0x01ff
DATA im512Tail<>+40(SB)/4, $0x03ff
DATA im512Tail<>+44(SB)/4, $0x07ff
DATA im512Tail<>+48(SB)/4, $0x0fff
DATA im512Tail<>+52(SB)/4, $0x1fff
DATA im512Tail<>+56(SB)/4, $0x3fff
DATA im512Tail<>+60(SB)/4, $0x7fff
GLOBL im512Tail<>(SB), RODATA|NOPTR, $64

// func im2colPaddedAVX512(dst *float32, ld int, plane *float32, wp, ow, oh, kh, kw, dilH, dilW int)
//
// Writes the kh·kw rows of the columns matrix of one zero-padded plane
// (row width wp): for ki < kh, kj < kw, row ki·kw+kj at dst + (ki·kw+kj)·ld
// holds, for r < oh, the ow values at plane + (r+ki·dilH)·wp + kj·dilW.
// Sizes in elements; all counts >= 1.
TEXT ·im2colPaddedAVX512(SB), NOSPLIT, $0-80
	MOVQ  dst+0(FP), DI
	MOVQ  ld+8(FP), R8
	SHLQ  $2, R8          // row step of dst in bytes
	MOVQ  plane+16(FP), SI
	MOVQ  wp+24(FP), R9
	SHLQ  $2, R9          // plane row step in bytes
	MOVQ  ow+32(FP), R10
	MOVQ  R10, AX
	ANDQ  $15, AX
	LEAQ  im512Tail<>(SB), BX
	MOVL  (BX)(AX*4), AX
	KMOVW AX, K1          // the last ow%16 values of a run
	SHLQ  $2, R10         // run step in dst in bytes
	MOVQ  dilH+64(FP), R11
	IMULQ R9, R11         // plane step per ki in bytes
	MOVQ  dilW+72(FP), R12
	SHLQ  $2, R12         // plane step per kj in bytes
	MOVQ  kh+48(FP), R13

kiLoop:
	MOVQ kw+56(FP), R14
	MOVQ SI, R15 // plane position of (ki, kj=0)

kjLoop:
	MOVQ R15, AX // source run
	MOVQ DI, BX  // destination run
	MOVQ oh+40(FP), DX
	MOVQ ow+32(FP), CX
	CMPQ CX, $16
	JLT  one
	CMPQ CX, $32
	JLT  two

general:
	MOVQ ow+32(FP), CX
	SHRQ $4, CX

chunk:
	VMOVUPS (AX), Z0
	VMOVUPS Z0, (BX)
	ADDQ    $64, AX
	ADDQ    $64, BX
	DECQ    CX
	JNZ     chunk
	VMOVUPS.Z (AX), K1, Z0
	VMOVUPS   Z0, K1, (BX)
	MOVQ    ow+32(FP), CX
	SHRQ    $4, CX
	SHLQ    $6, CX
	SUBQ    CX, AX
	SUBQ    CX, BX
	ADDQ    R9, AX
	ADDQ    R10, BX
	DECQ    DX
	JNZ     general
	JMP     nextKj

one: // ow < 16
	VMOVUPS.Z (AX), K1, Z0
	VMOVUPS   Z0, K1, (BX)
	ADDQ      R9, AX
	ADDQ      R10, BX
	DECQ      DX
	JNZ       one
	JMP       nextKj

two: // 16 <= ow < 32
	VMOVUPS   (AX), Z0
	VMOVUPS.Z 64(AX), K1, Z1
	VMOVUPS   Z0, (BX)
	VMOVUPS   Z1, K1, 64(BX)
	ADDQ      R9, AX
	ADDQ      R10, BX
	DECQ      DX
	JNZ       two

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

// func copyRowsAVX512(dst *float32, dstStride int, src *float32, srcStride, n, rows int)
//
// For r < rows: copy exactly n float32 from src+r*srcStride to
// dst+r*dstStride (strides in elements). Requires n, rows >= 1.
TEXT ·copyRowsAVX512(SB), NOSPLIT, $0-48
	MOVQ  dst+0(FP), DI
	MOVQ  dstStride+8(FP), R8
	SHLQ  $2, R8
	MOVQ  src+16(FP), SI
	MOVQ  srcStride+24(FP), R9
	SHLQ  $2, R9
	MOVQ  n+32(FP), CX
	MOVQ  rows+40(FP), DX
	MOVQ  CX, AX
	ANDQ  $15, AX
	LEAQ  im512Tail<>(SB), BX
	MOVL  (BX)(AX*4), AX
	KMOVW AX, K1
	SHRQ  $4, CX // whole chunks
	SHLQ  $6, CX // their bytes

row:
	XORQ AX, AX

chunk:
	CMPQ    AX, CX
	JGE     tail
	VMOVUPS (SI)(AX*1), Z0
	VMOVUPS Z0, (DI)(AX*1)
	ADDQ    $64, AX
	JMP     chunk

tail:
	VMOVUPS.Z (SI)(AX*1), K1, Z0
	VMOVUPS   Z0, K1, (DI)(AX*1)
	ADDQ      R9, SI
	ADDQ      R8, DI
	DECQ      DX
	JNZ       row
	VZEROUPPER
	RET
