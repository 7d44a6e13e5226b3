package generative

import (
	"fmt"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/tensor"
)

// DCGANImages is a view of a data set of one-channel images with values in
// [0, 1] (such as MNIST) as a DCGAN's discriminator sees them: scaled to
// [−1, 1] (the range of the generator's tanh) and, when Size differs from
// the images' side, centred on a background of −1 when Size is the side
// plus 4 (MNIST's 28×28 in the 32×32 layout: a padding of 2, as LeNet-5's
// input had), else resized bilinearly (PyTorch's F.interpolate with
// mode="bilinear", align_corners=False).
type DCGANImages struct {
	Src  data.Dataset
	Size int

	h, w int
	buf  []float32
}

// NewDCGANImages returns the view of src at size×size; src's samples must
// be [1, H, W] or [H, W].
func NewDCGANImages(src data.Dataset, size int) (*DCGANImages, error) {
	s := src.SampleShape()
	if len(s) == 3 && s[0] == 1 {
		s = s[1:]
	}
	if len(s) != 2 || size < 1 {
		return nil, fmt.Errorf("generative: DCGAN images need one-channel samples and a size ≥ 1, got sample shape %v and size %d", src.SampleShape(), size)
	}
	return &DCGANImages{Src: src, Size: size, h: s[0], w: s[1], buf: make([]float32, s[0]*s[1])}, nil
}

// Len returns the number of images.
func (d *DCGANImages) Len() int { return d.Src.Len() }

// SampleShape returns [1, Size, Size].
func (d *DCGANImages) SampleShape() []int { return []int{1, d.Size, d.Size} }

// Sample writes image i scaled to [−1, 1] into x and returns its label.
// It is not safe for concurrent use.
func (d *DCGANImages) Sample(i int, x []float32) int {
	label := d.Src.Sample(i, d.buf)
	dcganImage(x, d.Size, d.buf, d.h, d.w)
	return label
}

// dcganImage writes the image src [h, w] with values in [0, 1] into dst
// [size, size] as a DCGAN's discriminator sees it (see [DCGANImages]).
func dcganImage(dst []float32, size int, src []float32, h, w int) {
	switch {
	case h == size && w == size:
		copy(dst, src[:h*w])
	case h+4 == size && w+4 == size:
		pad2(dst, size, src, h, w)
	default:
		resizeBilinear(dst, size, size, src, h, w)
	}
	for j := range dst[:size*size] {
		dst[j] = 2*dst[j] - 1
	}
}

// pad2 writes src [sh, sw] centred in dst [size, size] (size = sh + 4 =
// sw + 4), the border of 2 pixels 0: the value −1 after the scaling to
// [−1, 1].
func pad2(dst []float32, size int, src []float32, sh, sw int) {
	clear(dst[:size*size])
	for y := range sh {
		copy(dst[(y+2)*size+2:(y+2)*size+2+sw], src[y*sw:(y+1)*sw])
	}
}

// resizeBilinear writes src [sh, sw] resized to dst [dh, dw] by bilinear
// interpolation with half-pixel centres (align_corners=False), as
// PyTorch's F.interpolate does.
func resizeBilinear(dst []float32, dh, dw int, src []float32, sh, sw int) {
	type tap struct {
		i0, i1 int
		f      float32
	}
	taps := func(out, in int) []tap {
		scale := float64(in) / float64(out)
		t := make([]tap, out)
		for o := range t {
			s := (float64(o)+0.5)*scale - 0.5
			if s < 0 {
				s = 0
			}
			i0 := int(s)
			i1 := min(i0+1, in-1)
			t[o] = tap{i0, i1, float32(s - float64(i0))}
		}
		return t
	}
	ty, tx := taps(dh, sh), taps(dw, sw)
	for y, a := range ty {
		r0, r1 := src[a.i0*sw:(a.i0+1)*sw], src[a.i1*sw:(a.i1+1)*sw]
		for x, b := range tx {
			top := r0[b.i0] + b.f*(r0[b.i1]-r0[b.i0])
			bot := r1[b.i0] + b.f*(r1[b.i1]-r1[b.i0])
			dst[y*dw+x] = top + a.f*(bot-top)
		}
	}
}

// resizeArea writes src [sh, sw] shrunk to dst [dh, dw] by averaging each
// output pixel's window [⌊o·in/out⌋, ⌈(o+1)·in/out⌉), as PyTorch's
// adaptive_avg_pool2d (F.interpolate with mode="area") does.
func resizeArea(dst []float32, dh, dw int, src []float32, sh, sw int) {
	for y := 0; y < dh; y++ {
		y0, y1 := y*sh/dh, ((y+1)*sh+dh-1)/dh
		for x := 0; x < dw; x++ {
			x0, x1 := x*sw/dw, ((x+1)*sw+dw-1)/dw
			var s float32
			for i := y0; i < y1; i++ {
				for j := x0; j < x1; j++ {
					s += src[i*sw+j]
				}
			}
			dst[y*dw+x] = s / float32((y1-y0)*(x1-x0))
		}
	}
}

// ToMNIST turns a generator's images [N, 1, S, S] in [−1, 1] into
// MNIST's form: [N, 784] float32 in [0, 1] (values clamped): at S = 32 its
// centre 28×28 (the inverse of [DCGANImages]' padding), at other S shrunk
// to 28×28 by area averaging — what the MNIST classifier that scores the
// samples takes.
func ToMNIST(imgs *tensor.Tensor) *tensor.Tensor {
	imgs = tensor.To(imgs, tensor.Float32)
	n, s := imgs.Dim(0), imgs.Dim(imgs.NDim()-1)
	src := imgs.Float32s()
	out := make([]float32, n*784)
	for i := 0; i < n; i++ {
		o := out[i*784 : (i+1)*784]
		switch s {
		case 28:
			copy(o, src[i*784:(i+1)*784])
		case 32:
			img := src[i*1024 : (i+1)*1024]
			for y := range 28 {
				copy(o[y*28:(y+1)*28], img[(y+2)*32+2:])
			}
		default:
			resizeArea(o, 28, 28, src[i*s*s:(i+1)*s*s], s, s)
		}
		for j, v := range o {
			o[j] = min(max((v+1)/2, 0), 1)
		}
	}
	return tensor.FromFloat32(out, n, 784)
}
