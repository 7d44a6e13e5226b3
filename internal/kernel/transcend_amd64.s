//go:build !purego

#include "textflag.h"

// Vectorised float32 e^x and softplus (transcend.go
// has the algorithms and their pure-Go twins). Each routine handles n, a
// multiple of its width (16 lanes AVX-512, 8 AVX2); the Go side pads the tail.

// Constant table: each float32 (or int32) constant eight times, 32 bytes
// apart, so the AVX2 code reads it as a YMM operand and the AVX-512 code
// broadcasts it. Cephes's expf (E0..E5, Hi/Lo clamps, ln 2 split) and logf (L0..L8).
#define C_HI 0
#define C_LO 32
#define C_LOG2E 64
#define C_LN2HI 96
#define C_LN2LO 128
#define C_E0 160
#define C_E1 192
#define C_E2 224
#define C_E3 256
#define C_E4 288
#define C_E5 320
#define C_ONE 352
#define C_SQRT2 384
#define C_L0 416
#define C_L1 448
#define C_L2 480
#define C_L3 512
#define C_L4 544
#define C_L5 576
#define C_L6 608
#define C_L7 640
#define C_L8 672
#define C_SIGN 704
#define C_ABS 736
#define C_BIAS 768

DATA tc<>+0(SB)/8, $0x42b2000042b20000
DATA tc<>+8(SB)/8, $0x42b2000042b20000
DATA tc<>+16(SB)/8, $0x42b2000042b20000
DATA tc<>+24(SB)/8, $0x42b2000042b20000
DATA tc<>+32(SB)/8, $0xc2d00000c2d00000
DATA tc<>+40(SB)/8, $0xc2d00000c2d00000
DATA tc<>+48(SB)/8, $0xc2d00000c2d00000
DATA tc<>+56(SB)/8, $0xc2d00000c2d00000
DATA tc<>+64(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA tc<>+72(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA tc<>+80(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA tc<>+88(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA tc<>+96(SB)/8, $0x3f3180003f318000
DATA tc<>+104(SB)/8, $0x3f3180003f318000
DATA tc<>+112(SB)/8, $0x3f3180003f318000
DATA tc<>+120(SB)/8, $0x3f3180003f318000
DATA tc<>+128(SB)/8, $0xb95e8083b95e8083
DATA tc<>+136(SB)/8, $0xb95e8083b95e8083
DATA tc<>+144(SB)/8, $0xb95e8083b95e8083
DATA tc<>+152(SB)/8, $0xb95e8083b95e8083
DATA tc<>+160(SB)/8, $0x3950696739506967
DATA tc<>+168(SB)/8, $0x3950696739506967
DATA tc<>+176(SB)/8, $0x3950696739506967
DATA tc<>+184(SB)/8, $0x3950696739506967
DATA tc<>+192(SB)/8, $0x3ab743ce3ab743ce
DATA tc<>+200(SB)/8, $0x3ab743ce3ab743ce
DATA tc<>+208(SB)/8, $0x3ab743ce3ab743ce
DATA tc<>+216(SB)/8, $0x3ab743ce3ab743ce
DATA tc<>+224(SB)/8, $0x3c0889083c088908
DATA tc<>+232(SB)/8, $0x3c0889083c088908
DATA tc<>+240(SB)/8, $0x3c0889083c088908
DATA tc<>+248(SB)/8, $0x3c0889083c088908
DATA tc<>+256(SB)/8, $0x3d2aa9c13d2aa9c1
DATA tc<>+264(SB)/8, $0x3d2aa9c13d2aa9c1
DATA tc<>+272(SB)/8, $0x3d2aa9c13d2aa9c1
DATA tc<>+280(SB)/8, $0x3d2aa9c13d2aa9c1
DATA tc<>+288(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA tc<>+296(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA tc<>+304(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA tc<>+312(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA tc<>+320(SB)/8, $0x3f0000003f000000
DATA tc<>+328(SB)/8, $0x3f0000003f000000
DATA tc<>+336(SB)/8, $0x3f0000003f000000
DATA tc<>+344(SB)/8, $0x3f0000003f000000
DATA tc<>+352(SB)/8, $0x3f8000003f800000
DATA tc<>+360(SB)/8, $0x3f8000003f800000
DATA tc<>+368(SB)/8, $0x3f8000003f800000
DATA tc<>+376(SB)/8, $0x3f8000003f800000
DATA tc<>+384(SB)/8, $0x3fb504f33fb504f3
DATA tc<>+392(SB)/8, $0x3fb504f33fb504f3
DATA tc<>+400(SB)/8, $0x3fb504f33fb504f3
DATA tc<>+408(SB)/8, $0x3fb504f33fb504f3
DATA tc<>+416(SB)/8, $0x3d9021bb3d9021bb
DATA tc<>+424(SB)/8, $0x3d9021bb3d9021bb
DATA tc<>+432(SB)/8, $0x3d9021bb3d9021bb
DATA tc<>+440(SB)/8, $0x3d9021bb3d9021bb
DATA tc<>+448(SB)/8, $0xbdebd1b8bdebd1b8
DATA tc<>+456(SB)/8, $0xbdebd1b8bdebd1b8
DATA tc<>+464(SB)/8, $0xbdebd1b8bdebd1b8
DATA tc<>+472(SB)/8, $0xbdebd1b8bdebd1b8
DATA tc<>+480(SB)/8, $0x3def251a3def251a
DATA tc<>+488(SB)/8, $0x3def251a3def251a
DATA tc<>+496(SB)/8, $0x3def251a3def251a
DATA tc<>+504(SB)/8, $0x3def251a3def251a
DATA tc<>+512(SB)/8, $0xbdfe5d4fbdfe5d4f
DATA tc<>+520(SB)/8, $0xbdfe5d4fbdfe5d4f
DATA tc<>+528(SB)/8, $0xbdfe5d4fbdfe5d4f
DATA tc<>+536(SB)/8, $0xbdfe5d4fbdfe5d4f
DATA tc<>+544(SB)/8, $0x3e11e9bf3e11e9bf
DATA tc<>+552(SB)/8, $0x3e11e9bf3e11e9bf
DATA tc<>+560(SB)/8, $0x3e11e9bf3e11e9bf
DATA tc<>+568(SB)/8, $0x3e11e9bf3e11e9bf
DATA tc<>+576(SB)/8, $0xbe2aae50be2aae50
DATA tc<>+584(SB)/8, $0xbe2aae50be2aae50
DATA tc<>+592(SB)/8, $0xbe2aae50be2aae50
DATA tc<>+600(SB)/8, $0xbe2aae50be2aae50
DATA tc<>+608(SB)/8, $0x3e4cceac3e4cceac
DATA tc<>+616(SB)/8, $0x3e4cceac3e4cceac
DATA tc<>+624(SB)/8, $0x3e4cceac3e4cceac
DATA tc<>+632(SB)/8, $0x3e4cceac3e4cceac
DATA tc<>+640(SB)/8, $0xbe7ffffcbe7ffffc
DATA tc<>+648(SB)/8, $0xbe7ffffcbe7ffffc
DATA tc<>+656(SB)/8, $0xbe7ffffcbe7ffffc
DATA tc<>+664(SB)/8, $0xbe7ffffcbe7ffffc
DATA tc<>+672(SB)/8, $0x3eaaaaaa3eaaaaaa
DATA tc<>+680(SB)/8, $0x3eaaaaaa3eaaaaaa
DATA tc<>+688(SB)/8, $0x3eaaaaaa3eaaaaaa
DATA tc<>+696(SB)/8, $0x3eaaaaaa3eaaaaaa
DATA tc<>+704(SB)/8, $0x8000000080000000
DATA tc<>+712(SB)/8, $0x8000000080000000
DATA tc<>+720(SB)/8, $0x8000000080000000
DATA tc<>+728(SB)/8, $0x8000000080000000
DATA tc<>+736(SB)/8, $0x7fffffff7fffffff
DATA tc<>+744(SB)/8, $0x7fffffff7fffffff
DATA tc<>+752(SB)/8, $0x7fffffff7fffffff
DATA tc<>+760(SB)/8, $0x7fffffff7fffffff
DATA tc<>+768(SB)/8, $0x0000007f0000007f
DATA tc<>+776(SB)/8, $0x0000007f0000007f
DATA tc<>+784(SB)/8, $0x0000007f0000007f
DATA tc<>+792(SB)/8, $0x0000007f0000007f
GLOBL tc<>(SB), RODATA|NOPTR, $800

// ---------------------------------------------------------------- AVX-512

// LOAD512 fills the registers the exp core reads: Z16 89 (upper clamp),
// Z17 -104 (lower clamp), Z18 log2 e, Z19/Z20 ln 2 split high/low,
// Z21..Z26 the polynomial (Z26 is exactly 0.5), Z27 1, Z28 the sign bit,
// Z29 the magnitude bits, Z30 0.
#define LOAD512 \
	VBROADCASTSS tc<>+C_HI(SB), Z16; \
	VBROADCASTSS tc<>+C_LO(SB), Z17; \
	VBROADCASTSS tc<>+C_LOG2E(SB), Z18; \
	VBROADCASTSS tc<>+C_LN2HI(SB), Z19; \
	VBROADCASTSS tc<>+C_LN2LO(SB), Z20; \
	VBROADCASTSS tc<>+C_E0(SB), Z21; \
	VBROADCASTSS tc<>+C_E1(SB), Z22; \
	VBROADCASTSS tc<>+C_E2(SB), Z23; \
	VBROADCASTSS tc<>+C_E3(SB), Z24; \
	VBROADCASTSS tc<>+C_E4(SB), Z25; \
	VBROADCASTSS tc<>+C_E5(SB), Z26; \
	VBROADCASTSS tc<>+C_ONE(SB), Z27; \
	VBROADCASTSS tc<>+C_SIGN(SB), Z28; \
	VBROADCASTSS tc<>+C_ABS(SB), Z29; \
	VPXORD Z30, Z30, Z30

// EXP512 sets x = e^x (16 lanes); n and t are scratch. The clamps keep a
// NaN in x (it is the second source of MINPS/MAXPS); VSCALEFPS scales by
// 2^n with correct overflow to +Inf and gradual underflow.
#define EXP512(x, n, t) \
	VMINPS x, Z16, x; \
	VMAXPS x, Z17, x; \
	VMULPS Z18, x, n; \
	VRNDSCALEPS $0, n, n; \
	VFNMADD231PS Z19, n, x; \
	VFNMADD231PS Z20, n, x; \
	VMOVAPS Z21, t; \
	VFMADD213PS Z22, x, t; \
	VFMADD213PS Z23, x, t; \
	VFMADD213PS Z24, x, t; \
	VFMADD213PS Z25, x, t; \
	VFMADD213PS Z26, x, t; \
	VFMADD213PS Z27, x, t; \
	VFMADD213PS Z27, x, t; \
	VSCALEFPS n, t, x

// func expAVX512(x, dst *float32, n int)
TEXT ·expAVX512(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ n+16(FP), CX
	LOAD512
loop:
	CMPQ CX, $16
	JLT  done
	VMOVUPS (SI), Z0
	EXP512(Z0, Z1, Z2)
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  loop
done:
	VZEROUPPER
	RET

// func softplusAVX512(x, dst *float32, n int)
TEXT ·softplusAVX512(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ n+16(FP), CX
	LOAD512
	VBROADCASTSS tc<>+C_SQRT2(SB), Z8
	VBROADCASTSS tc<>+C_L0(SB), Z9
	VBROADCASTSS tc<>+C_L1(SB), Z10
	VBROADCASTSS tc<>+C_L2(SB), Z11
	VBROADCASTSS tc<>+C_L3(SB), Z12
	VBROADCASTSS tc<>+C_L4(SB), Z13
	VBROADCASTSS tc<>+C_L5(SB), Z14
	VBROADCASTSS tc<>+C_L6(SB), Z15
	VBROADCASTSS tc<>+C_L7(SB), Z7
	VBROADCASTSS tc<>+C_L8(SB), Z31
loop:
	CMPQ CX, $16
	JLT  done
	VMOVUPS (SI), Z0
	VORPS   Z28, Z0, Z1     // -|x|
	EXP512(Z1, Z2, Z3)      // e = e^-|x| in (0, 1]
	VADDPS  Z27, Z1, Z2     // u = 1 + e
	VSUBPS  Z27, Z2, Z3     // d = u - 1 (exact)
	VSUBPS  Z3, Z1, Z4      // c = e - d, the rounding error of u (exact)
	VMOVAPS Z2, Z5
	VFMSUB213PS Z27, Z26, Z5 // u/2 - 1 (exact)
	VCMPPS  $0x1e, Z8, Z2, K1 // u > √2
	VMOVAPS Z5, K1, Z3      // f: u = 2^k (1+f), k = 0 or 1
	VMOVAPS.Z Z27, K1, Z6   // k
	VMULPS  Z3, Z3, Z5      // z = f²
	VMOVAPS Z9, Z1
	VFMADD213PS Z10, Z3, Z1
	VFMADD213PS Z11, Z3, Z1
	VFMADD213PS Z12, Z3, Z1
	VFMADD213PS Z13, Z3, Z1
	VFMADD213PS Z14, Z3, Z1
	VFMADD213PS Z15, Z3, Z1
	VFMADD213PS Z7, Z3, Z1
	VFMADD213PS Z31, Z3, Z1
	VMULPS  Z3, Z1, Z1
	VMULPS  Z5, Z1, Z1      // f·z·P(f)
	VFMADD231PS Z20, Z6, Z1 // + k·ln2lo
	VFNMADD231PS Z26, Z5, Z1 // - z/2
	VADDPS  Z1, Z3, Z1      // + f
	VFMADD231PS Z19, Z6, Z1 // + k·ln2hi: log u
	VDIVPS  Z2, Z4, Z4
	VADDPS  Z4, Z1, Z1      // + c/u: log1p(e)
	VMAXPS  Z30, Z0, Z0     // max(x, 0)
	VADDPS  Z1, Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  loop
done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------- AVX2

// LOAD256 fills the registers the AVX2 exp core keeps: Y13 1, Y14 89,
// Y15 -104. Other constants are YMM memory operands from tc.
#define LOAD256 \
	VMOVUPS tc<>+C_ONE(SB), Y13; \
	VMOVUPS tc<>+C_HI(SB), Y14; \
	VMOVUPS tc<>+C_LO(SB), Y15

// EXP256 sets x = e^x (8 lanes); n, t and s are scratch. 2^n is applied
// as two factors 2^(n>>1) and 2^(n-(n>>1)), each a normal number for
// n in [-150, 128], so underflow is gradual and overflow gives +Inf.
#define EXP256(x, n, t, s) \
	VMINPS x, Y14, x; \
	VMAXPS x, Y15, x; \
	VMULPS tc<>+C_LOG2E(SB), x, n; \
	VROUNDPS $0, n, n; \
	VFNMADD231PS tc<>+C_LN2HI(SB), n, x; \
	VFNMADD231PS tc<>+C_LN2LO(SB), n, x; \
	VMOVUPS tc<>+C_E0(SB), t; \
	VFMADD213PS tc<>+C_E1(SB), x, t; \
	VFMADD213PS tc<>+C_E2(SB), x, t; \
	VFMADD213PS tc<>+C_E3(SB), x, t; \
	VFMADD213PS tc<>+C_E4(SB), x, t; \
	VFMADD213PS tc<>+C_E5(SB), x, t; \
	VFMADD213PS Y13, x, t; \
	VFMADD213PS Y13, x, t; \
	VCVTPS2DQ n, n; \
	VPSRAD $1, n, s; \
	VPSUBD s, n, n; \
	VPADDD tc<>+C_BIAS(SB), s, s; \
	VPSLLD $23, s, s; \
	VPADDD tc<>+C_BIAS(SB), n, n; \
	VPSLLD $23, n, n; \
	VMULPS s, t, t; \
	VMULPS n, t, x

// func expAVX2(x, dst *float32, n int)
TEXT ·expAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ n+16(FP), CX
	LOAD256
loop:
	CMPQ CX, $8
	JLT  done
	VMOVUPS (SI), Y0
	EXP256(Y0, Y1, Y2, Y3)
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  loop
done:
	VZEROUPPER
	RET

// func softplusAVX2(x, dst *float32, n int)
TEXT ·softplusAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ n+16(FP), CX
	LOAD256
	VXORPS  Y12, Y12, Y12
loop:
	CMPQ CX, $8
	JLT  done
	VMOVUPS (SI), Y0
	VORPS   tc<>+C_SIGN(SB), Y0, Y1
	EXP256(Y1, Y2, Y3, Y4)
	VADDPS  Y13, Y1, Y2
	VSUBPS  Y13, Y2, Y3
	VSUBPS  Y3, Y1, Y4
	VMULPS  tc<>+C_E5(SB), Y2, Y5
	VSUBPS  Y13, Y5, Y5     // u/2 - 1 (exact)
	VCMPPS  $0x1e, tc<>+C_SQRT2(SB), Y2, Y6
	VBLENDVPS Y6, Y5, Y3, Y3
	VANDPS  Y13, Y6, Y6     // k
	VMULPS  Y3, Y3, Y5
	VMOVUPS tc<>+C_L0(SB), Y1
	VFMADD213PS tc<>+C_L1(SB), Y3, Y1
	VFMADD213PS tc<>+C_L2(SB), Y3, Y1
	VFMADD213PS tc<>+C_L3(SB), Y3, Y1
	VFMADD213PS tc<>+C_L4(SB), Y3, Y1
	VFMADD213PS tc<>+C_L5(SB), Y3, Y1
	VFMADD213PS tc<>+C_L6(SB), Y3, Y1
	VFMADD213PS tc<>+C_L7(SB), Y3, Y1
	VFMADD213PS tc<>+C_L8(SB), Y3, Y1
	VMULPS  Y3, Y1, Y1
	VMULPS  Y5, Y1, Y1
	VFMADD231PS tc<>+C_LN2LO(SB), Y6, Y1
	VFNMADD231PS tc<>+C_E5(SB), Y5, Y1
	VADDPS  Y1, Y3, Y1
	VFMADD231PS tc<>+C_LN2HI(SB), Y6, Y1
	VDIVPS  Y2, Y4, Y4
	VADDPS  Y4, Y1, Y1
	VMAXPS  Y12, Y0, Y0
	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  loop
done:
	VZEROUPPER
	RET

// func sigmoidMulAVX512(x, grad, dst *float32, n int)
// dst = grad/(1+e^-x), the softplus backward g·σ(x), 16 lanes.
TEXT ·sigmoidMulAVX512(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ grad+8(FP), DX
	MOVQ dst+16(FP), DI
	MOVQ n+24(FP), CX
	LOAD512
smloop512:
	CMPQ CX, $16
	JLT  smdone512
	VMOVUPS (SI), Z0
	VXORPS  Z28, Z0, Z0 // -x
	EXP512(Z0, Z1, Z2)
	VADDPS  Z27, Z0, Z0 // 1+e^-x
	VMOVUPS (DX), Z3
	VDIVPS  Z0, Z3, Z3  // g/(1+e^-x)
	VMOVUPS Z3, (DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  smloop512
smdone512:
	VZEROUPPER
	RET

// func sigmoidMulAVX2(x, grad, dst *float32, n int)
TEXT ·sigmoidMulAVX2(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ grad+8(FP), DX
	MOVQ dst+16(FP), DI
	MOVQ n+24(FP), CX
	LOAD256
smloop256:
	CMPQ CX, $8
	JLT  smdone256
	VMOVUPS (SI), Y0
	VXORPS  tc<>+C_SIGN(SB), Y0, Y0
	EXP256(Y0, Y1, Y2, Y3)
	VADDPS  Y13, Y0, Y0
	VMOVUPS (DX), Y4
	VDIVPS  Y0, Y4, Y4
	VMOVUPS Y4, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  smloop256
smdone256:
	VZEROUPPER
	RET
