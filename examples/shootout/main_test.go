package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duboko/duboko/data/mnist"
)

// subset returns the first n images of s.
func subset(s *mnist.Set, n int) *mnist.Set {
	return &mnist.Set{Pixels: s.Pixels[:n*s.H*s.W], Labels: s.Labels[:n], N: n, H: s.H, W: s.W}
}

// TestShootoutSmoke trains [784, 10] and [784, 32, 10] (with batch
// normalisation) for three epochs on 1,500 MNIST images: both must beat
// chance clearly, keep their best epoch's weights, print the table and
// write every picture.
func TestShootoutSmoke(t *testing.T) {
	train, test, err := mnist.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	c := config{configs: [][]int{{784, 10}, {784, 32, 10}}, epochs: 3, batch: 50, lr: 1e-3, gamma: 1 - 1e-4, bn: true, seed: 1, out: out, valFraction: 5}
	var log bytes.Buffer
	results, err := run(c, subset(train, 1500), subset(test, 500), &log)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		t.Logf("%v: kept epoch %d, validation %.3f, test %.3f", r.widths, r.bestEpoch, r.valAcc, r.testAcc)
		if r.testAcc < 0.6 || r.valAcc < 0.6 {
			t.Errorf("%v: validation %.3f, test %.3f: not learning", r.widths, r.valAcc, r.testAcc)
		}
		if r.bestEpoch < 1 || r.bestEpoch > 3 || r.valAcc != maxOf(r.history.ValAcc) {
			t.Errorf("%v: kept epoch %d with %.4f, validation accuracies %v", r.widths, r.bestEpoch, r.valAcc, r.history.ValAcc)
		}
		if len(r.history.LR) != 3 || !(r.history.LR[2] < r.history.LR[0]) {
			t.Errorf("%v: learning rates %v do not decay", r.widths, r.history.LR)
		}
	}
	if results[0].params != 7850 || results[1].params != 784*32+32+2*32+32*10+10 {
		t.Errorf("parameter counts %d, %d", results[0].params, results[1].params)
	}
	for _, want := range []string{"1200 training, 300 validation, 500 test", "[784 10]: 7850 parameters", "test acc"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, log.String())
		}
	}
	for _, f := range []string{"784-10_curves.png", "784-10_worst.png", "784-10_weights.png", "784-32-10_curves.png", "784-32-10_worst.png"} {
		fh, err := os.Open(filepath.Join(out, f))
		if err != nil {
			t.Error(err)
			continue
		}
		if _, err := png.Decode(fh); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		fh.Close()
	}
	if _, err := os.Stat(filepath.Join(out, "784-32-10_weights.png")); err == nil {
		t.Error("weights drawn for a network with a hidden layer")
	}
}

func maxOf(v []float64) float64 {
	m := v[0]
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

func TestShootoutBadConfigs(t *testing.T) {
	for _, s := range []string{"", "784,x,10", "100,10", "784,100", "784,0,10"} {
		if _, err := parseConfigs(s); err == nil {
			t.Errorf("parseConfigs(%q) accepted", s)
		}
	}
}
