//go:build purego || !amd64

package kernel

// Only the pure-Go kernels exist in this build.
var (
	sgemmByPath = [numPaths]*gemmKernel[float32]{pathGeneric: sgemmGo}
	dgemmByPath = [numPaths]*gemmKernel[float64]{pathGeneric: dgemmGo}
)
