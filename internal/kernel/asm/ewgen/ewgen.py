# Writes internal/kernel/elementwise_avx512_amd64.s, the AVX-512 element-wise
# loops (a template instantiated for float32 and float64). From the repository root:
#
#   python3 internal/kernel/asm/ewgen/ewgen.py internal/kernel/elementwise_avx512_amd64.s
#
# The kernels' tests (go test ./internal/kernel/) check the result on every path.
import sys

def fn(name, sig, frame, args, setup, body, ptrs, tail, fin, t):
    P = 'PS' if t == 32 else 'PD'
    S = 'SS' if t == 32 else 'SD'
    V = 16 if t == 32 else 8
    esz = 4 if t == 32 else 8
    sfx = '' if t == 32 else 'F64'
    sub = lambda s: s.replace('@P', P).replace('@S', S)
    L = name + sfx
    out = []
    out.append(f'// func {name}AVX512{sfx}{sig}')
    out.append(f'TEXT ·{name}AVX512{sfx}(SB), NOSPLIT, {frame}')
    for a in args:
        out.append('\t' + sub(a))
    for s in setup:
        out.append('\t' + sub(s))
    out.append(f'{L}64:')
    out.append(f'\tCMPQ CX, ${4*V}')
    out.append(f'\tJLT  {L}16')
    for k in range(4):
        for b in body:
            out.append('\t' + sub(b).replace('{o}', str(64*k)).replace('{a}', f'Z{1+k}').replace('{b}', f'Z{5+k}').replace('{acc}', f'Z{16+k}').replace('{k}', f'K{1+k}'))
    for p in ptrs:
        out.append(f'\tADDQ $256, {p}')
    out.append(f'\tSUBQ ${4*V}, CX')
    out.append(f'\tJMP  {L}64')
    out.append(f'{L}16:')
    out.append(f'\tCMPQ CX, ${V}')
    out.append(f'\tJLT  {L}Tail')
    for b in body:
        out.append('\t' + sub(b).replace('{o}', '0').replace('{a}', 'Z1').replace('{b}', 'Z5').replace('{acc}', 'Z16').replace('{k}', 'K2'))
    for p in ptrs:
        out.append(f'\tADDQ $64, {p}')
    out.append(f'\tSUBQ ${V}, CX')
    out.append(f'\tJMP  {L}16')
    out.append(f'{L}Tail:')
    out.append('\tTESTQ CX, CX')
    out.append(f'\tJEQ   {L}Done')
    out.append('\tMOVL  $1, AX')
    out.append('\tSHLL  CX, AX')
    out.append('\tDECL  AX')
    out.append('\tKMOVW AX, K1')
    for b in tail:
        out.append('\t' + sub(b))
    out.append(f'{L}Done:')
    for f in fin:
        out.append('\t' + sub(f).replace('{L}', L))
    out.append('\tVZEROUPPER')
    out.append('\tRET')
    return '\n'.join(out) + '\n'

