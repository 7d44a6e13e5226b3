package cifar

import (
	"fmt"
	"math"
	"sync/atomic"
)

// Option configures a view made with [Set.With].
type Option func(*options)

type options struct {
	norm      bool
	mean, std [Channels]float64
	pad       int
	flip      bool
	seed      uint64
}

// Normalize makes Sample return (pixel/255 − mean[c]) / std[c] for channel
// c. Pass the training set's statistics, Normalize(train.ChannelStats()),
// to the training and the test view alike.
func Normalize(mean, std [Channels]float64) Option {
	return func(o *options) { o.norm, o.mean, o.std = true, mean, std }
}

// RandomCrop makes Sample pad the image with pad zero pixels on each side
// (zero before normalisation, as torchvision's RandomCrop on an image
// followed by Normalize) and cut a random 32×32 window out of it: the
// image shifted by up to pad pixels in each direction. The usual pad is 4.
func RandomCrop(pad int) Option {
	return func(o *options) { o.pad = pad }
}

// HorizontalFlip makes Sample mirror the image left to right with
// probability 1/2 (after the crop).
func HorizontalFlip() Option {
	return func(o *options) { o.flip = true }
}

// Seed sets the seed of the augmentation (0 unless given). The k-th time a
// view's Sample is called for image i it draws the same crop and flip for
// the same seed, whatever the order of the calls and in whichever
// goroutine they run, so a run is reproducible.
func Seed(seed uint64) Option {
	return func(o *options) { o.seed = seed }
}

// augState counts the draws of each image.
type augState struct {
	draws []atomic.Uint64
}

// With returns a view of s, sharing its pixels and labels, whose Sample
// applies s's options and then opts: normalisation and, for training,
// augmentation. Each view counts its own draws (see [Seed]). It panics on
// a standard deviation that is not positive or a pad outside 0..32.
func (s *Set) With(opts ...Option) *Set {
	v := &Set{Pixels: s.Pixels, Labels: s.Labels, N: s.N, opt: s.opt}
	for _, o := range opts {
		o(&v.opt)
	}
	if v.opt.norm {
		for c, sd := range v.opt.std {
			if !(sd > 0) {
				panic(fmt.Sprintf("cifar.Normalize: standard deviation %v of channel %d is not positive", sd, c))
			}
		}
		v.lut = normTables(v.opt.mean, v.opt.std)
	}
	if v.opt.pad < 0 || v.opt.pad > Width {
		panic(fmt.Sprintf("cifar.RandomCrop: pad %d is outside 0..%d", v.opt.pad, Width))
	}
	if v.opt.pad > 0 || v.opt.flip {
		v.aug = &augState{draws: make([]atomic.Uint64, v.N)}
	}
	return v
}

// scale maps a pixel byte to [0, 1].
var scale = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i) / 255
	}
	return t
}()

// table returns the map from a byte of channel c to a sample value.
func (s *Set) table(c int) *[256]float32 {
	if s.lut == nil {
		return &scale
	}
	return &s.lut[c]
}

// normTables builds the per-channel maps of a normalising view.
func normTables(mean, std [Channels]float64) *[Channels][256]float32 {
	t := new([Channels][256]float32)
	for c := range t {
		for b := range t[c] {
			t[c][b] = float32((float64(b)/255 - mean[c]) / std[c])
		}
	}
	return t
}

// mix is SplitMix64's finaliser.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// draw returns the shift (dy, dx in −pad..pad) and flip of the next draw of
// image i.
func (s *Set) draw(i int) (dy, dx int, flip bool) {
	if s.aug == nil {
		return 0, 0, false
	}
	k := s.aug.draws[i].Add(1) - 1
	h := mix(s.opt.seed + 0x9e3779b97f4a7c15*(uint64(i)+1))
	h = mix(h ^ (k+1)*0xd1b54a32d192ed03)
	if p := uint64(s.opt.pad); p > 0 {
		dy = int(h%(2*p+1)) - int(p)
		dx = int((h>>20)%(2*p+1)) - int(p)
	}
	flip = s.opt.flip && h>>63 == 1
	return dy, dx, flip
}

// Sample writes image i into x, which must hold 3×32×32 values, and
// returns its label. Values are pixel/255, normalised and augmented as the
// view's options say.
func (s *Set) Sample(i int, x []float32) int {
	x = x[:ImageBytes]
	img := s.Pixels[i*ImageBytes : (i+1)*ImageBytes]
	dy, dx, flip := s.draw(i)
	for c := 0; c < Channels; c++ {
		t := s.table(c)
		plane := img[c*Height*Width : (c+1)*Height*Width]
		out := x[c*Height*Width : (c+1)*Height*Width]
		for y := 0; y < Height; y++ {
			sy := y + dy
			for xo := 0; xo < Width; xo++ {
				xc := xo
				if flip {
					xc = Width - 1 - xo
				}
				sx := xc + dx
				if sy < 0 || sy >= Height || sx < 0 || sx >= Width {
					out[y*Width+xo] = t[0]
				} else {
					out[y*Width+xo] = t[plane[sy*Width+sx]]
				}
			}
		}
	}
	return s.Labels[i]
}

// Image returns image i as Sample writes it, in a new slice.
func (s *Set) Image(i int) []float32 {
	x := make([]float32, ImageBytes)
	s.Sample(i, x)
	return x
}

// ChannelStats returns the mean and the standard deviation (over all
// pixels of all images, population form) of each channel, R, G, B, of the
// pixels scaled to [0, 1], ignoring the view's options. Use the training
// set's statistics for every split.
func (s *Set) ChannelStats() (mean, std [Channels]float64) {
	var hist [Channels][256]int64
	for i := 0; i < s.N; i++ {
		img := s.Pixels[i*ImageBytes : (i+1)*ImageBytes]
		for c := 0; c < Channels; c++ {
			for _, b := range img[c*Height*Width : (c+1)*Height*Width] {
				hist[c][b]++
			}
		}
	}
	n := float64(s.N * Height * Width)
	if n == 0 {
		return mean, std
	}
	for c := range hist {
		var sum float64
		for b, k := range hist[c] {
			sum += float64(k) * float64(b) / 255
		}
		m := sum / n
		var ss float64
		for b, k := range hist[c] {
			d := float64(b)/255 - m
			ss += float64(k) * d * d
		}
		mean[c], std[c] = m, math.Sqrt(ss/n)
	}
	return mean, std
}
