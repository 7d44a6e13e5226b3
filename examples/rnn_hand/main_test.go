package main

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// closedForm computes h_1 … h_T of h_t = σ(W_hh h_{t−1} + W_xh x_t + b)
// from h_0 = 0 with scalar loops, independent of the tensor package.
func closedForm(xs []float64) [][2]float64 {
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	var h [2]float64
	var out [][2]float64
	for _, x := range xs {
		var next [2]float64
		for j := range 2 {
			a := wxh[j]*x + b[j]
			for k := range 2 {
				a += whh[j][k] * h[k]
			}
			next[j] = sig(a)
		}
		h = next
		out = append(out, h)
	}
	return out
}

// TestHiddenStates runs the program and reads the printed h_t back
// against the closed form, for the exam's two steps and for three.
func TestHiddenStates(t *testing.T) {
	for _, xs := range [][]float64{{1, 2}, {1, 2, -1}} {
		var out bytes.Buffer
		dot := filepath.Join(t.TempDir(), "rnn.dot")
		if err := run(config{xs: xs, digits: 10, dot: dot}, &out); err != nil {
			t.Fatal(err)
		}
		for i, h := range closedForm(xs) {
			want := fmt.Sprintf("h%d = [%.10f, %.10f]\n", i+1, h[0], h[1])
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
			// The step trace shows the same state.
			trace := fmt.Sprintf("h%-3d = [%.10f %.10f]", i+1, h[0], h[1])
			if !strings.Contains(out.String(), trace) {
				t.Errorf("trace lacks %q:\n%s", trace, out.String())
			}
		}
		if !strings.Contains(out.String(), "wrote "+dot) {
			t.Errorf("no graph written:\n%s", out.String())
		}
	}
	// The exam's h_2 to four decimals, as a student would write it.
	h := closedForm([]float64{1, 2})
	if got := fmt.Sprintf("%.4f %.4f", h[1][0], h[1][1]); got != "0.9174 0.1624" {
		t.Errorf("h2 = %s", got)
	}
}

func TestParseFloats(t *testing.T) {
	if v, err := parseFloats(" 1, -2.5 "); err != nil || len(v) != 2 || v[1] != -2.5 {
		t.Errorf("parseFloats = %v, %v", v, err)
	}
	for _, bad := range []string{"", "1,,2", "x"} {
		if _, err := parseFloats(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