def all_fns(t):
    B = 'VBROADCASTSS' if t == 32 else 'VBROADCASTSD'
    MOVS = 'VMOVSS' if t == 32 else 'VMOVSD'
    retoff = {'dot': 24, 'sum': 16}
    red = lambda off: [
        'VADD@P Z17, Z16, Z16', 'VADD@P Z19, Z18, Z18', 'VADD@P Z18, Z16, Z4',
        'VEXTRACTF64X4 $1, Z4, Y5', 'VADD@P Y5, Y4, Y4',
        'VEXTRACTF128 $1, Y4, X5', 'VADD@P X5, X4, X4',
    ] + (['VHADDPS X4, X4, X4', 'VHADDPS X4, X4, X4'] if t == 32 else ['VHADDPD X4, X4, X4']) + [
        f'{MOVS} X4, ret+{off}(FP)']
    zero_acc = ['VPXORD Z16, Z16, Z16', 'VPXORD Z17, Z17, Z17', 'VPXORD Z18, Z18, Z18', 'VPXORD Z19, Z19, Z19']
    ty = 'float32' if t == 32 else 'float64'
    fs = []
    fs.append(fn('ewAxpy', f'(alpha {ty}, x, y *{ty}, n int)', '$0-32',
        [f'{B} alpha+0(FP), Z0', 'MOVQ x+8(FP), SI', 'MOVQ y+16(FP), DI', 'MOVQ n+24(FP), CX'], [],
        ['VMOVUP@P {o}(SI), {a}', 'VFMADD213@P {o}(DI), Z0, {a}', 'VMOVUP@P {a}, {o}(DI)'], ['SI', 'DI'],
        ['VMOVUP@P.Z (SI), K1, Z1', 'VMOVUP@P.Z (DI), K1, Z2', 'VFMADD213@P Z2, Z0, Z1', 'VMOVUP@P Z1, K1, (DI)'], [], t))
    fs.append(fn('ewScale', f'(alpha {ty}, x *{ty}, n int)', '$0-24',
        [f'{B} alpha+0(FP), Z0', 'MOVQ x+8(FP), DI', 'MOVQ n+16(FP), CX'], [],
        ['VMUL@P {o}(DI), Z0, {a}', 'VMOVUP@P {a}, {o}(DI)'], ['DI'],
        ['VMOVUP@P.Z (DI), K1, Z1', 'VMUL@P Z1, Z0, Z1', 'VMOVUP@P Z1, K1, (DI)'], [], t))
    fs.append(fn('ewAddScalar', f'(s {ty}, x *{ty}, n int)', '$0-24',
        [f'{B} s+0(FP), Z0', 'MOVQ x+8(FP), DI', 'MOVQ n+16(FP), CX'], [],
        ['VADD@P {o}(DI), Z0, {a}', 'VMOVUP@P {a}, {o}(DI)'], ['DI'],
        ['VMOVUP@P.Z (DI), K1, Z1', 'VADD@P Z1, Z0, Z1', 'VMOVUP@P Z1, K1, (DI)'], [], t))
    fs.append(fn('ewAdd', f'(a, b, dst *{ty}, n int)', '$0-32',
        ['MOVQ a+0(FP), SI', 'MOVQ b+8(FP), DX', 'MOVQ dst+16(FP), DI', 'MOVQ n+24(FP), CX'], [],
        ['VMOVUP@P {o}(SI), {a}', 'VADD@P {o}(DX), {a}, {a}', 'VMOVUP@P {a}, {o}(DI)'], ['SI', 'DX', 'DI'],
        ['VMOVUP@P.Z (SI), K1, Z1', 'VMOVUP@P.Z (DX), K1, Z2', 'VADD@P Z2, Z1, Z1', 'VMOVUP@P Z1, K1, (DI)'], [], t))
    fs.append(fn('ewMul', f'(a, b, dst *{ty}, n int)', '$0-32',
        ['MOVQ a+0(FP), SI', 'MOVQ b+8(FP), DX', 'MOVQ dst+16(FP), DI', 'MOVQ n+24(FP), CX'], [],
        ['VMOVUP@P {o}(SI), {a}', 'VMUL@P {o}(DX), {a}, {a}', 'VMOVUP@P {a}, {o}(DI)'], ['SI', 'DX', 'DI'],
        ['VMOVUP@P.Z (SI), K1, Z1', 'VMOVUP@P.Z (DX), K1, Z2', 'VMUL@P Z2, Z1, Z1', 'VMOVUP@P Z1, K1, (DI)'], [], t))
    fs.append(fn('ewDot', f'(x, y *{ty}, n int) {ty}', '$0-28' if t == 32 else '$0-32',
        ['MOVQ x+0(FP), SI', 'MOVQ y+8(FP), DI', 'MOVQ n+16(FP), CX'], zero_acc,
        ['VMOVUP@P {o}(SI), {a}', 'VFMADD231@P {o}(DI), {a}, {acc}'], ['SI', 'DI'],
        ['VMOVUP@P.Z (SI), K1, Z1', 'VMOVUP@P.Z (DI), K1, Z2', 'VFMADD231@P Z2, Z1, Z16'], red(24), t))
    fs.append(fn('ewSum', f'(x *{ty}, n int) {ty}', '$0-20' if t == 32 else '$0-24',
        ['MOVQ x+0(FP), SI', 'MOVQ n+8(FP), CX'], zero_acc,
        ['VADD@P {o}(SI), {acc}, {acc}'], ['SI'],
        ['VMOVUP@P.Z (SI), K1, Z1', 'VADD@P Z1, Z16, Z16'], red(16), t))
    fs.append(fn('ewRelu', f'(x, dst *{ty}, n int)', '$0-24',
        ['MOVQ x+0(FP), SI', 'MOVQ dst+8(FP), DI', 'MOVQ n+16(FP), CX'], ['VPXORD Z0, Z0, Z0'],
        ['VMAX@P {o}(SI), Z0, {a}', 'VMOVUP@P {a}, {o}(DI)'], ['SI', 'DI'],
        ['VMOVUP@P.Z (SI), K1, Z1', 'VMAX@P Z1, Z0, Z1', 'VMOVUP@P Z1, K1, (DI)'], [], t))
    fs.append(fn('ewReluBackward', f'(x, grad, dst *{ty}, n int)', '$0-32',
        ['MOVQ x+0(FP), SI', 'MOVQ grad+8(FP), DX', 'MOVQ dst+16(FP), DI', 'MOVQ n+24(FP), CX'], ['VPXORD Z0, Z0, Z0'],
        ['VCMP@P $0x11, {o}(SI), Z0, {k}', 'VMOVUP@P.Z {o}(DX), {k}, {a}', 'VMOVUP@P {a}, {o}(DI)'], ['SI', 'DX', 'DI'],
        ['VCMP@P $0x11, (SI), Z0, K1, K2', 'VMOVUP@P.Z (DX), K2, Z1', 'VMOVUP@P Z1, K1, (DI)'], [], t))
    if t == 32:
        # dst = v where 0 < x, else slope·v: slope·v for every lane, then v
        # merged over it where the ordered compare holds (false for NaN).
        fs.append(fn('ewLeakyRelu', f'(slope {ty}, x, v, dst *{ty}, n int)', '$0-40',
            [f'{B} slope+0(FP), Z10', 'MOVQ x+8(FP), SI', 'MOVQ v+16(FP), DX', 'MOVQ dst+24(FP), DI', 'MOVQ n+32(FP), CX'], ['VPXORD Z0, Z0, Z0'],
            ['VCMP@P $0x11, {o}(SI), Z0, {k}', 'VMUL@P {o}(DX), Z10, {a}', 'VMOVUP@P {o}(DX), {k}, {a}', 'VMOVUP@P {a}, {o}(DI)'], ['SI', 'DX', 'DI'],
            ['VCMP@P $0x11, (SI), Z0, K1, K2', 'VMOVUP@P.Z (DX), K1, Z1', 'VMUL@P Z1, Z10, Z2', 'VMOVUP@P Z1, K2, Z2', 'VMOVUP@P Z2, K1, (DI)'], [], t))
    return fs

