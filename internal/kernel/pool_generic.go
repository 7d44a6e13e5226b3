//go:build !amd64 || purego

package kernel

// maxPool2x2F32 is max pooling of one float32 plane with a 2×2 window,
// stride 2 and no padding: the pure-Go twin of the AVX2 version in
// pool_amd64.go, used off amd64 and under the purego build tag.
func maxPool2x2F32(in []float32, w, outH, outW int, out []float32, am []int32) {
	maxPool2x2Go(in, w, outH, outW, out, am)
}
