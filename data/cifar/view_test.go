package cifar

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// setOf builds a Set from records without files.
func setOf(recs ...[]byte) *Set {
	s := &Set{}
	for _, r := range recs {
		s.Labels = append(s.Labels, int(r[0]))
		s.Pixels = append(s.Pixels, r[1:]...)
	}
	s.N = len(recs)
	return s
}

// coords is an image whose red pixel is y+1 and green pixel x+1 (never 0,
// so a padded pixel is told apart) and blue pixel 200.
func coords() *Set {
	return setOf(record(1, func(c, y, x int) byte {
		switch c {
		case 0:
			return byte(y + 1)
		case 1:
			return byte(x + 1)
		}
		return 200
	}))
}

// decode recovers the shift and flip of an augmented coords image and
// checks every pixel against them.
func decode(t *testing.T, x []float32, pad int) (dy, dx int, flip bool) {
	t.Helper()
	b := func(c, y, xx int) int { return int(math.Round(float64(x[c*1024+y*32+xx]) * 255)) }
	// The centre pixel is never padded for pad ≤ 4.
	dy = b(0, 16, 16) - 1 - 16
	g0, g1 := b(1, 16, 16), b(1, 16, 17)
	flip = g1 < g0
	if flip {
		dx = g0 - 1 - 15
	} else {
		dx = g0 - 1 - 16
	}
	if dy < -pad || dy > pad || dx < -pad || dx > pad {
		t.Fatalf("shift (%d, %d) outside ±%d", dy, dx, pad)
	}
	for y := 0; y < 32; y++ {
		for xo := 0; xo < 32; xo++ {
			xc := xo
			if flip {
				xc = 31 - xo
			}
			sy, sx := y+dy, xc+dx
			wr, wg, wb := sy+1, sx+1, 200
			if sy < 0 || sy > 31 || sx < 0 || sx > 31 {
				wr, wg, wb = 0, 0, 0
			}
			if b(0, y, xo) != wr || b(1, y, xo) != wg || b(2, y, xo) != wb {
				t.Fatalf("shift (%d, %d) flip %v: pixel (%d, %d) is %d %d %d, want %d %d %d",
					dy, dx, flip, y, xo, b(0, y, xo), b(1, y, xo), b(2, y, xo), wr, wg, wb)
			}
		}
	}
	return dy, dx, flip
}

func TestHorizontalFlipOfKnownImage(t *testing.T) {
	v := coords().With(HorizontalFlip(), Seed(7))
	var flips, plain int
	for k := 0; k < 64; k++ {
		x := v.Image(0)
		dy, dx, flip := decode(t, x, 0)
		if dy != 0 || dx != 0 {
			t.Fatalf("flip only, but shifted by (%d, %d)", dy, dx)
		}
		if flip {
			flips++
			// The flipped image's first column is the original's last.
			if got := x[1*1024+5*32+0]; got != float32(32)/255 {
				t.Fatalf("flipped green (5, 0) = %v, want 32/255", got)
			}
		} else {
			plain++
		}
	}
	if flips < 16 || plain < 16 {
		t.Errorf("64 draws: %d flipped, %d not; want about half each", flips, plain)
	}
}

func TestRandomCrop(t *testing.T) {
	v := coords().With(RandomCrop(4), HorizontalFlip(), Seed(3))
	seen := map[[2]int]bool{}
	for k := 0; k < 2000; k++ {
		dy, dx, _ := decode(t, v.Image(0), 4)
		seen[[2]int{dy, dx}] = true
	}
	// 81 shifts, 2000 draws: all appear unless the draw is biased (chance of a
	// miss about 1e-9).
	if len(seen) != 81 {
		t.Errorf("%d of the 81 shifts seen in 2000 draws", len(seen))
	}
}

