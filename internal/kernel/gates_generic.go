//go:build !amd64 || purego

package kernel

func sigmoid32(dst, x []float32) { sigmoidSliceGo(dst, x) }
func tanh32(dst, x []float32)    { tanhSliceGo(dst, x) }
