//go:build !purego

package kernel

// Dispatch of the float32 and float64 element-wise loops to the AVX-512
// assembly in elementwise_avx512_amd64.s (useAVX512EW) or the AVX2/FMA
// assembly in elementwise_amd64.s and elementwise_f64_amd64.s, with the
// pure-Go loops as fallback when useAVX2 is off (cpu_amd64.go). Lengths
// are checked here, so the assembly never reads or writes past a slice.

//go:noescape
func ewAxpyAVX2(alpha float32, x, y *float32, n int)

//go:noescape
func ewScaleAVX2(alpha float32, x *float32, n int)

//go:noescape
func ewAddScalarAVX2(s float32, x *float32, n int)

//go:noescape
func ewAddAVX2(a, b, dst *float32, n int)

//go:noescape
func ewMulAVX2(a, b, dst *float32, n int)

//go:noescape
func ewDotAVX2(x, y *float32, n int) float32

//go:noescape
func ewSumAVX2(x *float32, n int) float32

//go:noescape
func ewReluAVX2(x, dst *float32, n int)

//go:noescape
func ewReluBackwardAVX2(x, grad, dst *float32, n int)

//go:noescape
func ewLeakyReluAVX2(slope float32, x, v, dst *float32, n int)

//go:noescape
func ewAxpyAVX2F64(alpha float64, x, y *float64, n int)

//go:noescape
func ewScaleAVX2F64(alpha float64, x *float64, n int)

//go:noescape
func ewAddScalarAVX2F64(s float64, x *float64, n int)

//go:noescape
func ewAddAVX2F64(a, b, dst *float64, n int)

//go:noescape
func ewMulAVX2F64(a, b, dst *float64, n int)

//go:noescape
func ewDotAVX2F64(x, y *float64, n int) float64

//go:noescape
func ewSumAVX2F64(x *float64, n int) float64

//go:noescape
func ewReluAVX2F64(x, dst *float64, n int)

//go:noescape
func ewReluBackwardAVX2F64(x, grad, dst *float64, n int)

// ewAxpy32 is y += alpha*x for float32.
func ewAxpy32(alpha float32, x, y []float32) {
	n := len(x)
	y = y[:n]
	if !useAVX2 || n == 0 {
		axpyGo(alpha, x, y)
		return
	}
	if useAVX512EW {
		ewAxpyAVX512(alpha, &x[0], &y[0], n)
		return
	}
	ewAxpyAVX2(alpha, &x[0], &y[0], n)
}

// ewScale32 is x *= alpha for float32.
func ewScale32(alpha float32, x []float32) {
	if !useAVX2 || len(x) == 0 {
		scaleGo(alpha, x)
		return
	}
	if useAVX512EW {
		ewScaleAVX512(alpha, &x[0], len(x))
		return
	}
	ewScaleAVX2(alpha, &x[0], len(x))
}

// ewAddScalar32 is x += s for float32.
func ewAddScalar32(s float32, x []float32) {
	if !useAVX2 || len(x) == 0 {
		addScalarGo(s, x)
		return
	}
	if useAVX512EW {
		ewAddScalarAVX512(s, &x[0], len(x))
		return
	}
	ewAddScalarAVX2(s, &x[0], len(x))
}

// ewAdd32 is dst = a + b for float32.
func ewAdd32(a, b, dst []float32) {
	n := len(dst)
	a, b = a[:n], b[:n]
	if !useAVX2 || n == 0 {
		addGo(a, b, dst)
		return
	}
	if useAVX512EW {
		ewAddAVX512(&a[0], &b[0], &dst[0], n)
		return
	}
	ewAddAVX2(&a[0], &b[0], &dst[0], n)
}

// ewMul32 is dst = a * b for float32.
func ewMul32(a, b, dst []float32) {
	n := len(dst)
	a, b = a[:n], b[:n]
	if !useAVX2 || n == 0 {
		mulGo(a, b, dst)
		return
	}
	if useAVX512EW {
		ewMulAVX512(&a[0], &b[0], &dst[0], n)
		return
	}
	ewMulAVX2(&a[0], &b[0], &dst[0], n)
}

