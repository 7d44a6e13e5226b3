//go:build !purego

#include "textflag.h"

// AVX2/FMA float32 logistic sigmoid and tanh for the recurrent layers' gate
// nonlinearities (gates.go states the contract and holds the pure-Go twin).
// Each routine handles 8 elements per iteration; n must be a multiple of 8
// (the Go wrappers in gates_amd64.go pass the tail through a padded
// buffer). The constants are 64-byte vectors, so they serve as memory
// operands of any width.
//
// exp(x) is Cephes' expf: n = round(x·log2 e), r = x − n·ln 2 (ln 2 split
// in two parts, the first exact in a product with n), exp(r) by a degree-7
// polynomial, 2ⁿ built in the exponent bits. The argument must lie in
// [-87.33, 88], where 2ⁿ is a normal number.

// EXP8 sets p = exp(x) for x in [-87.33, 88]; x is overwritten with r, n
// and t are scratch.
#define EXP8(x, n, p, t) \
	VMULPS       gate_log2e<>(SB), x, n; \
	VROUNDPS     $0, n, n; \
	VFNMADD231PS gate_c1<>(SB), n, x; \
	VFNMADD231PS gate_c2<>(SB), n, x; \
	VMOVUPS      gate_p0<>(SB), p; \
	VFMADD213PS  gate_p1<>(SB), x, p; \
	VFMADD213PS  gate_p2<>(SB), x, p; \
	VFMADD213PS  gate_p3<>(SB), x, p; \
	VFMADD213PS  gate_p4<>(SB), x, p; \
	VFMADD213PS  gate_p5<>(SB), x, p; \
	VMULPS       x, x, t; \
	VFMADD213PS  x, t, p; \
	VADDPS       gate_one<>(SB), p, p; \
	VCVTTPS2DQ   n, n; \
	VPADDD       gate_bias<>(SB), n, n; \
	VPSLLD       $23, n, n; \
	VMULPS       n, p, p

// func sigmoidAVX2(x, dst *float32, n int)
// dst = 1/(1+exp(-x)): -x is clamped to [-87.33, 88] with x as the operand
// min and max return for a NaN, so NaN passes through; x < -88 gives 0.
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ n+16(FP), CX
	VMOVUPS gate_hi<>(SB), Y14
	VMOVUPS gate_lo<>(SB), Y15
	VMOVUPS gate_one<>(SB), Y13
	VMOVUPS gate_abs<>(SB), Y12
	VPCMPEQD Y11, Y11, Y11
	VPXOR    Y12, Y11, Y11 // sign bit
sig8:
	CMPQ CX, $8
	JLT  sigDone
	VMOVUPS (SI), Y0
	VXORPS  Y11, Y0, Y1
	VMINPS  Y1, Y14, Y1
	VMAXPS  Y1, Y15, Y1
	EXP8(Y1, Y2, Y3, Y4)
	VADDPS  Y13, Y3, Y3
	VDIVPS  Y3, Y13, Y3
	VCMPPS  $0x11, gate_sigmin<>(SB), Y0, Y5
	VANDNPS Y3, Y5, Y3
	VMOVUPS Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  sig8
sigDone:
	VZEROUPPER
	RET

// func tanhAVX2(x, dst *float32, n int)
// For |x| < 0.625, x + x·z·P(z) with z = x² (Cephes' tanhf); otherwise
// 1 − 2/(exp(2·min(|x|, 10)) + 1); the sign of x is put back on both
// (tanh(-0) = -0). A NaN fails the |x| < 0.625 test and passes through
// min(10, |x|) and the rest.
TEXT ·tanhAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ n+16(FP), CX
	VMOVUPS gate_tanhhi<>(SB), Y14
	VMOVUPS gate_one<>(SB), Y13
	VMOVUPS gate_abs<>(SB), Y12
