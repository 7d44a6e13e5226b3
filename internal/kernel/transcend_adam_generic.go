//go:build purego || !amd64

package kernel

import "math"

// adamVec is never called with transWidth 0.
func adamVec(*float32, *float32, *float32, *float32, int, *AdamConsts) {
	panic("kernel: no vector Adam loop")
}

// sqrt32 is the correctly rounded float32 square root.
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
