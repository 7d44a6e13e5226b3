//go:build !purego

#include "textflag.h"

// The Adam update of AdamStep32 (transcend_adam.go), 16 (AVX-512) or 8
// (AVX2) lanes per iteration; n must be a multiple of the width. The
// operations and their order are the pure-Go loop's, none fused, so the
// results agree bit for bit. k points at AdamConsts: b1, c1, b2, c2, step,
// bc2sqrt, eps (float32 each).

// func adamAVX512(p, grad, m, v *float32, n int, k *AdamConsts)
TEXT ·adamAVX512(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	VBROADCASTSS 0(AX), Z16  // b1
	VBROADCASTSS 4(AX), Z17  // c1
	VBROADCASTSS 8(AX), Z18  // b2
	VBROADCASTSS 12(AX), Z19 // c2
	VBROADCASTSS 16(AX), Z20 // step
	VBROADCASTSS 20(AX), Z21 // bc2sqrt
	VBROADCASTSS 24(AX), Z22 // eps
loop:
	CMPQ CX, $16
	JLT  done
	VMOVUPS (SI), Z0         // g
	VMULPS  (R8), Z16, Z1    // m·b1
	VMULPS  Z0, Z17, Z2      // c1·g
	VADDPS  Z2, Z1, Z1       // m
	VMOVUPS Z1, (R8)
	VMULPS  (R9), Z18, Z3    // v·b2
	VMULPS  Z0, Z19, Z4      // c2·g
	VMULPS  Z0, Z4, Z4       // (c2·g)·g
	VADDPS  Z4, Z3, Z3       // v
	VMOVUPS Z3, (R9)
	VSQRTPS Z3, Z5
	VDIVPS  Z21, Z5, Z5      // √v/bc2sqrt
	VADDPS  Z22, Z5, Z5      // + eps
	VMULPS  Z1, Z20, Z6      // step·m
	VDIVPS  Z5, Z6, Z6       // / denom
	VADDPS  (DI), Z6, Z6     // p + …
	VMOVUPS Z6, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, R8
	ADDQ $64, R9
	SUBQ $16, CX
	JMP  loop
done:
	VZEROUPPER
	RET

// func adamAVX2(p, grad, m, v *float32, n int, k *AdamConsts)
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	VBROADCASTSS 0(AX), Y8   // b1
	VBROADCASTSS 4(AX), Y9   // c1
	VBROADCASTSS 8(AX), Y10  // b2
	VBROADCASTSS 12(AX), Y11 // c2
	VBROADCASTSS 16(AX), Y12 // step
	VBROADCASTSS 20(AX), Y13 // bc2sqrt
	VBROADCASTSS 24(AX), Y14 // eps
loop:
	CMPQ CX, $8
	JLT  done
	VMOVUPS (SI), Y0
	VMULPS  (R8), Y8, Y1
	VMULPS  Y0, Y9, Y2
	VADDPS  Y2, Y1, Y1
	VMOVUPS Y1, (R8)
	VMULPS  (R9), Y10, Y3
	VMULPS  Y0, Y11, Y4
	VMULPS  Y0, Y4, Y4
	VADDPS  Y4, Y3, Y3
	VMOVUPS Y3, (R9)
	VSQRTPS Y3, Y5
	VDIVPS  Y13, Y5, Y5
	VADDPS  Y14, Y5, Y5
	VMULPS  Y1, Y12, Y6
	VDIVPS  Y5, Y6, Y6
	VADDPS  (DI), Y6, Y6
	VMOVUPS Y6, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R8
	ADDQ $32, R9
	SUBQ $8, CX
	JMP  loop
done:
	VZEROUPPER
	RET
