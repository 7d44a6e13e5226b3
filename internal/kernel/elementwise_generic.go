//go:build !amd64 || purego

package kernel

// Pure-Go float32 and float64 twins of the AVX2 routines in
// elementwise_amd64.s and elementwise_f64_amd64.s, used off amd64 and under
// the purego build tag.

func ewAxpy32(alpha float32, x, y []float32)           { axpyGo(alpha, x, y) }
func ewScale32(alpha float32, x []float32)             { scaleGo(alpha, x) }
func ewAddScalar32(s float32, x []float32)             { addScalarGo(s, x) }
func ewAdd32(a, b, dst []float32)                      { addGo(a, b, dst) }
func ewMul32(a, b, dst []float32)                      { mulGo(a, b, dst) }
func ewDot32(x, y []float32) float32                   { return dotGo(x, y) }
func ewSum32(x []float32) float32                      { return sumGo(x) }
func ewRelu32(x, dst []float32)                        { reluGo(x, dst) }
func ewReluBackward32(x, grad, dst []float32)          { reluBackwardGo(x, grad, dst) }
func ewLeakyRelu32(slope float32, x, v, dst []float32) { leakyReluGo(slope, x, v, dst) }

func ewAxpy64(alpha float64, x, y []float64)  { axpyGo(alpha, x, y) }
func ewScale64(alpha float64, x []float64)    { scaleGo(alpha, x) }
func ewAddScalar64(s float64, x []float64)    { addScalarGo(s, x) }
func ewAdd64(a, b, dst []float64)             { addGo(a, b, dst) }
func ewMul64(a, b, dst []float64)             { mulGo(a, b, dst) }
func ewDot64(x, y []float64) float64          { return dotGo(x, y) }
func ewSum64(x []float64) float64             { return sumGo(x) }
func ewRelu64(x, dst []float64)               { reluGo(x, dst) }
func ewReluBackward64(x, grad, dst []float64) { reluBackwardGo(x, grad, dst) }
