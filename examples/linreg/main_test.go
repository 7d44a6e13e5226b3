package main

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// TestLinregFitsTheLabsPoints fits the lab's (1, 3), (2, 5): the line
// through them is y = 2x + 1, and both gradients agree to rounding.
func TestLinregFitsTheLabsPoints(t *testing.T) {
	var log bytes.Buffer
	a, b, worst := run(config{x: []float64{1, 2}, y: []float64{3, 5}, iters: 2000, lr: 0.1}, &log)
	if math.Abs(a-2) > 1e-6 || math.Abs(b-1) > 1e-6 {
		t.Errorf("fit y = %g·x + %g, want 2x + 1", a, b)
	}
	if worst > 1e-12 {
		t.Errorf("autodiff and hand-derived gradients differ by %g", worst)
	}
	if !strings.Contains(log.String(), "step   0: loss 17.000000") { // ((0−3)² + (0−5)²)/2
		t.Errorf("first step:\n%s", log.String())
	}
}

func TestLinregLeastSquares(t *testing.T) {
	// four noisy points: least squares gives a = Sxy/Sxx = 9.75/5 = 1.95, b = ȳ − a·x̄ = 3.875 − 2.925 = 0.95
	a, b, _ := run(config{x: []float64{0, 1, 2, 3}, y: []float64{1, 3, 4.5, 7}, iters: 3000, lr: 0.05}, &bytes.Buffer{})
	if math.Abs(a-1.95) > 1e-6 || math.Abs(b-0.95) > 1e-6 {
		t.Errorf("fit y = %g·x + %g, want 1.95x + 0.95", a, b)
	}
}
