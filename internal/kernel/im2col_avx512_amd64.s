//go:build !purego

#include "textflag.h"

// AVX-512 row kernels for float32 im2col (strideW 1 and 2) and col2im
// (strideW 2). One call handles one whole row of the columns matrix (one
// (ci, ki, kj)), all output rows oh, like the AVX2 kernels in
// im2col_amd64.s, but 16 lanes at a time and with opmask registers for the
// edges (strideW 2: 32 input lanes per 16 outputs): a load is masked to the
// pixels inside the image (masked-off lanes read as zero and never fault),
// so no pixel outside the image is read. The Go wrappers in
// im2col_amd64.go check all index ranges.

// im512Ones holds (1<<k)-1 for k = 0..32: the opmask of the first k lanes.
DATA im512Ones<>+0(SB)/4, $0x00000000
DATA im512Ones<>+4(SB)/4, $0x00000001
DATA im512Ones<>+8(SB)/4, $0x00000003
DATA im512Ones<>+12(SB)/4, $0x00000007
DATA im512Ones<>+16(SB)/4, $0x0000000f
DATA im512Ones<>+20(SB)/4, $0x0000001f
DATA im512Ones<>+24(SB)/4, $0x0000003f
DATA im512Ones<>+28(SB)/4, $0x0000007f
DATA im512Ones<>+32(SB)/4, $0x000000ff
DATA im512Ones<>+36(SB)/4, $0x000001ff
DATA im512Ones<>+40(SB)/4, $0x000003ff
DATA im512Ones<>+44(SB)/4, $0x000007ff
DATA im512Ones<>+48(SB)/4, $0x00000fff
DATA im512Ones<>+52(SB)/4, $0x00001fff
DATA im512Ones<>+56(SB)/4, $0x00003fff
DATA im512Ones<>+60(SB)/4, $0x00007fff
DATA im512Ones<>+64(SB)/4, $0x0000ffff
DATA im512Ones<>+68(SB)/4, $0x0001ffff
DATA im512Ones<>+72(SB)/4, $0x0003ffff
DATA im512Ones<>+76(SB)/4, $0x0007ffff
DATA im512Ones<>+80(SB)/4, $0x000fffff
DATA im512Ones<>+84(SB)/4, $0x001fffff
DATA im512Ones<>+88(SB)/4, $0x003fffff
DATA im512Ones<>+92(SB)/4, $0x007fffff
DATA im512Ones<>+96(SB)/4, $0x00ffffff
DATA im512Ones<>+100(SB)/4, $0x01ffffff
DATA im512Ones<>+104(SB)/4, $0x03ffffff
DATA im512Ones<>+108(SB)/4, $0x07ffffff
DATA im512Ones<>+112(SB)/4, $0x0fffffff
DATA im512Ones<>+116(SB)/4, $0x1fffffff
DATA im512Ones<>+120(SB)/4, $0x3fffffff
DATA im512Ones<>+124(SB)/4, $0x7fffffff
DATA im512Ones<>+128(SB)/4, $0xffffffff
GLOBL im512Ones<>(SB), RODATA|NOPTR, $132

// im512Even holds, for k = 0..16, the opmask of lanes 0, 2, ..., 2k-2.
DATA im512Even<>+0(SB)/4, $0x00000000
DATA im512Even<>+4(SB)/4, $0x00000001
DATA im512Even<>+8(SB)/4, $0x00000005
DATA im512Even<>+12(SB)/4, $0x00000015
DATA im512Even<>+16(SB)/4, $0x00000055
DATA im512Even<>+20(SB)/4, $0x00000155
DATA im512Even<>+24(SB)/4, $0x00000555
DATA im512Even<>+28(SB)/4, $0x00001555
DATA im512Even<>+32(SB)/4, $0x00005555
DATA im512Even<>+36(SB)/4, $0x00015555
DATA im512Even<>+40(SB)/4, $0x00055555
DATA im512Even<>+44(SB)/4, $0x00155555
DATA im512Even<>+48(SB)/4, $0x00555555
DATA im512Even<>+52(SB)/4, $0x01555555
DATA im512Even<>+56(SB)/4, $0x05555555
DATA im512Even<>+60(SB)/4, $0x15555555
DATA im512Even<>+64(SB)/4, $0x55555555
GLOBL im512Even<>(SB), RODATA|NOPTR, $68

