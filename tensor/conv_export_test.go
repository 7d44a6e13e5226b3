package tensor

// Test hooks for the convolution paths (used by conv_test.go).

// SetConvFusedOff disables (true) or enables the image-at-a-time path.
func SetConvFusedOff(off bool) { convFusedOff = off }

// SetConvFusedMinOut sets the fewest output positions with which a
// convolution runs image at a time and returns the previous value.
func SetConvFusedMinOut(n int) int {
	old := convFusedMinOut
	convFusedMinOut = n
	return old
}

// ConvUsesFused reports whether a float32 convolution of these shapes runs
// image at a time.
func ConvUsesFused(xs, ws []int, stride, pad, dil [2]int) bool {
	return convUseFused[float32](newConvGeom("test", xs, ws, stride, pad, dil))
}

// ConvFusedPadded reports whether the image-at-a-time path pads the
// float32 columns matrix of a convolution of these shapes.
func ConvFusedPadded(xs, ws []int, stride, pad, dil [2]int) bool {
	g := newConvGeom("test", xs, ws, stride, pad, dil)
	return convFusedN[float32](g.ohw) != g.ohw
}

// ConvFusedPaddedIm2col reports whether the image-at-a-time path builds the
// float32 columns of a convolution of these shapes with kernel.Im2colPadded.
func ConvFusedPaddedIm2col(xs, ws []int, stride, pad, dil [2]int) bool {
	g := newConvGeom("test", xs, ws, stride, pad, dil)
	_, padded := convFusedLD[float32](g, convFusedN[float32](g.ohw))
	return padded
}
