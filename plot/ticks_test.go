package plot

import (
	"slices"
	"testing"
)

func TestLinearTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi  float64
		n       int
		integer bool
		want    []float64
	}{
		{0, 1, 6, false, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{-0.05, 2.05, 6, false, []float64{0, 0.5, 1, 1.5, 2}},
		{0.3, 20.7, 8, true, []float64{2, 4, 6, 8, 10, 12, 14, 16, 18, 20}},
		{0.75, 3.25, 8, true, []float64{1, 2, 3}},
		{-1, 1, 5, false, []float64{-1, -0.5, 0, 0.5, 1}},
	} {
		got, _ := linearTicks(tc.lo, tc.hi, tc.n, tc.integer)
		if !slices.Equal(got, tc.want) {
			t.Errorf("linearTicks(%v, %v, %d, %v) = %v, want %v", tc.lo, tc.hi, tc.n, tc.integer, got, tc.want)
		}
	}
}

func TestFormatTick(t *testing.T) {
	for _, tc := range []struct {
		v, step float64
		want    string
	}{
		{0.2, 0.2, "0.2"}, {1, 0.25, "1.00"}, {0.75, 0.25, "0.75"}, {10, 5, "10"},
		{2.5, 2.5, "2.5"}, {0, 0.1, "0.0"}, {2e6, 1e6, "2e+06"}, {-0.5, 0.5, "-0.5"},
	} {
		if got := formatTick(tc.v, tc.step); got != tc.want {
			t.Errorf("formatTick(%v, %v) = %q, want %q", tc.v, tc.step, got, tc.want)
		}
	}
}

func TestLogTicks(t *testing.T) {
	got := logTicks(1e-5, 0.2)
	want := []float64{1e-5, 1e-4, 1e-3, 1e-2, 1e-1}
	if !slices.Equal(got, want) {
		t.Errorf("logTicks(1e-5, 0.2) = %v, want %v", got, want)
	}
	got = logTicks(0.015, 0.3)
	want = []float64{0.02, 0.05, 0.1, 0.2}
	if !slices.Equal(got, want) {
		t.Errorf("logTicks(0.015, 0.3) = %v, want %v", got, want)
	}
	if got := logTicks(0.31, 0.39); len(got) < 2 {
		t.Errorf("logTicks within one step gave %v", got)
	}
}

func TestAutoRange(t *testing.T) {
	if lo, hi := autoRange(0, 10, false); lo != -0.5 || hi != 10.5 {
		t.Errorf("autoRange(0, 10) = %v, %v", lo, hi)
	}
	if lo, hi := autoRange(3, 3, false); !(lo < 3 && hi > 3) {
		t.Errorf("autoRange(3, 3) = %v, %v", lo, hi)
	}
	if lo, hi := autoRange(0, 0, false); lo != -1 || hi != 1 {
		t.Errorf("autoRange(0, 0) = %v, %v", lo, hi)
	}
	if lo, hi := autoRange(0.01, 1, true); !(lo < 0.01 && lo > 0 && hi > 1) {
		t.Errorf("autoRange log = %v, %v", lo, hi)
	}
}
