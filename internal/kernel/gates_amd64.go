//go:build !purego

package kernel

// Dispatch of Sigmoid32 and Tanh32 to the AVX2/FMA assembly in
// gates_amd64.s (both the avx2 and the avx512 paths run it), with the
// pure-Go twins when useAVX2 is off. The assembly takes whole vectors of 8;
// a tail of 1 to 7 elements goes through a zero-padded buffer, so every
// element is computed by the same code.

//go:noescape
func sigmoidAVX2(x, dst *float32, n int)

//go:noescape
func tanhAVX2(x, dst *float32, n int)

func sigmoid32(dst, x []float32) { gateApply(dst, x, sigmoidAVX2, sigmoidSliceGo) }
func tanh32(dst, x []float32)    { gateApply(dst, x, tanhAVX2, tanhSliceGo) }

// gateApply runs the vector routine f on x into dst (len(dst) == len(x)),
// or the pure-Go g when the AVX2 kernels are off.
func gateApply(dst, x []float32, f func(x, dst *float32, n int), g func(dst, x []float32)) {
	n := len(x)
	if !useAVX2 {
		g(dst, x)
		return
	}
	body := n &^ 7
	if body > 0 {
		f(&x[0], &dst[0], body)
	}
	if body < n {
		var buf [8]float32
		copy(buf[:], x[body:])
		f(&buf[0], &buf[0], 8)
		copy(dst[body:n], buf[:])
	}
}