// im512Evens holds 0, 2, ..., 30: the VPERMT2PS indices that pick the even
// lanes of a 32-lane pair.
DATA im512Evens<>+0(SB)/4, $0
DATA im512Evens<>+4(SB)/4, $2
DATA im512Evens<>+8(SB)/4, $4
DATA im512Evens<>+12(SB)/4, $6
DATA im512Evens<>+16(SB)/4, $8
DATA im512Evens<>+20(SB)/4, $10
DATA im512Evens<>+24(SB)/4, $12
DATA im512Evens<>+28(SB)/4, $14
DATA im512Evens<>+32(SB)/4, $16
DATA im512Evens<>+36(SB)/4, $18
DATA im512Evens<>+40(SB)/4, $20
DATA im512Evens<>+44(SB)/4, $22
DATA im512Evens<>+48(SB)/4, $24
DATA im512Evens<>+52(SB)/4, $26
DATA im512Evens<>+56(SB)/4, $28
DATA im512Evens<>+60(SB)/4, $30
GLOBL im512Evens<>(SB), RODATA|NOPTR, $64

// im512Spread holds 0, 0, 1, 1, ..., 7, 7: the VPERMPS indices that move
// lane i < 8 of a vector to lanes 2i and 2i+1.
DATA im512Spread<>+0(SB)/4, $0
DATA im512Spread<>+4(SB)/4, $0
DATA im512Spread<>+8(SB)/4, $1
DATA im512Spread<>+12(SB)/4, $1
DATA im512Spread<>+16(SB)/4, $2
DATA im512Spread<>+20(SB)/4, $2
DATA im512Spread<>+24(SB)/4, $3
DATA im512Spread<>+28(SB)/4, $3
DATA im512Spread<>+32(SB)/4, $4
DATA im512Spread<>+36(SB)/4, $4
DATA im512Spread<>+40(SB)/4, $5
DATA im512Spread<>+44(SB)/4, $5
DATA im512Spread<>+48(SB)/4, $6
DATA im512Spread<>+52(SB)/4, $6
DATA im512Spread<>+56(SB)/4, $7
DATA im512Spread<>+60(SB)/4, $7
GLOBL im512Spread<>(SB), RODATA|NOPTR, $64

// CLAMP clamps the signed register r to [0, lim], using tmp.
#define CLAMP(r, lim, tmp) \
	XORQ    tmp, tmp; \
	CMPQ    r, tmp; \
	CMOVQLT tmp, r; \
	MOVQ    lim, tmp; \
	CMPQ    r, tmp; \
	CMOVQGT tmp, r

// strideW 1 loops over 16-column chunks outside and the output rows inside
// (each chunk's masks computed once), with masked stores. The strideW 2
// loop goes row by row and stores Z0, the chunk of output columns j = R10..
// of the output row at R14 (R8 = outW, R9 = values left in out from the row's
// start). A chunk reaching the end of its row spills up to 15 lanes into
// the rows after it, which later stores overwrite (the next rows, or the
// zero rows written last), so only a chunk that would cross the end of out
// is masked, to the lanes of its own row:
// AVX-512 masked stores to lines missing from the cache are slow on Zen 5
// (measured: the strided im2col of a 32-channel 14×14 image into a
// batch-wide columns matrix took 2.2 ms per batch with every store masked,
// 1.0 ms with full stores). For strideW 1 (rows of 16 or more outputs) the
// chunk-outer masked form measured faster than this one (MNIST conv1:
// 1.30 against 3.57 µs per image).

// func im2colRowAVX512(in, out *float32, w, outW, ohw, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int)
//
// out[oh*outW+ow] = in[(oh*strideH+offH)*w+ow*strideW+offW] for oh in
// [ohLo, ohHi) and ow in [owLo, owHi), and 0 for the rest of out[:ohw];
// strideW is 1 or 2. For strideW 2 a chunk of 16 outputs reads 32 input
// lanes (two masked loads) and VPERMT2PS keeps the even ones. A lane is
// loaded when its input column lies in [0, w), which for the lanes kept is
// exactly ow in [owLo, owHi); when owLo >= owHi the caller passes an empty
// [ohLo, ohHi).
TEXT ·im2colRowAVX512(SB), NOSPLIT, $0-104
	MOVQ out+8(FP), DI
	MOVQ outW+24(FP), R8
	MOVQ ohw+32(FP), R9
	LEAQ im512Ones<>(SB), R15
	VPXORD Z31, Z31, Z31

	// Zero out[:ohLo*outW].
	MOVQ  ohLo+40(FP), AX
	IMULQ R8, AX
	XORQ  BX, BX

zeroHead:
	MOVQ AX, CX
	SUBQ BX, CX
	CMPQ CX, $16
	JLT  zeroHeadLast
	VMOVUPS Z31, (DI)(BX*4)
	ADDQ $16, BX
	JMP  zeroHead

