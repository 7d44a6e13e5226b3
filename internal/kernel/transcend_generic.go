//go:build purego || !amd64

package kernel

// transWidth is 0: the transcendental functions run their pure-Go loops.
const transWidth = 0

// setTranscendPath has only the pure-Go path to choose.
func setTranscendPath(cpuPath) {}

// transVec is never called with transWidth 0.
func transVec(transOp, *float32, *float32, int) { panic("kernel: no vector transcendental functions") }

// sigmoidMulVec is never called with transWidth 0.
func sigmoidMulVec(*float32, *float32, *float32, int) {
	panic("kernel: no vector transcendental functions")
}