tanh8:
	CMPQ CX, $8
	JLT  tanhDone
	VMOVUPS (SI), Y0
	VANDPS  Y12, Y0, Y1 // a = |x|
	VXORPS  Y1, Y0, Y5  // sign of x
	VMINPS  Y1, Y14, Y2
	VADDPS  Y2, Y2, Y2
	EXP8(Y2, Y6, Y3, Y4)
	VADDPS  Y13, Y3, Y3
	VDIVPS  Y3, Y13, Y3
	VADDPS  Y3, Y3, Y3
	VSUBPS  Y3, Y13, Y3 // 1 − 2/(e+1)
	VMULPS  Y1, Y1, Y4  // z
	VMOVUPS gate_t0<>(SB), Y6
	VFMADD213PS gate_t1<>(SB), Y4, Y6
	VFMADD213PS gate_t2<>(SB), Y4, Y6
	VFMADD213PS gate_t3<>(SB), Y4, Y6
	VFMADD213PS gate_t4<>(SB), Y4, Y6
	VMULPS  Y4, Y6, Y6
	VFMADD213PS Y1, Y1, Y6 // a + a·z·P(z)
	VCMPPS  $0x11, gate_small<>(SB), Y1, Y7
	VBLENDVPS Y7, Y6, Y3, Y3
	VORPS   Y5, Y3, Y3
	VMOVUPS Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  tanh8
tanhDone:
	VZEROUPPER
	RET

