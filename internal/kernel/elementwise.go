package kernel

// Element-wise vector loops used on the hot paths of the forward and
// backward passes. Every function works on the first len(x) elements (or
// len(dst), as documented) and panics with an index error when another slice
// is shorter. Output slices may alias an input slice exactly (in-place
// update), but must not partially overlap one.
//
// On amd64 with AVX2 and FMA both instantiations dispatch to assembly (see
// elementwise_amd64.go); elsewhere, and under the purego build tag, the
// unrolled, bounds-check-free Go loops below run. Dot and Sum keep
// several partial sums, so their rounding differs slightly from a plain
// left-to-right loop, but is the same on every call.

// Axpy computes y += alpha*x over len(x) elements.
func Axpy[T float32 | float64](alpha T, x, y []T) {
	if xs, ok := any(x).([]float32); ok {
		ewAxpy32(float32(alpha), xs, any(y).([]float32))
		return
	}
	ewAxpy64(float64(alpha), any(x).([]float64), any(y).([]float64))
}

// Scale computes x *= alpha.
func Scale[T float32 | float64](alpha T, x []T) {
	if xs, ok := any(x).([]float32); ok {
		ewScale32(float32(alpha), xs)
		return
	}
	ewScale64(float64(alpha), any(x).([]float64))
}

// AddScalar computes x += s.
func AddScalar[T float32 | float64](s T, x []T) {
	if xs, ok := any(x).([]float32); ok {
		ewAddScalar32(float32(s), xs)
		return
	}
	ewAddScalar64(float64(s), any(x).([]float64))
}

// Add computes dst = a + b over len(dst) elements.
func Add[T float32 | float64](a, b, dst []T) {
	if ds, ok := any(dst).([]float32); ok {
		ewAdd32(any(a).([]float32), any(b).([]float32), ds)
		return
	}
	ewAdd64(any(a).([]float64), any(b).([]float64), any(dst).([]float64))
}

// Mul computes dst = a * b (element-wise) over len(dst) elements.
func Mul[T float32 | float64](a, b, dst []T) {
	if ds, ok := any(dst).([]float32); ok {
		ewMul32(any(a).([]float32), any(b).([]float32), ds)
		return
	}
	ewMul64(any(a).([]float64), any(b).([]float64), any(dst).([]float64))
}

// Dot returns Σ x[i]*y[i] over len(x) elements.
func Dot[T float32 | float64](x, y []T) T {
	if xs, ok := any(x).([]float32); ok {
		return T(ewDot32(xs, any(y).([]float32)))
	}
	return T(ewDot64(any(x).([]float64), any(y).([]float64)))
}

// Sum returns Σ x[i].
func Sum[T float32 | float64](x []T) T {
	if xs, ok := any(x).([]float32); ok {
		return T(ewSum32(xs))
	}
	return T(ewSum64(any(x).([]float64)))
}

// Relu computes dst = max(x, 0) over len(dst) elements. NaN inputs stay NaN,
// as in PyTorch.
func Relu[T float32 | float64](x, dst []T) {
	if ds, ok := any(dst).([]float32); ok {
		ewRelu32(any(x).([]float32), ds)
		return
	}
	ewRelu64(any(x).([]float64), any(dst).([]float64))
}

// ReluBackward computes dst = grad where x > 0, else 0, over len(dst)
// elements; x is the ReLU input (or output: both have the same sign pattern).
func ReluBackward[T float32 | float64](x, grad, dst []T) {
	if ds, ok := any(dst).([]float32); ok {
		ewReluBackward32(any(x).([]float32), any(grad).([]float32), ds)
		return
	}
	ewReluBackward64(any(x).([]float64), any(grad).([]float64), any(dst).([]float64))
}

// LeakyRelu computes dst[i] = v[i] where x[i] > 0, else slope·v[i], over
// len(dst) elements (x and v at least as long): LeakyReLU's forward pass
// with v = x, its backward pass with v the upstream gradient and x the
// input. A NaN x selects slope·v; v[i] itself is passed through exactly.
// dst may be x or v. Float32 runs AVX-512 or AVX2 assembly where the CPU
// has it, with the same results as the Go loop.
func LeakyRelu[T float32 | float64](slope T, x, v, dst []T) {
	if ds, ok := any(dst).([]float32); ok {
		ewLeakyRelu32(any(slope).(float32), any(x).([]float32), any(v).([]float32), ds)
		return
	}
	leakyReluGo(slope, x, v, dst)
}

