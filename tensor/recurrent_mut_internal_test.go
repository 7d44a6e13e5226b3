package tensor

import "testing"

// TestRecurrentLayoutRules pins the documented rules of two helpers of the
// recurrence that change only how the work is laid out (no value test
// sees them): the fewest batch rows per worker, about 4096 gate values
// (at least one row), and the row stride of W_hhᵀ, padded by 16 elements
// when a row fills a multiple of 1 KiB.
func TestRecurrentLayoutRules(t *testing.T) {
	for _, c := range []struct{ g, rows int }{{1, 4096}, {40, 102}, {128, 32}, {512, 8}, {4096, 1}, {5000, 1}} {
		if got := recurrentMinRows(c.g); got != c.rows {
			t.Errorf("recurrentMinRows(%d) = %d, want %d", c.g, got, c.rows)
		}
	}
	for _, c := range []struct{ n, f32, f64 int }{
		{100, 100, 100}, {128, 128, 144}, {255, 255, 255}, {256, 272, 272}, {384, 384, 400}, {512, 528, 528},
	} {
		if got := gemmLD[float32](c.n); got != c.f32 {
			t.Errorf("gemmLD[float32](%d) = %d, want %d", c.n, got, c.f32)
		}
		if got := gemmLD[float64](c.n); got != c.f64 {
			t.Errorf("gemmLD[float64](%d) = %d, want %d", c.n, got, c.f64)
		}
	}
}
