package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/duboko/duboko/data/mnist"
)

// subset returns the first n images of s.
func subset(s *mnist.Set, n int) *mnist.Set {
	return &mnist.Set{Pixels: s.Pixels[:n*s.H*s.W], Labels: s.Labels[:n], N: n, H: s.H, W: s.W}
}

// TestSweepSmoke runs λ = 0 and λ = 0.1 for one epoch on 1,000 MNIST
// images: both must learn, the penalty must shrink the weights (Σ‖w‖²
// smaller with λ = 0.1, from the same start), and the table must list
// both with the course's reference.
func TestSweepSmoke(t *testing.T) {
	full, test, err := mnist.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := config{lambdas: []float64{0, 0.1}, epochs: 1, batch: 50, val: 200, seed: 1}
	var out bytes.Buffer
	res, err := run(c, subset(full, 1200), subset(test, 300), &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(out.String())
	if len(res) != 2 {
		t.Fatalf("%d results", len(res))
	}
	for _, r := range res {
		if r.testAcc < 0.4 || r.valAcc < 0.4 { // chance is 0.1
			t.Errorf("λ = %g: validation %.3f, test %.3f: not learning", r.lambda, r.valAcc, r.testAcc)
		}
	}
	if !(res[1].weightSq < 0.9*res[0].weightSq) {
		t.Errorf("Σ‖w‖² %.2f with λ = 0.1, %.2f without: the penalty should shrink the weights", res[1].weightSq, res[0].weightSq)
	}
	for _, want := range []string{"1000 training / 200 validation / 300 test images", "| 0 | ", "| 0.1 | ", "| 95.08 % |", "| 99.25 % |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if _, err := run(config{lambdas: []float64{0}, epochs: 1, batch: 50, val: 300}, subset(full, 300), test, &out); err == nil {
		t.Error("-val as large as the set accepted")
	}
}

func TestParseLambdas(t *testing.T) {
	got, err := parseLambdas("0, 1e-3,0.1")
	if err != nil || len(got) != 3 || got[1] != 1e-3 {
		t.Errorf("parseLambdas: %v %v", got, err)
	}
	for _, bad := range []string{"", "x", "-1", "NaN", "1,,2"} {
		if _, err := parseLambdas(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