// 1.4426950408889634
DATA gate_log2e<>+0(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+4(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+8(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+12(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+16(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+20(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+24(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+28(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+32(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+36(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+40(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+44(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+48(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+52(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+56(SB)/4, $0x3fb8aa3b
DATA gate_log2e<>+60(SB)/4, $0x3fb8aa3b
GLOBL gate_log2e<>(SB), RODATA|NOPTR, $64

// 0.693359375
DATA gate_c1<>+0(SB)/4, $0x3f318000
DATA gate_c1<>+4(SB)/4, $0x3f318000
DATA gate_c1<>+8(SB)/4, $0x3f318000
DATA gate_c1<>+12(SB)/4, $0x3f318000
DATA gate_c1<>+16(SB)/4, $0x3f318000
DATA gate_c1<>+20(SB)/4, $0x3f318000
DATA gate_c1<>+24(SB)/4, $0x3f318000
DATA gate_c1<>+28(SB)/4, $0x3f318000
DATA gate_c1<>+32(SB)/4, $0x3f318000
DATA gate_c1<>+36(SB)/4, $0x3f318000
DATA gate_c1<>+40(SB)/4, $0x3f318000
DATA gate_c1<>+44(SB)/4, $0x3f318000
DATA gate_c1<>+48(SB)/4, $0x3f318000
DATA gate_c1<>+52(SB)/4, $0x3f318000
DATA gate_c1<>+56(SB)/4, $0x3f318000
DATA gate_c1<>+60(SB)/4, $0x3f318000
GLOBL gate_c1<>(SB), RODATA|NOPTR, $64

// -0.00021219444
DATA gate_c2<>+0(SB)/4, $0xb95e8083
DATA gate_c2<>+4(SB)/4, $0xb95e8083
DATA gate_c2<>+8(SB)/4, $0xb95e8083
DATA gate_c2<>+12(SB)/4, $0xb95e8083
DATA gate_c2<>+16(SB)/4, $0xb95e8083
DATA gate_c2<>+20(SB)/4, $0xb95e8083
DATA gate_c2<>+24(SB)/4, $0xb95e8083
DATA gate_c2<>+28(SB)/4, $0xb95e8083
DATA gate_c2<>+32(SB)/4, $0xb95e8083
DATA gate_c2<>+36(SB)/4, $0xb95e8083
DATA gate_c2<>+40(SB)/4, $0xb95e8083
DATA gate_c2<>+44(SB)/4, $0xb95e8083
DATA gate_c2<>+48(SB)/4, $0xb95e8083
DATA gate_c2<>+52(SB)/4, $0xb95e8083
DATA gate_c2<>+56(SB)/4, $0xb95e8083
DATA gate_c2<>+60(SB)/4, $0xb95e8083
GLOBL gate_c2<>(SB), RODATA|NOPTR, $64

// 0.000198756915
DATA gate_p0<>+0(SB)/4, $0x39506967
DATA gate_p0<>+4(SB)/4, $0x39506967
DATA gate_p0<>+8(SB)/4, $0x39506967
DATA gate_p0<>+12(SB)/4, $0x39506967
DATA gate_p0<>+16(SB)/4, $0x39506967
DATA gate_p0<>+20(SB)/4, $0x39506967
DATA gate_p0<>+24(SB)/4, $0x39506967
DATA gate_p0<>+28(SB)/4, $0x39506967
DATA gate_p0<>+32(SB)/4, $0x39506967
DATA gate_p0<>+36(SB)/4, $0x39506967
DATA gate_p0<>+40(SB)/4, $0x39506967
DATA gate_p0<>+44(SB)/4, $0x39506967
DATA gate_p0<>+48(SB)/4, $0x39506967
DATA gate_p0<>+52(SB)/4, $0x39506967
DATA gate_p0<>+56(SB)/4, $0x39506967
DATA gate_p0<>+60(SB)/4, $0x39506967
GLOBL gate_p0<>(SB), RODATA|NOPTR, $64

// 0.0013981999507
DATA gate_p1<>+0(SB)/4, $0x3ab743ce
DATA gate_p1<>+4(SB)/4, $0x3ab743ce
DATA gate_p1<>+8(SB)/4, $0x3ab743ce
DATA gate_p1<>+12(SB)/4, $0x3ab743ce
DATA gate_p1<>+16(SB)/4, $0x3ab743ce
DATA gate_p1<>+20(SB)/4, $0x3ab743ce
DATA gate_p1<>+24(SB)/4, $0x3ab743ce
DATA gate_p1<>+28(SB)/4, $0x3ab743ce
DATA gate_p1<>+32(SB)/4, $0x3ab743ce
DATA gate_p1<>+36(SB)/4, $0x3ab743ce
DATA gate_p1<>+40(SB)/4, $0x3ab743ce
DATA gate_p1<>+44(SB)/4, $0x3ab743ce
DATA gate_p1<>+48(SB)/4, $0x3ab743ce
DATA gate_p1<>+52(SB)/4, $0x3ab743ce
DATA gate_p1<>+56(SB)/4, $0x3ab743ce
DATA gate_p1<>+60(SB)/4, $0x3ab743ce
GLOBL gate_p1<>(SB), RODATA|NOPTR, $64

// 0.0083334519073
DATA gate_p2<>+0(SB)/4, $0x3c088908
DATA gate_p2<>+4(SB)/4, $0x3c088908
DATA gate_p2<>+8(SB)/4, $0x3c088908
DATA gate_p2<>+12(SB)/4, $0x3c088908
DATA gate_p2<>+16(SB)/4, $0x3c088908
DATA gate_p2<>+20(SB)/4, $0x3c088908
DATA gate_p2<>+24(SB)/4, $0x3c088908
DATA gate_p2<>+28(SB)/4, $0x3c088908
DATA gate_p2<>+32(SB)/4, $0x3c088908
DATA gate_p2<>+36(SB)/4, $0x3c088908
DATA gate_p2<>+40(SB)/4, $0x3c088908
DATA gate_p2<>+44(SB)/4, $0x3c088908
DATA gate_p2<>+48(SB)/4, $0x3c088908
DATA gate_p2<>+52(SB)/4, $0x3c088908
DATA gate_p2<>+56(SB)/4, $0x3c088908
DATA gate_p2<>+60(SB)/4, $0x3c088908
GLOBL gate_p2<>(SB), RODATA|NOPTR, $64

// 0.041665795894
DATA gate_p3<>+0(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+4(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+8(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+12(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+16(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+20(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+24(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+28(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+32(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+36(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+40(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+44(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+48(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+52(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+56(SB)/4, $0x3d2aa9c1
DATA gate_p3<>+60(SB)/4, $0x3d2aa9c1
GLOBL gate_p3<>(SB), RODATA|NOPTR, $64

// 0.16666665459
DATA gate_p4<>+0(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+4(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+8(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+12(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+16(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+20(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+24(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+28(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+32(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+36(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+40(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+44(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+48(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+52(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+56(SB)/4, $0x3e2aaaaa
DATA gate_p4<>+60(SB)/4, $0x3e2aaaaa
GLOBL gate_p4<>(SB), RODATA|NOPTR, $64

// 0.50000001201
DATA gate_p5<>+0(SB)/4, $0x3f000000
DATA gate_p5<>+4(SB)/4, $0x3f000000
DATA gate_p5<>+8(SB)/4, $0x3f000000
DATA gate_p5<>+12(SB)/4, $0x3f000000
DATA gate_p5<>+16(SB)/4, $0x3f000000
DATA gate_p5<>+20(SB)/4, $0x3f000000
DATA gate_p5<>+24(SB)/4, $0x3f000000
DATA gate_p5<>+28(SB)/4, $0x3f000000
DATA gate_p5<>+32(SB)/4, $0x3f000000
DATA gate_p5<>+36(SB)/4, $0x3f000000
DATA gate_p5<>+40(SB)/4, $0x3f000000
DATA gate_p5<>+44(SB)/4, $0x3f000000
DATA gate_p5<>+48(SB)/4, $0x3f000000
DATA gate_p5<>+52(SB)/4, $0x3f000000
DATA gate_p5<>+56(SB)/4, $0x3f000000
DATA gate_p5<>+60(SB)/4, $0x3f000000
GLOBL gate_p5<>(SB), RODATA|NOPTR, $64

// 1.0
DATA gate_one<>+0(SB)/4, $0x3f800000
DATA gate_one<>+4(SB)/4, $0x3f800000
DATA gate_one<>+8(SB)/4, $0x3f800000
DATA gate_one<>+12(SB)/4, $0x3f800000
DATA gate_one<>+16(SB)/4, $0x3f800000
DATA gate_one<>+20(SB)/4, $0x3f800000
DATA gate_one<>+24(SB)/4, $0x3f800000
DATA gate_one<>+28(SB)/4, $0x3f800000
DATA gate_one<>+32(SB)/4, $0x3f800000
DATA gate_one<>+36(SB)/4, $0x3f800000
DATA gate_one<>+40(SB)/4, $0x3f800000
DATA gate_one<>+44(SB)/4, $0x3f800000
DATA gate_one<>+48(SB)/4, $0x3f800000
DATA gate_one<>+52(SB)/4, $0x3f800000
DATA gate_one<>+56(SB)/4, $0x3f800000
DATA gate_one<>+60(SB)/4, $0x3f800000
GLOBL gate_one<>(SB), RODATA|NOPTR, $64

// 88.0
DATA gate_hi<>+0(SB)/4, $0x42b00000
DATA gate_hi<>+4(SB)/4, $0x42b00000
DATA gate_hi<>+8(SB)/4, $0x42b00000
DATA gate_hi<>+12(SB)/4, $0x42b00000
DATA gate_hi<>+16(SB)/4, $0x42b00000
DATA gate_hi<>+20(SB)/4, $0x42b00000
DATA gate_hi<>+24(SB)/4, $0x42b00000
DATA gate_hi<>+28(SB)/4, $0x42b00000
DATA gate_hi<>+32(SB)/4, $0x42b00000
DATA gate_hi<>+36(SB)/4, $0x42b00000
DATA gate_hi<>+40(SB)/4, $0x42b00000
DATA gate_hi<>+44(SB)/4, $0x42b00000
DATA gate_hi<>+48(SB)/4, $0x42b00000
DATA gate_hi<>+52(SB)/4, $0x42b00000
DATA gate_hi<>+56(SB)/4, $0x42b00000
DATA gate_hi<>+60(SB)/4, $0x42b00000
GLOBL gate_hi<>(SB), RODATA|NOPTR, $64

// -87.33
DATA gate_lo<>+0(SB)/4, $0xc2aea8f6
DATA gate_lo<>+4(SB)/4, $0xc2aea8f6
DATA gate_lo<>+8(SB)/4, $0xc2aea8f6
DATA gate_lo<>+12(SB)/4, $0xc2aea8f6
DATA gate_lo<>+16(SB)/4, $0xc2aea8f6
DATA gate_lo<>+20(SB)/4, $0xc2aea8f6
DATA gate_lo<>+24(SB)/4, $0xc2aea8f6
DATA gate_lo<>+28(SB)/4, $0xc2aea8f6
DATA gate_lo<>+32(SB)/4, $0xc2aea8f6
DATA gate_lo<>+36(SB)/4, $0xc2aea8f6
DATA gate_lo<>+40(SB)/4, $0xc2aea8f6
DATA gate_lo<>+44(SB)/4, $0xc2aea8f6
DATA gate_lo<>+48(SB)/4, $0xc2aea8f6
DATA gate_lo<>+52(SB)/4, $0xc2aea8f6
DATA gate_lo<>+56(SB)/4, $0xc2aea8f6
DATA gate_lo<>+60(SB)/4, $0xc2aea8f6
GLOBL gate_lo<>(SB), RODATA|NOPTR, $64

// -88.0
DATA gate_sigmin<>+0(SB)/4, $0xc2b00000
DATA gate_sigmin<>+4(SB)/4, $0xc2b00000
DATA gate_sigmin<>+8(SB)/4, $0xc2b00000
DATA gate_sigmin<>+12(SB)/4, $0xc2b00000
DATA gate_sigmin<>+16(SB)/4, $0xc2b00000
DATA gate_sigmin<>+20(SB)/4, $0xc2b00000
DATA gate_sigmin<>+24(SB)/4, $0xc2b00000
DATA gate_sigmin<>+28(SB)/4, $0xc2b00000
DATA gate_sigmin<>+32(SB)/4, $0xc2b00000
DATA gate_sigmin<>+36(SB)/4, $0xc2b00000
DATA gate_sigmin<>+40(SB)/4, $0xc2b00000
DATA gate_sigmin<>+44(SB)/4, $0xc2b00000
DATA gate_sigmin<>+48(SB)/4, $0xc2b00000
DATA gate_sigmin<>+52(SB)/4, $0xc2b00000
DATA gate_sigmin<>+56(SB)/4, $0xc2b00000
DATA gate_sigmin<>+60(SB)/4, $0xc2b00000
GLOBL gate_sigmin<>(SB), RODATA|NOPTR, $64

// 10.0: the largest |x| tanh computes; from there on 1 − 2/(e+1) is 1 in float32
DATA gate_tanhhi<>+0(SB)/4, $0x41200000
DATA gate_tanhhi<>+4(SB)/4, $0x41200000
DATA gate_tanhhi<>+8(SB)/4, $0x41200000
DATA gate_tanhhi<>+12(SB)/4, $0x41200000
DATA gate_tanhhi<>+16(SB)/4, $0x41200000
DATA gate_tanhhi<>+20(SB)/4, $0x41200000
DATA gate_tanhhi<>+24(SB)/4, $0x41200000
DATA gate_tanhhi<>+28(SB)/4, $0x41200000
DATA gate_tanhhi<>+32(SB)/4, $0x41200000
DATA gate_tanhhi<>+36(SB)/4, $0x41200000
DATA gate_tanhhi<>+40(SB)/4, $0x41200000
DATA gate_tanhhi<>+44(SB)/4, $0x41200000
DATA gate_tanhhi<>+48(SB)/4, $0x41200000
DATA gate_tanhhi<>+52(SB)/4, $0x41200000
DATA gate_tanhhi<>+56(SB)/4, $0x41200000
DATA gate_tanhhi<>+60(SB)/4, $0x41200000
GLOBL gate_tanhhi<>(SB), RODATA|NOPTR, $64

// 0.625
DATA gate_small<>+0(SB)/4, $0x3f200000
DATA gate_small<>+4(SB)/4, $0x3f200000
DATA gate_small<>+8(SB)/4, $0x3f200000
DATA gate_small<>+12(SB)/4, $0x3f200000
DATA gate_small<>+16(SB)/4, $0x3f200000
DATA gate_small<>+20(SB)/4, $0x3f200000
DATA gate_small<>+24(SB)/4, $0x3f200000
DATA gate_small<>+28(SB)/4, $0x3f200000
DATA gate_small<>+32(SB)/4, $0x3f200000
DATA gate_small<>+36(SB)/4, $0x3f200000
DATA gate_small<>+40(SB)/4, $0x3f200000
DATA gate_small<>+44(SB)/4, $0x3f200000
DATA gate_small<>+48(SB)/4, $0x3f200000
DATA gate_small<>+52(SB)/4, $0x3f200000
DATA gate_small<>+56(SB)/4, $0x3f200000
DATA gate_small<>+60(SB)/4, $0x3f200000
GLOBL gate_small<>(SB), RODATA|NOPTR, $64

// -0.00570498872745
DATA gate_t0<>+0(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+4(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+8(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+12(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+16(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+20(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+24(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+28(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+32(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+36(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+40(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+44(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+48(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+52(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+56(SB)/4, $0xbbbaf0ea
DATA gate_t0<>+60(SB)/4, $0xbbbaf0ea
GLOBL gate_t0<>(SB), RODATA|NOPTR, $64

// 0.0206390887954
DATA gate_t1<>+0(SB)/4, $0x3ca9134e
DATA gate_t1<>+4(SB)/4, $0x3ca9134e
DATA gate_t1<>+8(SB)/4, $0x3ca9134e
DATA gate_t1<>+12(SB)/4, $0x3ca9134e
DATA gate_t1<>+16(SB)/4, $0x3ca9134e
DATA gate_t1<>+20(SB)/4, $0x3ca9134e
DATA gate_t1<>+24(SB)/4, $0x3ca9134e
DATA gate_t1<>+28(SB)/4, $0x3ca9134e
DATA gate_t1<>+32(SB)/4, $0x3ca9134e
DATA gate_t1<>+36(SB)/4, $0x3ca9134e
DATA gate_t1<>+40(SB)/4, $0x3ca9134e
DATA gate_t1<>+44(SB)/4, $0x3ca9134e
DATA gate_t1<>+48(SB)/4, $0x3ca9134e
DATA gate_t1<>+52(SB)/4, $0x3ca9134e
DATA gate_t1<>+56(SB)/4, $0x3ca9134e
DATA gate_t1<>+60(SB)/4, $0x3ca9134e
GLOBL gate_t1<>(SB), RODATA|NOPTR, $64

// -0.0537397155531
DATA gate_t2<>+0(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+4(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+8(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+12(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+16(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+20(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+24(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+28(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+32(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+36(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+40(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+44(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+48(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+52(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+56(SB)/4, $0xbd5c1e2d
DATA gate_t2<>+60(SB)/4, $0xbd5c1e2d
GLOBL gate_t2<>(SB), RODATA|NOPTR, $64

// 0.133314422036
DATA gate_t3<>+0(SB)/4, $0x3e088393
DATA gate_t3<>+4(SB)/4, $0x3e088393
DATA gate_t3<>+8(SB)/4, $0x3e088393
DATA gate_t3<>+12(SB)/4, $0x3e088393
DATA gate_t3<>+16(SB)/4, $0x3e088393
DATA gate_t3<>+20(SB)/4, $0x3e088393
DATA gate_t3<>+24(SB)/4, $0x3e088393
DATA gate_t3<>+28(SB)/4, $0x3e088393
DATA gate_t3<>+32(SB)/4, $0x3e088393
DATA gate_t3<>+36(SB)/4, $0x3e088393
DATA gate_t3<>+40(SB)/4, $0x3e088393
DATA gate_t3<>+44(SB)/4, $0x3e088393
DATA gate_t3<>+48(SB)/4, $0x3e088393
DATA gate_t3<>+52(SB)/4, $0x3e088393
DATA gate_t3<>+56(SB)/4, $0x3e088393
DATA gate_t3<>+60(SB)/4, $0x3e088393
GLOBL gate_t3<>(SB), RODATA|NOPTR, $64

// -0.333332819422
DATA gate_t4<>+0(SB)/4, $0xbeaaaa99
DATA gate_t4<>+4(SB)/4, $0xbeaaaa99
DATA gate_t4<>+8(SB)/4, $0xbeaaaa99
DATA gate_t4<>+12(SB)/4, $0xbeaaaa99
DATA gate_t4<>+16(SB)/4, $0xbeaaaa99
DATA gate_t4<>+20(SB)/4, $0xbeaaaa99
DATA gate_t4<>+24(SB)/4, $0xbeaaaa99
DATA gate_t4<>+28(SB)/4, $0xbeaaaa99
DATA gate_t4<>+32(SB)/4, $0xbeaaaa99
DATA gate_t4<>+36(SB)/4, $0xbeaaaa99
DATA gate_t4<>+40(SB)/4, $0xbeaaaa99
DATA gate_t4<>+44(SB)/4, $0xbeaaaa99
DATA gate_t4<>+48(SB)/4, $0xbeaaaa99
DATA gate_t4<>+52(SB)/4, $0xbeaaaa99
DATA gate_t4<>+56(SB)/4, $0xbeaaaa99
DATA gate_t4<>+60(SB)/4, $0xbeaaaa99
GLOBL gate_t4<>(SB), RODATA|NOPTR, $64

// int32 0x7f
DATA gate_bias<>+0(SB)/4, $0x7f
DATA gate_bias<>+4(SB)/4, $0x7f
DATA gate_bias<>+8(SB)/4, $0x7f
DATA gate_bias<>+12(SB)/4, $0x7f
DATA gate_bias<>+16(SB)/4, $0x7f
DATA gate_bias<>+20(SB)/4, $0x7f
DATA gate_bias<>+24(SB)/4, $0x7f
DATA gate_bias<>+28(SB)/4, $0x7f
DATA gate_bias<>+32(SB)/4, $0x7f
DATA gate_bias<>+36(SB)/4, $0x7f
DATA gate_bias<>+40(SB)/4, $0x7f
DATA gate_bias<>+44(SB)/4, $0x7f
DATA gate_bias<>+48(SB)/4, $0x7f
DATA gate_bias<>+52(SB)/4, $0x7f
DATA gate_bias<>+56(SB)/4, $0x7f
DATA gate_bias<>+60(SB)/4, $0x7f
GLOBL gate_bias<>(SB), RODATA|NOPTR, $64

// int32 0x7fffffff
DATA gate_abs<>+0(SB)/4, $0x7fffffff
DATA gate_abs<>+4(SB)/4, $0x7fffffff
DATA gate_abs<>+8(SB)/4, $0x7fffffff
DATA gate_abs<>+12(SB)/4, $0x7fffffff
DATA gate_abs<>+16(SB)/4, $0x7fffffff
DATA gate_abs<>+20(SB)/4, $0x7fffffff
DATA gate_abs<>+24(SB)/4, $0x7fffffff
DATA gate_abs<>+28(SB)/4, $0x7fffffff
DATA gate_abs<>+32(SB)/4, $0x7fffffff
DATA gate_abs<>+36(SB)/4, $0x7fffffff
DATA gate_abs<>+40(SB)/4, $0x7fffffff
DATA gate_abs<>+44(SB)/4, $0x7fffffff
DATA gate_abs<>+48(SB)/4, $0x7fffffff
DATA gate_abs<>+52(SB)/4, $0x7fffffff
DATA gate_abs<>+56(SB)/4, $0x7fffffff
DATA gate_abs<>+60(SB)/4, $0x7fffffff
GLOBL gate_abs<>(SB), RODATA|NOPTR, $64

