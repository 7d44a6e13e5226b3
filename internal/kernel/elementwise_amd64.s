//go:build !purego

#include "textflag.h"

// AVX2/FMA float32 element-wise loops. Each routine handles 32 elements per
// iteration (four YMM registers), then 8 at a time, then a scalar tail, so
// any n >= 0 is valid. Callers (elementwise_amd64.go) check the lengths.

// func ewAxpyAVX2(alpha float32, x, y *float32, n int)
TEXT ·ewAxpyAVX2(SB), NOSPLIT, $0-32
	VBROADCASTSS alpha+0(FP), Y0
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	MOVQ n+24(FP), CX
axpy32:
	CMPQ CX, $32
	JLT  axpy8
	VMOVUPS (SI), Y1
	VMOVUPS 32(SI), Y2
	VMOVUPS 64(SI), Y3
	VMOVUPS 96(SI), Y4
	VFMADD213PS (DI), Y0, Y1
	VFMADD213PS 32(DI), Y0, Y2
	VFMADD213PS 64(DI), Y0, Y3
	VFMADD213PS 96(DI), Y0, Y4
	VMOVUPS Y1, (DI)
	VMOVUPS Y2, 32(DI)
	VMOVUPS Y3, 64(DI)
	VMOVUPS Y4, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  axpy32
axpy8:
	CMPQ CX, $8
	JLT  axpy1
	VMOVUPS (SI), Y1
	VFMADD213PS (DI), Y0, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  axpy8
axpy1:
	TESTQ CX, CX
	JEQ   axpyDone
	VMOVSS (SI), X1
	VFMADD213SS (DI), X0, X1
	VMOVSS X1, (DI)
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  axpy1
axpyDone:
	VZEROUPPER
	RET

// func ewScaleAVX2(alpha float32, x *float32, n int)
TEXT ·ewScaleAVX2(SB), NOSPLIT, $0-24
	VBROADCASTSS alpha+0(FP), Y0
	MOVQ x+8(FP), DI
	MOVQ n+16(FP), CX
scale32:
	CMPQ CX, $32
	JLT  scale8
	VMULPS (DI), Y0, Y1
	VMULPS 32(DI), Y0, Y2
	VMULPS 64(DI), Y0, Y3
	VMULPS 96(DI), Y0, Y4
	VMOVUPS Y1, (DI)
	VMOVUPS Y2, 32(DI)
	VMOVUPS Y3, 64(DI)
	VMOVUPS Y4, 96(DI)
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  scale32
scale8:
	CMPQ CX, $8
	JLT  scale1
	VMULPS (DI), Y0, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  scale8
scale1:
	TESTQ CX, CX
	JEQ   scaleDone
	VMULSS (DI), X0, X1
	VMOVSS X1, (DI)
	ADDQ $4, DI
	DECQ CX
	JMP  scale1
scaleDone:
	VZEROUPPER
	RET

// func ewAddScalarAVX2(s float32, x *float32, n int)
TEXT ·ewAddScalarAVX2(SB), NOSPLIT, $0-24
	VBROADCASTSS s+0(FP), Y0
	MOVQ x+8(FP), DI
	MOVQ n+16(FP), CX
adds32:
	CMPQ CX, $32
	JLT  adds8
	VADDPS (DI), Y0, Y1
	VADDPS 32(DI), Y0, Y2
	VADDPS 64(DI), Y0, Y3
	VADDPS 96(DI), Y0, Y4
	VMOVUPS Y1, (DI)
	VMOVUPS Y2, 32(DI)
	VMOVUPS Y3, 64(DI)
	VMOVUPS Y4, 96(DI)
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  adds32
adds8:
	CMPQ CX, $8
	JLT  adds1
	VADDPS (DI), Y0, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  adds8
adds1:
	TESTQ CX, CX
	JEQ   addsDone
	VADDSS (DI), X0, X1
	VMOVSS X1, (DI)
	ADDQ $4, DI
	DECQ CX
	JMP  adds1
addsDone:
	VZEROUPPER
	RET

// func ewAddAVX2(a, b, dst *float32, n int)
TEXT ·ewAddAVX2(SB), NOSPLIT, $0-32
	MOVQ a+0(FP), SI
	MOVQ b+8(FP), DX
	MOVQ dst+16(FP), DI
	MOVQ n+24(FP), CX
