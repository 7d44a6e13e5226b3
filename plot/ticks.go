package plot

import (
	"math"
	"strconv"
)

// Range is a fixed axis range. The zero Range (or any with Min >= Max)
// means "choose from the data".
type Range struct {
	Min, Max float64
}

// fixed reports whether r is set.
func (r Range) fixed() bool { return r.Min < r.Max }

// niceStep returns a number 1, 2, 2.5 or 5 times a power of ten close to x;
// with whole set, 2.5 is not used for steps of 10 or less.
func niceStep(x float64, whole bool) float64 {
	e := math.Floor(math.Log10(x))
	p := math.Pow(10, e)
	f := x / p
	switch {
	case f < 1.5:
		f = 1
	case f < 2.25:
		f = 2
	case f < 3.5 && !(whole && p <= 1):
		f = 2.5
	case f < 3.5:
		f = 2
	case f < 7.5:
		f = 5
	default:
		f = 10
	}
	return f * p
}

// linearTicks returns about n evenly spaced round values in [lo, hi] and
// their spacing. If integer is set the spacing is at least 1.
func linearTicks(lo, hi float64, n int, integer bool) (ticks []float64, step float64) {
	step = niceStep((hi-lo)/float64(max(1, n-1)), integer)
	if integer && step < 1 {
		step = 1
	}
	eps := step * 1e-9
	first := math.Ceil((lo-eps)/step) * step
	for i := 0; ; i++ {
		v := first + float64(i)*step
		if v > hi+eps {
			break
		}
		// Drop binary rounding noise such as 0.6000000000000001.
		v, _ = strconv.ParseFloat(strconv.FormatFloat(math.Round(v/step)*step, 'g', 12, 64), 64)
		if math.Abs(v) < eps {
			v = 0 // no "-0"
		}
		ticks = append(ticks, v)
	}
	return ticks, step
}

// logTicks returns tick values for a log axis spanning [lo, hi] (both > 0):
// the powers of ten, or 1-2-5 multiples when fewer than three powers fall
// inside.
func logTicks(lo, hi float64) []float64 {
	var ticks []float64
	e0, e1 := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	decades := e1 - e0
	mults := []float64{1}
	if decades <= 3 {
		mults = []float64{1, 2, 5}
	}
	stride := max(1, decades/8)
	for e := e0; e <= e1; e += stride {
		for _, m := range mults {
			v := m * math.Pow(10, float64(e))
			if v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
				ticks = append(ticks, v)
			}
		}
	}
	if len(ticks) < 2 {
		lt, _ := linearTicks(lo, hi, 4, false)
		var pos []float64
		for _, v := range lt {
			if v > 0 {
				pos = append(pos, v)
			}
		}
		return pos
	}
	return ticks
}

// formatTick writes v with as many decimals as the tick spacing needs.
func formatTick(v, step float64) string {
	a := math.Abs(v)
	if v != 0 && (a >= 1e6 || a < 1e-4) {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	dec := 0
	if step >= 1 && step != math.Trunc(step) {
		dec = 1
	} else if step > 0 && step < 1 {
		dec = int(math.Ceil(-math.Log10(step) - 1e-9))
		if s := step * math.Pow(10, float64(dec)); math.Abs(s-math.Round(s)) > 1e-6 {
			dec++ // steps like 0.25
		}
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// formatLogTick writes a tick of a log axis in the shortest form.
func formatLogTick(v float64) string {
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// autoRange widens the data extent [lo, hi] by a margin on both sides; for
// a log axis the margin is taken in log space. Equal ends get a unit span.
func autoRange(lo, hi float64, log bool) (float64, float64) {
	if log {
		a, b := autoRange(math.Log10(lo), math.Log10(hi), false)
		return math.Pow(10, a), math.Pow(10, b)
	}
	if lo == hi {
		d := math.Abs(lo) * 0.1
		if d == 0 {
			d = 1
		}
		return lo - d, hi + d
	}
	m := (hi - lo) * 0.05
	return lo - m, hi + m
}