// ewDot32 is Σ x[i]*y[i] for float32.
func ewDot32(x, y []float32) float32 {
	n := len(x)
	y = y[:n]
	if !useAVX2 || n == 0 {
		return dotGo(x, y)
	}
	if useAVX512EW {
		return ewDotAVX512(&x[0], &y[0], n)
	}
	return ewDotAVX2(&x[0], &y[0], n)
}

// ewSum32 is Σ x[i] for float32.
func ewSum32(x []float32) float32 {
	if !useAVX2 || len(x) == 0 {
		return sumGo(x)
	}
	if useAVX512EW {
		return ewSumAVX512(&x[0], len(x))
	}
	return ewSumAVX2(&x[0], len(x))
}

// ewRelu32 is dst = max(x, 0) for float32.
func ewRelu32(x, dst []float32) {
	n := len(dst)
	x = x[:n]
	if !useAVX2 || n == 0 {
		reluGo(x, dst)
		return
	}
	if useAVX512EW {
		ewReluAVX512(&x[0], &dst[0], n)
		return
	}
	ewReluAVX2(&x[0], &dst[0], n)
}

// ewReluBackward32 is dst = grad·[x > 0] for float32.
func ewReluBackward32(x, grad, dst []float32) {
	n := len(dst)
	x, grad = x[:n], grad[:n]
	if !useAVX2 || n == 0 {
		reluBackwardGo(x, grad, dst)
		return
	}
	if useAVX512EW {
		ewReluBackwardAVX512(&x[0], &grad[0], &dst[0], n)
		return
	}
	ewReluBackwardAVX2(&x[0], &grad[0], &dst[0], n)
}

// ewLeakyRelu32 is dst = v where x > 0, else slope·v, for float32. The
// AVX2 routine takes whole vectors of 8; the rest runs in Go.
func ewLeakyRelu32(slope float32, x, v, dst []float32) {
	n := len(dst)
	x, v = x[:n], v[:n]
	if !useAVX2 || n == 0 {
		leakyReluGo(slope, x, v, dst)
		return
	}
	if useAVX512EW {
		ewLeakyReluAVX512(slope, &x[0], &v[0], &dst[0], n)
		return
	}
	m := n &^ 7
	if m > 0 {
		ewLeakyReluAVX2(slope, &x[0], &v[0], &dst[0], m)
	}
	leakyReluGo(slope, x[m:], v[m:], dst[m:])
}

// ewAxpy64 is y += alpha*x for float64.
func ewAxpy64(alpha float64, x, y []float64) {
	n := len(x)
	y = y[:n]
	if !useAVX2 || n == 0 {
		axpyGo(alpha, x, y)
		return
	}
	if useAVX512EW {
		ewAxpyAVX512F64(alpha, &x[0], &y[0], n)
		return
	}
	ewAxpyAVX2F64(alpha, &x[0], &y[0], n)
}

// ewScale64 is x *= alpha for float64.
func ewScale64(alpha float64, x []float64) {
	if !useAVX2 || len(x) == 0 {
		scaleGo(alpha, x)
		return
	}
	if useAVX512EW {
		ewScaleAVX512F64(alpha, &x[0], len(x))
		return
	}
	ewScaleAVX2F64(alpha, &x[0], len(x))
}

// ewAddScalar64 is x += s for float64.
func ewAddScalar64(s float64, x []float64) {
	if !useAVX2 || len(x) == 0 {
		addScalarGo(s, x)
		return
	}
	if useAVX512EW {
		ewAddScalarAVX512F64(s, &x[0], len(x))
		return
	}
	ewAddScalarAVX2F64(s, &x[0], len(x))
}

// ewAdd64 is dst = a + b for float64.
func ewAdd64(a, b, dst []float64) {
	n := len(dst)
	a, b = a[:n], b[:n]
	if !useAVX2 || n == 0 {
		addGo(a, b, dst)
		return
	}
	if useAVX512EW {
		ewAddAVX512F64(&a[0], &b[0], &dst[0], n)
		return
	}
	ewAddAVX2F64(&a[0], &b[0], &dst[0], n)
}