func TestAugmentationDeterministic(t *testing.T) {
	c := coords()
	two := setOf(append([]byte{1}, c.Pixels...), append([]byte{2}, c.Pixels...))
	opts := []Option{RandomCrop(4), HorizontalFlip(), Seed(42)}
	a, b := two.With(opts...), two.With(opts...)
	// The k-th draw of an image is the same whatever the order of calls.
	var got [2][2][][]float32 // view, image, draw
	for _, i := range []int{0, 1, 0, 1, 0, 1} {
		got[0][i] = append(got[0][i], a.Image(i))
	}
	for _, i := range []int{1, 1, 1, 0, 0, 0} {
		got[1][i] = append(got[1][i], b.Image(i))
	}
	for i := 0; i < 2; i++ {
		for k := 0; k < 3; k++ {
			if !slices.Equal(got[0][i][k], got[1][i][k]) {
				t.Errorf("image %d draw %d differs between two views with the same seed", i, k)
			}
		}
	}
	// Successive draws, other images and other seeds differ.
	other := two.With(RandomCrop(4), HorizontalFlip(), Seed(43))
	var same, sameImg, sameSeed int
	for k := 0; k < 20; k++ {
		x0, x1, y0 := a.Image(0), a.Image(1), other.Image(0)
		if k > 0 && slices.Equal(x0, got[0][0][0]) {
			same++
		}
		if slices.Equal(x0, x1) {
			sameImg++
		}
		if slices.Equal(x0, y0) {
			sameSeed++
		}
	}
	// 162 equally likely outcomes: a few coincidences are chance, many are a bug.
	if same > 3 || sameImg > 3 || sameSeed > 3 {
		t.Errorf("20 draws: %d repeat the first, %d equal image 1's, %d equal seed 43's", same, sameImg, sameSeed)
	}
	// The plain set and a view without augmentation are not augmented.
	if !slices.Equal(two.Image(0), two.With().Image(0)) || two.With().aug != nil {
		t.Error("a view without augmentation options changes the image")
	}
}

// TestChannelStats uses two images: red all 0 then all 255 (mean 0.5, std
// 0.5), green all 51 (mean 0.2, std 0), blue with the left half 0 and the
// right half 255 (mean 0.5, std 0.5).
func TestChannelStats(t *testing.T) {
	pix := func(r byte) func(c, y, x int) byte {
		return func(c, y, x int) byte {
			switch c {
			case 0:
				return r
			case 1:
				return 51
			}
			if x < 16 {
				return 0
			}
			return 255
		}
	}
	s := setOf(record(0, pix(0)), record(5, pix(255)))
	mean, std := s.ChannelStats()
	want := [2][3]float64{{0.5, 0.2, 0.5}, {0.5, 0, 0.5}}
	for c := 0; c < 3; c++ {
		if math.Abs(mean[c]-want[0][c]) > 1e-12 || math.Abs(std[c]-want[1][c]) > 1e-12 {
			t.Errorf("channel %d: mean %v std %v, want %v %v", c, mean[c], std[c], want[0][c], want[1][c])
		}
	}
	// A view's options do not change the statistics.
	std[1] = 0.1
	n := s.With(Normalize(mean, std), RandomCrop(2))
	if m2, s2 := n.ChannelStats(); m2 != mean || s2[0] != std[0] {
		t.Errorf("view stats %v %v differ from the set's", m2, s2)
	}
	x := s.With(Normalize(mean, std)).Image(1)
	for _, p := range []struct {
		i    int
		want float32
	}{{0, 1}, {1024, 0}, {2048, -1}, {2048 + 31, 1}} {
		if math.Abs(float64(x[p.i]-p.want)) > 1e-6 {
			t.Errorf("normalised value %d = %v, want %v", p.i, x[p.i], p.want)
		}
	}
	// With crop, normalisation maps a padded pixel as the byte 0: (0−0.5)/0.5.
	c := setOf(record(0, pix(255))).With(Normalize(mean, std), RandomCrop(4), Seed(1))
	found := false
	for k := 0; k < 20 && !found; k++ {
		x := c.Image(0)
		found = slices.Contains(x[:1024], -1)
	}
	if !found {
		t.Error("no padded red pixel normalised to -1 in 20 crops")
	}
}

func TestWithPanics(t *testing.T) {
	for _, tc := range []struct {
		opt  Option
		want string
	}{
		{Normalize([3]float64{}, [3]float64{1, 0, 1}), "standard deviation 0 of channel 1"},
		{RandomCrop(-1), "pad -1"},
		{RandomCrop(33), "pad 33"},
	} {
		func() {
			defer func() {
				if r, _ := recover().(string); !strings.Contains(r, tc.want) {
					t.Errorf("panic %q, want one containing %q", r, tc.want)
				}
			}()
			coords().With(tc.opt)
		}()
	}
}

func BenchmarkSample(b *testing.B) {
	s := coords()
	mean, std := s.ChannelStats()
	std[2] = 1
	for _, bc := range []struct {
		name string
		v    *Set
	}{
		{"plain", s},
		{"normalised", s.With(Normalize(mean, std))},
		{"augmented", s.With(Normalize(mean, std), RandomCrop(4), HorizontalFlip())},
	} {
		b.Run(bc.name, func(b *testing.B) {
			x := make([]float32, ImageBytes)
			b.SetBytes(ImageBytes)
			for i := 0; i < b.N; i++ {
				bc.v.Sample(0, x)
			}
		})
	}
}
