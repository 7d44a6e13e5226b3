package tensor

import (
	"runtime"
	"testing"
)

// TestConvFusedGeometryRules pins the documented rules of the
// image-at-a-time convolution's helpers, which decide only how the work is
// laid out (the results do not depend on them, so no value test sees
// them): when a convolution runs image at a time (at least two images per
// worker, at least convFusedMinOut output positions, one image's columns
// at most convFusedMaxCols bytes, both bounds included), how many columns its products have (rounded up to whole GEMM
// panels of 16 float32 or 8 float64 values when that adds at most an
// eighth), the columns' row stride (padded float32 rows of at least 8
// values at stride 1: the smallest multiple of 8 with Im2colPaddedSlack
// values after the row), and how the batch is cut into tasks (at most 8
// per worker, the fewest images per task that allows).
func TestConvFusedGeometryRules(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	defer func(old bool) { convFusedOff = old }(convFusedOff)
	convFusedOff = false
	one := [2]int{1, 1}

	// C·kh·kw = 128 and OH·OW = 32·32: exactly 512 KiB of float32 columns.
	at := newConvGeom("test", []int{4, 8, 35, 35}, []int{2, 8, 4, 4}, one, [2]int{}, one)
	over := newConvGeom("test", []int{4, 8, 36, 35}, []int{2, 8, 4, 4}, one, [2]int{}, one)
	few := newConvGeom("test", []int{3, 8, 35, 35}, []int{2, 8, 4, 4}, one, [2]int{}, one)
	for _, c := range []struct {
		name string
		got  bool
		want bool
	}{
		{"4 images, columns of exactly 512 KiB, float32", convUseFused[float32](at), true},
		{"4 images, columns of 528 KiB, float32", convUseFused[float32](over), false},
		{"4 images, columns of 1 MiB, float64", convUseFused[float64](at), false},
		{"3 images on 2 workers", convUseFused[float32](few), false},
		{"32 output positions", convUseFused[float32](newConvGeom("test", []int{4, 2, 4, 8}, []int{2, 2, 1, 1}, one, [2]int{}, one)), true},
		{"31 output positions", convUseFused[float32](newConvGeom("test", []int{4, 2, 1, 31}, []int{2, 2, 1, 1}, one, [2]int{}, one)), false},
	} {
		if c.got != c.want {
			t.Errorf("convUseFused, %s: %v, want %v", c.name, c.got, c.want)
		}
	}

	for _, c := range []struct{ ohw, f32, f64 int }{
		{1, 1, 1},       // a panel would be 16 (8) times the work
		{9, 9, 9},       // +7 > 9/8
		{17, 17, 17},    // +15 (+7) > 17/8
		{50, 50, 56},    // +6 ≤ 50/8 in float64 only
		{120, 128, 120}, // +8 ≤ 120/8 in float32, 120 is whole float64 panels
		{196, 208, 200}, // MNIST's 14×14 maps
		{256, 256, 256}, // whole panels already
	} {
		if got := convFusedN[float32](c.ohw); got != c.f32 {
			t.Errorf("convFusedN[float32](%d) = %d, want %d", c.ohw, got, c.f32)
		}
		if got := convFusedN[float64](c.ohw); got != c.f64 {
			t.Errorf("convFusedN[float64](%d) = %d, want %d", c.ohw, got, c.f64)
		}
	}

	for _, c := range []struct {
		name   string
		xs, ws []int
		stride [2]int
		want   int // the row stride when padded, 0 when not
	}{
		{"8×8 plane, 1×1 kernel", []int{1, 2, 8, 8}, []int{3, 2, 1, 1}, one, 72},               // 64+7 → 72
		{"8×9 plane, 1×2 kernel", []int{1, 2, 8, 9}, []int{3, 2, 1, 2}, one, 72},               // 64+7 → 72
		{"9×8 plane, 1×1 kernel", []int{1, 2, 9, 8}, []int{3, 2, 1, 1}, one, 80},               // 72+7 → 80
		{"14×14 plane, 3×3 kernel", []int{1, 1, 14, 14}, []int{2, 1, 3, 3}, one, 152},          // 144+7 → 152
		{"16×16 plane, 3×3 kernel", []int{1, 1, 16, 16}, []int{2, 1, 3, 3}, one, 208},          // 196+7 → 208 = n
		{"7-wide plane", []int{1, 2, 8, 7}, []int{3, 2, 1, 1}, one, 0},                         // rows under 8 values
		{"8×9 plane, 1×3 kernel: 7-wide output", []int{1, 2, 8, 9}, []int{3, 2, 1, 3}, one, 0}, //
		{"stride 2 down", []int{1, 2, 16, 16}, []int{3, 2, 1, 1}, [2]int{2, 1}, 0},
		{"stride 2 across", []int{1, 2, 16, 16}, []int{3, 2, 1, 1}, [2]int{1, 2}, 0},
	} {
		g := newConvGeom("test", c.xs, c.ws, c.stride, [2]int{}, one)
		n := convFusedN[float32](g.ohw)
		ld, padded := convFusedLD[float32](g, n)
		if want := c.want != 0; padded != want || want && ld != c.want || !want && ld != n {
			t.Errorf("convFusedLD[float32], %s (OH·OW = %d, n = %d): ld %d padded %v, want padded %v (ld %d)",
				c.name, g.ohw, n, ld, padded, want, c.want)
		}
		if ld, padded := convFusedLD[float64](g, n); padded || ld != n {
			t.Errorf("convFusedLD[float64], %s: ld %d padded %v, want %d unpadded", c.name, ld, padded, n)
		}
	}

	for _, c := range []struct{ workers, n, tasks, per int }{
		{2, 1, 1, 1},
		{2, 16, 16, 1},
		{2, 17, 9, 2},
		{2, 33, 11, 3},
		{2, 64, 16, 4},
		{3, 24, 24, 1},
		{3, 50, 17, 3},
		{1, 9, 5, 2},
	} {
		runtime.GOMAXPROCS(c.workers)
		if tasks, per := convSplit(c.n); tasks != c.tasks || per != c.per {
			t.Errorf("convSplit(%d) on %d workers = %d tasks of %d, want %d of %d", c.n, c.workers, tasks, per, c.tasks, c.per)
		}
	}
}