// ewMul64 is dst = a * b for float64.
func ewMul64(a, b, dst []float64) {
	n := len(dst)
	a, b = a[:n], b[:n]
	if !useAVX2 || n == 0 {
		mulGo(a, b, dst)
		return
	}
	if useAVX512EW {
		ewMulAVX512F64(&a[0], &b[0], &dst[0], n)
		return
	}
	ewMulAVX2F64(&a[0], &b[0], &dst[0], n)
}

// ewDot64 is Σ x[i]*y[i] for float64.
func ewDot64(x, y []float64) float64 {
	n := len(x)
	y = y[:n]
	if !useAVX2 || n == 0 {
		return dotGo(x, y)
	}
	if useAVX512EW {
		return ewDotAVX512F64(&x[0], &y[0], n)
	}
	return ewDotAVX2F64(&x[0], &y[0], n)
}

// ewSum64 is Σ x[i] for float64.
func ewSum64(x []float64) float64 {
	if !useAVX2 || len(x) == 0 {
		return sumGo(x)
	}
	if useAVX512EW {
		return ewSumAVX512F64(&x[0], len(x))
	}
	return ewSumAVX2F64(&x[0], len(x))
}

// ewRelu64 is dst = max(x, 0) for float64.
func ewRelu64(x, dst []float64) {
	n := len(dst)
	x = x[:n]
	if !useAVX2 || n == 0 {
		reluGo(x, dst)
		return
	}
	if useAVX512EW {
		ewReluAVX512F64(&x[0], &dst[0], n)
		return
	}
	ewReluAVX2F64(&x[0], &dst[0], n)
}

// ewReluBackward64 is dst = grad·[x > 0] for float64.
func ewReluBackward64(x, grad, dst []float64) {
	n := len(dst)
	x, grad = x[:n], grad[:n]
	if !useAVX2 || n == 0 {
		reluBackwardGo(x, grad, dst)
		return
	}
	if useAVX512EW {
		ewReluBackwardAVX512F64(&x[0], &grad[0], &dst[0], n)
		return
	}
	ewReluBackwardAVX2F64(&x[0], &grad[0], &dst[0], n)
}

// AVX-512 forms (elementwise_avx512_amd64.s), used on the avx512 path.

// useAVX512EW selects the AVX-512 element-wise loops; set by setArchPath.
var useAVX512EW bool

//go:noescape
func ewAxpyAVX512(alpha float32, x, y *float32, n int)

//go:noescape
func ewScaleAVX512(alpha float32, x *float32, n int)

//go:noescape
func ewAddScalarAVX512(s float32, x *float32, n int)

//go:noescape
func ewAddAVX512(a, b, dst *float32, n int)

//go:noescape
func ewMulAVX512(a, b, dst *float32, n int)

//go:noescape
func ewDotAVX512(x, y *float32, n int) float32

//go:noescape
func ewSumAVX512(x *float32, n int) float32

//go:noescape
func ewReluAVX512(x, dst *float32, n int)

//go:noescape
func ewReluBackwardAVX512(x, grad, dst *float32, n int)

//go:noescape
func ewLeakyReluAVX512(slope float32, x, v, dst *float32, n int)

//go:noescape
func ewAxpyAVX512F64(alpha float64, x, y *float64, n int)

//go:noescape
func ewScaleAVX512F64(alpha float64, x *float64, n int)

//go:noescape
func ewAddScalarAVX512F64(s float64, x *float64, n int)

//go:noescape
func ewAddAVX512F64(a, b, dst *float64, n int)

//go:noescape
func ewMulAVX512F64(a, b, dst *float64, n int)

//go:noescape
func ewDotAVX512F64(x, y *float64, n int) float64

//go:noescape
func ewSumAVX512F64(x *float64, n int) float64

//go:noescape
func ewReluAVX512F64(x, dst *float64, n int)

//go:noescape
func ewReluBackwardAVX512F64(x, grad, dst *float64, n int)