zeroHeadLast:
	MOVL    (R15)(CX*4), CX
	KMOVW   CX, K1
	VMOVUPS Z31, K1, (DI)(BX*4)

	// Valid rows.
	MOVQ ohLo+40(FP), R10
	MOVQ ohHi+48(FP), R11
	SUBQ R10, R11 // rows
	JLE  zeroTail

	// R12 = &in[(ohLo*strideH+offH)*w+offW], R13 = strideH*w*4 (its step)
	MOVQ  w+16(FP), DX
	MOVQ  strideH+96(FP), R13
	MOVQ  R10, AX
	IMULQ R13, AX
	ADDQ  offH+80(FP), AX
	IMULQ DX, AX
	ADDQ  offW+72(FP), AX
	MOVQ  in+0(FP), SI
	LEAQ  (SI)(AX*4), R12
	IMULQ DX, R13
	SHLQ  $2, R13

	// R14 = &out[ohLo*outW], DX = outW*4 (its step), R9 = ohw-ohLo*outW
	// (values from the row's start to the end of out)
	MOVQ  R10, AX
	IMULQ R8, AX
	LEAQ  (DI)(AX*4), R14
	LEAQ  0(R8*4), DX
	SUBQ  AX, R9

	CMPQ strideW+88(FP), $2
	JNE  s1Start
	VMOVDQU32 im512Evens<>(SB), Z30
	JMP  s2Row

s1Start:
	XORQ R10, R10 // chunk start j

s1Chunk:
	// load lanes: ow = j+l in [owLo, owHi); store lanes: j+l < outW
	MOVQ  owLo+56(FP), AX
	SUBQ  R10, AX
	CLAMP(AX, $16, CX)
	MOVQ  owHi+64(FP), BX
	SUBQ  R10, BX
	CLAMP(BX, $16, CX)
	MOVL  (R15)(BX*4), BX
	MOVL  (R15)(AX*4), AX
	ANDNL BX, AX, AX // ^AX & BX
	KMOVW AX, K1
	MOVQ  R8, AX
	SUBQ  R10, AX
	CLAMP(AX, $16, CX)
	MOVL  (R15)(AX*4), AX
	KMOVW AX, K2

	LEAQ (R12)(R10*4), SI
	LEAQ (R14)(R10*4), BX
	MOVQ R11, CX

s1Row:
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS   Z0, K2, (BX)
	ADDQ      R13, SI
	ADDQ      DX, BX
	DECQ      CX
	JNZ       s1Row

	ADDQ $16, R10
	CMPQ R10, R8
	JLT  s1Chunk
	JMP  zeroTail

s2Row:
	XORQ R10, R10

s2Chunk:
	// load lanes l < 32: input column 2j+offW+l in [0, w)
	MOVQ  R10, AX
	SHLQ  $1, AX
	ADDQ  offW+72(FP), AX // 2j+offW
	XORQ  BX, BX
	SUBQ  AX, BX          // -(2j+offW)
	CLAMP(BX, $32, CX)
	MOVQ  w+16(FP), SI
	SUBQ  AX, SI
	CLAMP(SI, $32, CX)
	MOVL  (R15)(SI*4), SI
	MOVL  (R15)(BX*4), BX
	ANDNL SI, BX, BX
	KMOVD BX, K1
	KSHIFTRD $16, K1, K3
	LEAQ  (R12)(R10*8), SI
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z 64(SI), K3, Z1
	VPERMT2PS Z1, Z30, Z0
	LEAQ    16(R10), AX
	CMPQ    AX, R9
	JLE     s2Full
	MOVQ    R8, AX
	SUBQ    R10, AX
	CLAMP(AX, $16, CX)
	MOVL    (R15)(AX*4), AX
	KMOVW   AX, K2
	VMOVUPS Z0, K2, (R14)(R10*4)
	JMP     s2Next

s2Full:
	VMOVUPS Z0, (R14)(R10*4)

s2Next:
	ADDQ $16, R10
	CMPQ R10, R8
	JLT  s2Chunk
	ADDQ R13, R12
	ADDQ DX, R14
	SUBQ R8, R9
	DECQ R11
	JNZ  s2Row

zeroTail:
	// Zero out[ohHi*outW:ohw].
	MOVQ  ohw+32(FP), R9
	MOVQ  ohHi+48(FP), BX
	IMULQ R8, BX

zeroTailLoop:
	MOVQ R9, CX
	SUBQ BX, CX
	CMPQ CX, $16
	JLT  zeroTailLast
	VMOVUPS Z31, (DI)(BX*4)
	ADDQ $16, BX
	JMP  zeroTailLoop

