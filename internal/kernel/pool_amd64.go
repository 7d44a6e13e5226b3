//go:build !purego

package kernel

// Dispatch of the float32 2×2 stride-2 max pooling to the AVX-512 assembly
// in pool_avx512_amd64.s or the AVX2 assembly in pool_amd64.s, with the
// pure-Go maxPool2x2Go as fallback on CPUs without AVX2 (useAVX2,
// cpu_amd64.go) and, on the AVX2 path, for rows narrower than 4 outputs.
// Lengths are checked here, so the assembly never reads or writes past a
// slice.

//go:noescape
func maxPool2x2AVX2(in, out *float32, am *int32, w, outH, outW int)

//go:noescape
func maxPool2x2AVX512(in, out *float32, am *int32, w, outH, outW int)

// useAVX512Pool selects the AVX-512 max pooling (pool_avx512_amd64.s),
// which takes rows of any width; set by setArchPath.
var useAVX512Pool bool

// maxPool2x2F32 is max pooling of one float32 plane with a 2×2 window,
// stride 2 and no padding; see maxPool2x2Go for the rules.
func maxPool2x2F32(in []float32, w, outH, outW int, out []float32, am []int32) {
	if useAVX512Pool && outW > 0 && outH > 0 {
		_ = in[(2*outH-1)*w+2*outW-1] // the last pixel read
		_ = out[outH*outW-1]
		var amp *int32
		if am != nil {
			_ = am[outH*outW-1]
			amp = &am[0]
		}
		maxPool2x2AVX512(&in[0], &out[0], amp, w, outH, outW)
		return
	}
	if !useAVX2 || outW < 4 || outH <= 0 {
		maxPool2x2Go(in, w, outH, outW, out, am)
		return
	}
	_ = in[(2*outH-1)*w+2*outW-1] // the last pixel read
	_ = out[outH*outW-1]
	var amp *int32
	if am != nil {
		_ = am[outH*outW-1]
		amp = &am[0]
	}
	maxPool2x2AVX2(&in[0], &out[0], amp, w, outH, outW)
}
