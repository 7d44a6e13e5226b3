package kernel

import "math"

// Global pooling reduces each h×w plane of an NCHW batch to one value:
// src has shape [n, c, hw] (hw = h*w) and dst has shape [n, c]. The
// backward functions accumulate into gradIn, which the caller zeroes first.

// GlobalAvgPool writes the mean of each plane: dst[p] = Σ src[p*hw+i] / hw.
func GlobalAvgPool[T float32 | float64](src []T, n, c, hw int, dst []T) {
	planes := n * c
	if planes <= 0 || hw <= 0 {
		return
	}
	src = src[:planes*hw]
	dst = dst[:planes]
	inv := 1 / T(hw)
	ParallelFor(planes, poolChunk(hw), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			dst[p] = Sum(src[p*hw:p*hw+hw]) * inv
		}
	})
}

// GlobalAvgPoolBackward adds gradOut[p]/hw to every element of plane p of
// gradIn.
func GlobalAvgPoolBackward[T float32 | float64](gradOut []T, n, c, hw int, gradIn []T) {
	planes := n * c
	if planes <= 0 || hw <= 0 {
		return
	}
	gradOut = gradOut[:planes]
	gradIn = gradIn[:planes*hw]
	inv := 1 / T(hw)
	ParallelFor(planes, poolChunk(hw), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			AddScalar(gradOut[p]*inv, gradIn[p*hw:p*hw+hw])
		}
	})
}

// GlobalMaxPool writes the maximum of each plane to dst and, when argmax is
// not nil, its index within the plane (0 <= argmax[p] < hw). Ties and NaN
// follow MaxPool2d: the first maximum wins, a NaN beats any number and a
// later NaN replaces an earlier one.
func GlobalMaxPool[T float32 | float64](src []T, n, c, hw int, dst []T, argmax []int32) {
	planes := n * c
	if planes <= 0 || hw <= 0 {
		return
	}
	src = src[:planes*hw]
	dst = dst[:planes]
	if argmax != nil {
		argmax = argmax[:planes]
	}
	negInf := T(math.Inf(-1))
	ParallelFor(planes, poolChunk(hw), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			m, idx := negInf, 0
			for i, v := range src[p*hw : p*hw+hw] {
				if v > m || v != v {
					m, idx = v, i
				}
			}
			dst[p] = m
			if argmax != nil {
				argmax[p] = int32(idx)
			}
		}
	})
}

// GlobalMaxPoolBackward adds gradOut[p] to gradIn[p*hw+argmax[p]].
func GlobalMaxPoolBackward[T float32 | float64](gradOut []T, argmax []int32, n, c, hw int, gradIn []T) {
	planes := n * c
	if planes <= 0 || hw <= 0 {
		return
	}
	gradOut = gradOut[:planes]
	argmax = argmax[:planes]
	gradIn = gradIn[:planes*hw]
	for p, idx := range argmax {
		gradIn[p*hw+int(idx)] += gradOut[p]
	}
}