add32:
	CMPQ CX, $32
	JLT  add8
	VMOVUPS (SI), Y1
	VMOVUPS 32(SI), Y2
	VMOVUPS 64(SI), Y3
	VMOVUPS 96(SI), Y4
	VADDPS (DX), Y1, Y1
	VADDPS 32(DX), Y2, Y2
	VADDPS 64(DX), Y3, Y3
	VADDPS 96(DX), Y4, Y4
	VMOVUPS Y1, (DI)
	VMOVUPS Y2, 32(DI)
	VMOVUPS Y3, 64(DI)
	VMOVUPS Y4, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DX
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  add32
add8:
	CMPQ CX, $8
	JLT  add1
	VMOVUPS (SI), Y1
	VADDPS (DX), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  add8
add1:
	TESTQ CX, CX
	JEQ   addDone
	VMOVSS (SI), X1
	VADDSS (DX), X1, X1
	VMOVSS X1, (DI)
	ADDQ $4, SI
	ADDQ $4, DX
	ADDQ $4, DI
	DECQ CX
	JMP  add1
addDone:
	VZEROUPPER
	RET

// func ewMulAVX2(a, b, dst *float32, n int)
TEXT ·ewMulAVX2(SB), NOSPLIT, $0-32
	MOVQ a+0(FP), SI
	MOVQ b+8(FP), DX
	MOVQ dst+16(FP), DI
	MOVQ n+24(FP), CX
mul32:
	CMPQ CX, $32
	JLT  mul8
	VMOVUPS (SI), Y1
	VMOVUPS 32(SI), Y2
	VMOVUPS 64(SI), Y3
	VMOVUPS 96(SI), Y4
	VMULPS (DX), Y1, Y1
	VMULPS 32(DX), Y2, Y2
	VMULPS 64(DX), Y3, Y3
	VMULPS 96(DX), Y4, Y4
	VMOVUPS Y1, (DI)
	VMOVUPS Y2, 32(DI)
	VMOVUPS Y3, 64(DI)
	VMOVUPS Y4, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DX
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  mul32
mul8:
	CMPQ CX, $8
	JLT  mul1
	VMOVUPS (SI), Y1
	VMULPS (DX), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  mul8
mul1:
	TESTQ CX, CX
	JEQ   mulDone
	VMOVSS (SI), X1
	VMULSS (DX), X1, X1
	VMOVSS X1, (DI)
	ADDQ $4, SI
	ADDQ $4, DX
	ADDQ $4, DI
	DECQ CX
	JMP  mul1
mulDone:
	VZEROUPPER
	RET

// func ewDotAVX2(x, y *float32, n int) float32
TEXT ·ewDotAVX2(SB), NOSPLIT, $0-28
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ n+16(FP), CX
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
dot32:
	CMPQ CX, $32
	JLT  dot8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VFMADD231PS (DI), Y0, Y4
	VFMADD231PS 32(DI), Y1, Y5
	VFMADD231PS 64(DI), Y2, Y6
	VFMADD231PS 96(DI), Y3, Y7
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  dot32
dot8:
	CMPQ CX, $8
	JLT  dotReduce
	VMOVUPS (SI), Y0
	VFMADD231PS (DI), Y0, Y4
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  dot8
dotReduce:
	VADDPS Y5, Y4, Y4
	VADDPS Y7, Y6, Y6
	VADDPS Y6, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPS X5, X4, X4
	VHADDPS X4, X4, X4
	VHADDPS X4, X4, X4
dot1:
	TESTQ CX, CX
	JEQ   dotDone
	VMOVSS (SI), X0
	VFMADD231SS (DI), X0, X4
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  dot1
dotDone:
	VMOVSS X4, ret+24(FP)
	VZEROUPPER
	RET

// func ewSumAVX2(x *float32, n int) float32
TEXT ·ewSumAVX2(SB), NOSPLIT, $0-20
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
sum32:
	CMPQ CX, $32
	JLT  sum8
	VADDPS (SI), Y4, Y4
	VADDPS 32(SI), Y5, Y5
	VADDPS 64(SI), Y6, Y6
	VADDPS 96(SI), Y7, Y7
	ADDQ $128, SI
	SUBQ $32, CX
	JMP  sum32
sum8:
	CMPQ CX, $8
	JLT  sumReduce
	VADDPS (SI), Y4, Y4
	ADDQ $32, SI
	SUBQ $8, CX
	JMP  sum8
sumReduce:
	VADDPS Y5, Y4, Y4
	VADDPS Y7, Y6, Y6
	VADDPS Y6, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPS X5, X4, X4
	VHADDPS X4, X4, X4
	VHADDPS X4, X4, X4
