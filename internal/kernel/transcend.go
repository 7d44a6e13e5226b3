package kernel

import "math"

// Vectorised float32 e^x and softplus
//
// Exp32 and Softplus32 compute e^x and log(1+e^x) (SigmoidMul32 g·σ(x), softplus's backward) over float32 slices in
// AVX-512 (16 lanes) or AVX2+FMA (8 lanes) assembly (transcend_amd64.s) on
// those paths, and in the pure-Go twins below on the generic path and
// under the purego tag. (The logistic sigmoid and tanh are gates.go's
// Sigmoid32 and Tanh32.) Both follow Cephes's expf and logf:
//
//   - e^x: x clamped to [-104, 89], n = round(x·log2 e), r = x − n·ln 2
//     (ln 2 split in two parts), a degree-7 polynomial for e^r, scaled by
//     2^n as two factors 2^(n>>1)·2^(n−n>>1) (AVX-512: VSCALEFPS), so
//     underflow is gradual and overflow gives +Inf;
//   - softplus: max(x, 0) + log1p(e^-|x|), with log1p(t) for t in (0, 1]
//     as log u of u = fl(1+t) = 2^k·(1+f) (k = 0 or 1, a degree-8
//     polynomial in f) plus the rounding error of u divided by u, so it
//     keeps full relative accuracy for tiny t (softplus(−80) is e^−80).
//
// Accuracy, tested against math.Exp and math.Log1p in float64
// (transcend_test.go) on every path this CPU has: relative error at most
// 3·2^-24 (3 units in the last place near 1) wherever the exact result is
// a normal float32, absolute error at most 2^-126 where it is smaller;
// NaN gives NaN, e^−Inf = 0, e^+Inf = softplus(+Inf) = +Inf,
// softplus(−Inf) = 0.

// transOp names one of the vectorised functions.
type transOp int

const (
	transExp transOp = iota
	transSoftplus
)

// Exp32 sets dst[i] = e^x[i] for i < len(x). dst must be at least as long
// as x and may be x itself.
func Exp32(dst, x []float32) { transcend(transExp, dst, x) }

// Softplus32 sets dst[i] = log(1+e^x[i]) for i < len(x), computed stably.
// dst must be at least as long as x and may be x itself.
func Softplus32(dst, x []float32) { transcend(transSoftplus, dst, x) }

// SigmoidMul32 sets dst[i] = g[i]·σ(x[i]) = g[i]/(1+e^-x[i]) for
// i < len(x): the backward pass of softplus in one pass, with Exp32's e^x:
// within 3 units in the last place of the exact product where that is a
// normal float32 and x ≥ −87, else within 2^-126·max(|g[i]|, 1) absolute
// (σ(x) < 2^-125 there; e^-x overflows to +Inf below x ≈ −88.7, giving 0).
// g and dst must be at least as long as x; dst may be x or g.
func SigmoidMul32(dst, x, g []float32) {
	if len(dst) < len(x) || len(g) < len(x) {
		panic("kernel: SigmoidMul32: dst or g shorter than x")
	}
	n := len(x)
	dst, g = dst[:n], g[:n]
	w := transWidth
	if w == 0 {
		for i, v := range x {
			dst[i] = g[i] / (1 + exp32(-v))
		}
		return
	}
	body := n &^ (w - 1)
	if body > 0 {
		sigmoidMulVec(&x[0], &g[0], &dst[0], body)
	}
	if body < n {
		var bx, bg [16]float32
		copy(bx[:], x[body:])
		copy(bg[:], g[body:])
		sigmoidMulVec(&bx[0], &bg[0], &bx[0], w)
		copy(dst[body:], bx[:n-body])
	}
}

// transcend runs op over x into dst: the vector routine of the active path
// over whole vectors, and the tail padded to one vector in a stack buffer,
// so every element goes through the same code.
func transcend(op transOp, dst, x []float32) {
	if len(dst) < len(x) {
		panic("kernel: Exp32/Softplus32: dst shorter than x")
	}
	dst = dst[:len(x)]
	w := transWidth
	if w == 0 {
		transGo(op, dst, x)
		return
	}
	n := len(x) &^ (w - 1)
	if n > 0 {
		transVec(op, &x[0], &dst[0], n)
	}
	if n < len(x) {
		var buf [16]float32
		copy(buf[:], x[n:])
		transVec(op, &buf[0], &buf[0], w)
		copy(dst[n:], buf[:len(x)-n])
	}
}

// transGo is the pure-Go path.
func transGo(op transOp, dst, x []float32) {
	dst = dst[:len(x)]
	switch op {
	case transExp:
		for i, v := range x {
			dst[i] = exp32(v)
		}
	case transSoftplus:
		for i, v := range x {
			dst[i] = softplus32(v)
		}
	}
}

// Cephes's constants (expf, logf, tanhf), as the assembly's table holds them.
const (
	expHi  = 89.0
	expLo  = -104.0
	log2E  = 1.44269504088896341
	ln2Hi  = 0.693359375
	ln2Lo  = -2.12194440e-4
	roundM = 12582912 // 1.5·2^23: (v + roundM) − roundM rounds v to an integer, ties to even
)

// exp32 is the pure-Go twin of the assembly's e^x.
func exp32(x float32) float32 {
	if x != x {
		return x
	}
	x = min(max(x, expLo), expHi)
	n := (x*log2E + roundM) - roundM
	r := x - n*ln2Hi
	r -= n * ln2Lo
	p := expPoly(r)
	p = p*r + 1
	p = p*r + 1
	k := int32(n)
	h := k >> 1
	return p * math.Float32frombits(uint32(h+127)<<23) * math.Float32frombits(uint32(k-h+127)<<23)
}

// softplus32 is the pure-Go twin of the assembly's log(1+e^x).
func softplus32(x float32) float32 {
	m := x
	if !(m > 0) {
		m = 0
	}
	return m + log1p01(exp32(-float32(math.Abs(float64(x)))))
}

// log1p01 returns log(1+t) for t in [0, 1] (NaN for NaN).
func log1p01(t float32) float32 {
	u := 1 + t
	d := u - 1
	c := t - d // the rounding error of u, exact
	f, k := d, float32(0)
	if u > 1.41421356 {
		f, k = u*0.5-1, 1
	}
	z := f * f
	p := float32(7.0376836292e-2)
	p = p*f - 1.1514610310e-1
	p = p*f + 1.1676998740e-1
	p = p*f - 1.2420140846e-1
	p = p*f + 1.4249322787e-1
	p = p*f - 1.6668057665e-1
	p = p*f + 2.0000714765e-1
	p = p*f - 2.4999993993e-1
	p = p*f + 3.3333331174e-1
	y := p * f * z
	y += k * ln2Lo
	y -= 0.5 * z
	r := f + y
	r += k * ln2Hi
	return r + c/u
}