hdr = '''// Code generated by internal/kernel/asm/ewgen/ewgen.py. DO NOT EDIT.

//go:build !purego

#include "textflag.h"

// AVX-512 float32 and float64 element-wise loops: the AVX2 routines of
// elementwise_amd64.s and elementwise_f64_amd64.s with ZMM registers, four
// of them (64 float32 or 32 float64) per iteration, then one at a time,
// then one masked step for the last 1..15 (float32) or 1..7 (float64)
// elements instead of a scalar loop, so any n >= 0 is valid and nothing
// past n is read or written. The results are those of the AVX2 routines
// (same single roundings, fused multiply-adds in Axpy, NaN rules in Relu,
// ReluBackward and LeakyRelu, float32 only) except for Dot and Sum, whose partial sums are grouped
// differently. Callers (elementwise_amd64.go) check the lengths. Written
// out from one template per routine, so that all have the same structure.

'''
s = hdr + '\n'.join(all_fns(32) + all_fns(64))
# VMOVUPPS typo guard: template used VMOVUP@P -> VMOVUPPS; fix to VMOVUPS/VMOVUPD
s = s.replace('VMOVUPPS', 'VMOVUPS').replace('VMOVUPPD', 'VMOVUPD')
open(sys.argv[1], 'w').write(s)
