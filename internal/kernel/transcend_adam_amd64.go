//go:build !purego

package kernel

import "math"

//go:noescape
func adamAVX512(p, grad, m, v *float32, n int, k *AdamConsts)

//go:noescape
func adamAVX2(p, grad, m, v *float32, n int, k *AdamConsts)

// adamVec runs the vector loop of the active path over n elements, a
// multiple of transWidth.
func adamVec(p, g, m, v *float32, n int, k *AdamConsts) {
	if transWidth == 16 {
		adamAVX512(p, g, m, v, n, k)
	} else {
		adamAVX2(p, g, m, v, n, k)
	}
}

// sqrt32 is the correctly rounded float32 square root (one SQRTSS).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
