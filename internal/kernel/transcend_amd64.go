//go:build !purego

package kernel

// Dispatch of the vectorised transcendental functions (transcend.go) to
// transcend_amd64.s.

//go:noescape
func expAVX512(x, dst *float32, n int)

//go:noescape
func softplusAVX512(x, dst *float32, n int)

//go:noescape
func expAVX2(x, dst *float32, n int)

//go:noescape
func softplusAVX2(x, dst *float32, n int)

//go:noescape
func sigmoidMulAVX512(x, grad, dst *float32, n int)

//go:noescape
func sigmoidMulAVX2(x, grad, dst *float32, n int)

// sigmoidMulVec runs the active path's g/(1+e^-x) over n elements, a
// multiple of transWidth.
func sigmoidMulVec(x, g, dst *float32, n int) {
	if transWidth == 16 {
		sigmoidMulAVX512(x, g, dst, n)
	} else {
		sigmoidMulAVX2(x, g, dst, n)
	}
}

// transWidth is the vector width of the active path's routines in lanes
// (0: the pure-Go loops).
var transWidth int

// setTranscendPath switches the transcendental functions to path p.
func setTranscendPath(p cpuPath) {
	switch {
	case p.includes(pathAVX512):
		transWidth = 16
	case p.includes(pathAVX2):
		transWidth = 8
	default:
		transWidth = 0
	}
}

// transVec runs op over n elements (a multiple of transWidth) of x into dst.
func transVec(op transOp, x, dst *float32, n int) {
	if transWidth == 16 {
		switch op {
		case transExp:
			expAVX512(x, dst, n)
		case transSoftplus:
			softplusAVX512(x, dst, n)
		}
		return
	}
	switch op {
	case transExp:
		expAVX2(x, dst, n)
	case transSoftplus:
		softplusAVX2(x, dst, n)
	}
}
