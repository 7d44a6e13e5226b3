package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPTDeepSmoke trains three small configurations with each activation
// briefly: the parameter counts follow Σ (in·out + out), the loss falls,
// and one PNG holds every configuration's surface.
func TestPTDeepSmoke(t *testing.T) {
	configs, err := parseConfigs("2,3 2,6,3 2,4,4,3", 3)
	if err != nil {
		t.Fatal(err)
	}
	wantParams := []int{2*3 + 3, 2*6 + 6 + 6*3 + 3, 2*4 + 4 + 4*4 + 4 + 4*3 + 3}
	for _, act := range []string{"relu", "sigmoid", "tanh"} {
		out := filepath.Join(t.TempDir(), "ptdeep.png")
		var log bytes.Buffer
		c := config{components: 3, classes: 3, perComponent: 15, configs: configs, act: act, iters: 200, lr: 0.1, lambda: 1e-4, seed: 5, out: out}
		if err := c.check(); err != nil {
			t.Fatal(err)
		}
		reports, err := run(c, &log)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range reports {
			if r.params != wantParams[i] {
				t.Errorf("%s %v: %d parameters, want %d", act, r.widths, r.params, wantParams[i])
			}
			if !(r.last < r.first) || r.conf.Total() != 45 {
				t.Errorf("%s %v: loss %g → %g, %d samples", act, r.widths, r.first, r.last, r.conf.Total())
			}
		}
		for _, want := range []string{"[2 6 3]: 39 parameters", "fc2.weight   [3 6]", "recall"} {
			if !strings.Contains(log.String(), want) {
				t.Errorf("%s: output lacks %q:\n%s", act, want, log.String())
			}
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 3*500 {
			t.Errorf("%s: PNG %v, %v (want three panels side by side)", act, img.Bounds(), err)
		}
	}
}

func TestPTDeepBadFlags(t *testing.T) {
	for _, s := range []string{"", "2,x,2", "3,10,2", "2,10,3", "2,0,2"} {
		if _, err := parseConfigs(s, 2); err == nil {
			t.Errorf("parseConfigs(%q) accepted", s)
		}
	}
	if err := (config{components: 1, classes: 2, perComponent: 1, iters: 1, lr: 0.1, act: "gelu"}).check(); err == nil || !strings.Contains(err.Error(), "relu, sigmoid or tanh") {
		t.Errorf("-act gelu: %v", err)
	}
}