// leakyReluGo is the pure-Go dst = v·[x > 0] + slope·v·[!(x > 0)]. The
// factor comes from a two-entry table indexed by the comparison (a SETcc,
// no branch): the signs of activations are random, and a branch on them
// mispredicts half the time. Multiplying by exactly 1 leaves v[i] as it is.
func leakyReluGo[T float32 | float64](slope T, x, v, dst []T) {
	n := len(dst)
	x, v = x[:n], v[:n]
	f := [2]T{slope, 1}
	for i, xi := range x {
		k := 0
		if xi > 0 {
			k = 1
		}
		dst[i] = f[k] * v[i]
	}
}

// axpyGo is the pure-Go y += alpha*x.
func axpyGo[T float32 | float64](alpha T, x, y []T) {
	n := len(x)
	y = y[:n]
	i := 0
	for ; i <= n-4; i += 4 {
		xx, yy := x[i:i+4:i+4], y[i:i+4:i+4]
		yy[0] += alpha * xx[0]
		yy[1] += alpha * xx[1]
		yy[2] += alpha * xx[2]
		yy[3] += alpha * xx[3]
	}
	for ; i < n; i++ {
		y[i] += alpha * x[i]
	}
}

// scaleGo is the pure-Go x *= alpha.
func scaleGo[T float32 | float64](alpha T, x []T) {
	for i := range x {
		x[i] *= alpha
	}
}

// addScalarGo is the pure-Go x += s.
func addScalarGo[T float32 | float64](s T, x []T) {
	for i := range x {
		x[i] += s
	}
}

// addGo is the pure-Go dst = a + b.
func addGo[T float32 | float64](a, b, dst []T) {
	n := len(dst)
	a, b = a[:n], b[:n]
	i := 0
	for ; i <= n-4; i += 4 {
		aa, bb, dd := a[i:i+4:i+4], b[i:i+4:i+4], dst[i:i+4:i+4]
		dd[0] = aa[0] + bb[0]
		dd[1] = aa[1] + bb[1]
		dd[2] = aa[2] + bb[2]
		dd[3] = aa[3] + bb[3]
	}
	for ; i < n; i++ {
		dst[i] = a[i] + b[i]
	}
}

// mulGo is the pure-Go dst = a * b.
func mulGo[T float32 | float64](a, b, dst []T) {
	n := len(dst)
	a, b = a[:n], b[:n]
	i := 0
	for ; i <= n-4; i += 4 {
		aa, bb, dd := a[i:i+4:i+4], b[i:i+4:i+4], dst[i:i+4:i+4]
		dd[0] = aa[0] * bb[0]
		dd[1] = aa[1] * bb[1]
		dd[2] = aa[2] * bb[2]
		dd[3] = aa[3] * bb[3]
	}
	for ; i < n; i++ {
		dst[i] = a[i] * b[i]
	}
}

// dotGo is the pure-Go Σ x[i]*y[i] with four partial sums.
func dotGo[T float32 | float64](x, y []T) T {
	n := len(x)
	y = y[:n]
	var s0, s1, s2, s3 T
	i := 0
	for ; i <= n-4; i += 4 {
		xx, yy := x[i:i+4:i+4], y[i:i+4:i+4]
		s0 += xx[0] * yy[0]
		s1 += xx[1] * yy[1]
		s2 += xx[2] * yy[2]
		s3 += xx[3] * yy[3]
	}
	for ; i < n; i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// sumGo is the pure-Go Σ x[i] with four partial sums.
func sumGo[T float32 | float64](x []T) T {
	n := len(x)
	var s0, s1, s2, s3 T
	i := 0
	for ; i <= n-4; i += 4 {
		xx := x[i : i+4 : i+4]
		s0 += xx[0]
		s1 += xx[1]
		s2 += xx[2]
		s3 += xx[3]
	}
	for ; i < n; i++ {
		s0 += x[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// reluGo is the pure-Go dst = max(x, 0), NaN-propagating.
func reluGo[T float32 | float64](x, dst []T) {
	x = x[:len(dst)]
	for i, v := range x {
		if v < 0 {
			v = 0
		}
		dst[i] = v
	}
}

// reluBackwardGo is the pure-Go dst = grad·[x > 0].
func reluBackwardGo[T float32 | float64](x, grad, dst []T) {
	n := len(dst)
	x, grad = x[:n], grad[:n]
	for i, v := range x {
		g := grad[i]
		if !(v > 0) {
			g = 0
		}
		dst[i] = g
	}
}