sum1:
	TESTQ CX, CX
	JEQ   sumDone
	VADDSS (SI), X4, X4
	ADDQ $4, SI
	DECQ CX
	JMP  sum1
sumDone:
	VMOVSS X4, ret+16(FP)
	VZEROUPPER
	RET

// func ewReluAVX2(x, dst *float32, n int)
// max(0, x) with x as the second operand, so a NaN x is passed through.
TEXT ·ewReluAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ n+16(FP), CX
	VXORPS Y0, Y0, Y0
relu32:
	CMPQ CX, $32
	JLT  relu8
	VMAXPS (SI), Y0, Y1
	VMAXPS 32(SI), Y0, Y2
	VMAXPS 64(SI), Y0, Y3
	VMAXPS 96(SI), Y0, Y4
	VMOVUPS Y1, (DI)
	VMOVUPS Y2, 32(DI)
	VMOVUPS Y3, 64(DI)
	VMOVUPS Y4, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  relu32
relu8:
	CMPQ CX, $8
	JLT  relu1
	VMAXPS (SI), Y0, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  relu8
relu1:
	TESTQ CX, CX
	JEQ   reluDone
	VMAXSS (SI), X0, X1
	VMOVSS X1, (DI)
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  relu1
reluDone:
	VZEROUPPER
	RET

// func ewReluBackwardAVX2(x, grad, dst *float32, n int)
// dst = grad AND mask(0 < x); the ordered compare is false for NaN.
TEXT ·ewReluBackwardAVX2(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ grad+8(FP), DX
	MOVQ dst+16(FP), DI
	MOVQ n+24(FP), CX
	VXORPS Y0, Y0, Y0
rb32:
	CMPQ CX, $32
	JLT  rb8
	VCMPPS $0x11, (SI), Y0, Y1
	VCMPPS $0x11, 32(SI), Y0, Y2
	VCMPPS $0x11, 64(SI), Y0, Y3
	VCMPPS $0x11, 96(SI), Y0, Y4
	VANDPS (DX), Y1, Y1
	VANDPS 32(DX), Y2, Y2
	VANDPS 64(DX), Y3, Y3
	VANDPS 96(DX), Y4, Y4
	VMOVUPS Y1, (DI)
	VMOVUPS Y2, 32(DI)
	VMOVUPS Y3, 64(DI)
	VMOVUPS Y4, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DX
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  rb32
rb8:
	CMPQ CX, $8
	JLT  rb1
	VCMPPS $0x11, (SI), Y0, Y1
	VANDPS (DX), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  rb8
rb1:
	TESTQ CX, CX
	JEQ   rbDone
	VCMPSS $0x11, (SI), X0, X1
	VMOVSS (DX), X2
	VANDPS X2, X1, X1
	VMOVSS X1, (DI)
	ADDQ $4, SI
	ADDQ $4, DX
	ADDQ $4, DI
	DECQ CX
	JMP  rb1
rbDone:
	VZEROUPPER
	RET

// func ewLeakyReluAVX2(slope float32, x, v, dst *float32, n int)
// dst = v where 0 < x, else slope·v, eight at a time: n is a multiple of
// 8 (the caller does the rest). The ordered compare is false for NaN, so
// a NaN x selects slope·v.
TEXT ·ewLeakyReluAVX2(SB), NOSPLIT, $0-40
	VBROADCASTSS slope+0(FP), Y10
	MOVQ x+8(FP), SI
	MOVQ v+16(FP), DX
	MOVQ dst+24(FP), DI
	MOVQ n+32(FP), CX
	VXORPS Y0, Y0, Y0
lr16:
	CMPQ CX, $16
	JLT  lr8
	VCMPPS $0x11, (SI), Y0, Y1
	VCMPPS $0x11, 32(SI), Y0, Y4
	VMOVUPS (DX), Y2
	VMOVUPS 32(DX), Y5
	VMULPS Y2, Y10, Y3
	VMULPS Y5, Y10, Y6
	VBLENDVPS Y1, Y2, Y3, Y3
	VBLENDVPS Y4, Y5, Y6, Y6
	VMOVUPS Y3, (DI)
	VMOVUPS Y6, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  lr16
lr8:
	CMPQ CX, $8
	JLT  lrDone
	VCMPPS $0x11, (SI), Y0, Y1
	VMOVUPS (DX), Y2
	VMULPS Y2, Y10, Y3
	VBLENDVPS Y1, Y2, Y3, Y3
	VMOVUPS Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  lr8
lrDone:
	VZEROUPPER
	RET