zeroTailLast:
	MOVL    (R15)(CX*4), CX
	KMOVW   CX, K1
	VMOVUPS Z31, K1, (DI)(BX*4)
	VZEROUPPER
	RET

// func col2imRowAVX512(col, img *float32, w, outW, ohw, ohLo, ohHi, owLo, owHi, offW, offH, strideW, strideH int)
//
// img[(oh*strideH+offH)*w+ow*strideW+offW] += col[oh*outW+ow] for oh in
// [ohLo, ohHi) and ow in [owLo, owHi); ohLo < ohHi, owLo < owHi, strideW
// 2 (for strideW 1 the AVX2 kernel measured as fast or faster). Each pixel
// gets the same single addition as in the Go loop. A chunk of 8 column
// values is spread to the even lanes of a vector (VPERMPS) and added to the
// 16 image pixels they cover, loading and storing only the even lanes.
//
// The image is loaded and stored 16 lanes (64 bytes) from each chunk's
// start, masked; consecutive output rows must lie at least that far apart
// (strideH*w >= 16), or a load would overlap the previous row's store and
// wait for it (a masked store does not forward to a later load), which
// makes the kernel several times slower than the AVX2 one. The column
// values are read 8 at a time with a plain load where those 8 lie inside
// the row of the columns matrix (col[:ohw]), and masked only near its end:
// masked loads from lines missing from the cache are slow too.
TEXT ·col2imRowAVX512(SB), NOSPLIT, $0-104
	MOVQ col+0(FP), SI
	MOVQ img+8(FP), DI
	MOVQ w+16(FP), DX
	MOVQ outW+24(FP), R8
	MOVQ ohLo+40(FP), R10
	MOVQ ohHi+48(FP), R11
	MOVQ owLo+56(FP), AX
	MOVQ owHi+64(FP), R9
	MOVQ strideW+88(FP), R15
	MOVQ strideH+96(FP), R12
	MOVQ R8, R14 // outW

	SUBQ AX, R9 // segment length n

	// SI = &col[ohLo*outW+owLo]; ohw minus that index is kept in the
	// ohw argument slot
	MOVQ  R10, R13
	IMULQ R8, R13
	ADDQ  AX, R13
	LEAQ  (SI)(R13*4), SI
	MOVQ  ohw+32(FP), BX
	SUBQ  R13, BX
	MOVQ  BX, ohw+32(FP) // values from the first segment's start to ohw

	// DI = &img[(ohLo*strideH+offH)*w+owLo*strideW+offW]
	MOVQ  R10, R13
	IMULQ R12, R13
	ADDQ  offH+80(FP), R13
	IMULQ DX, R13
	IMULQ R15, AX
	ADDQ  AX, R13
	ADDQ  offW+72(FP), R13
	LEAQ  (DI)(R13*4), DI

	// steps in bytes: R8 = outW*4 (col), R12 = strideH*w*4 (img)
	IMULQ DX, R12
	SHLQ  $2, R12
	SHLQ  $2, R8

	SUBQ R10, R11 // output rows
	XORQ R10, R10 // chunk start j
	LEAQ im512Ones<>(SB), R13

c2Chunk:
	VMOVDQU32 im512Spread<>(SB), Z28
	LEAQ      im512Even<>(SB), R15

c2Next:
	MOVQ  R9, AX
	SUBQ  R10, AX
	CLAMP(AX, $8, CX)
	MOVL  (R13)(AX*4), BX
	KMOVW BX, K1
	MOVL  (R15)(AX*4), BX
	KMOVW BX, K2
	LEAQ  (SI)(R10*4), AX
	LEAQ  (DI)(R10*8), BX
	MOVQ  R11, CX
	MOVQ  ohw+32(FP), DX
	SUBQ  R10, DX // values from this chunk's start to ohw

c2Row:
	CMPQ      DX, $8
	JLT       c2Masked
	VMOVUPS   (AX), Y0
	JMP       c2Spread

c2Masked:
	VMOVUPS.Z (AX), K1, Z0

c2Spread:
	VPERMPS   Z0, Z28, Z1
	VMOVUPS.Z (BX), K2, Z3
	VADDPS    Z1, Z3, Z3
	VMOVUPS   Z3, K2, (BX)
	ADDQ      R8, AX
	ADDQ      R12, BX
	SUBQ      R14, DX
	DECQ      CX
	JNZ       c2Row

	ADDQ $8, R10
	CMPQ R10, R9
	JLT  c2Next
	VZEROUPPER
	RET
