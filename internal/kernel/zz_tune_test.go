package kernel

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// DUBOKO_TUNE="n,m,k,tA,tB" ; variants over kc
func TestZZTune(t *testing.T) {
	spec := os.Getenv("DUBOKO_TUNE")
	if spec == "" {
		t.Skip()
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	f := strings.Split(spec, ",")
	m, _ := strconv.Atoi(f[0]); n, _ := strconv.Atoi(f[1]); k, _ := strconv.Atoi(f[2])
	tA, tB := f[3] == "1", f[4] == "1"
	a := make([]float32, m*k); b := make([]float32, k*n); c := make([]float32, m*n)
	for i := range a { a[i] = float32(i%7) }
	for i := range b { b[i] = float32(i%5) }
	lda, ldb := k, n
	if tA { lda = m }
	if tB { ldb = k }
	var vs []*gemmKernel[float32]
	for _, s := range strings.Split(os.Getenv("DUBOKO_VARIANTS"), " ") {
		g := *sgemmAVX512
		if strings.HasPrefix(s, "avx2") { g = *sgemmAVX2; s = strings.TrimPrefix(s, "avx2") }
		fmt.Sscanf(s, "%d/%d", &g.kc, &g.mc)
		g.name = s
		vs = append(vs, &g)
	}
	best := make([]time.Duration, len(vs))
	for r := 0; r < 80; r++ {
		for i, g := range vs {
			t0 := time.Now()
			gemmSerial(g, tA, tB, m, n, k, 1, a, lda, b, ldb, 0, c, n, nil)
			d := time.Since(t0)
			if r == 0 || d < best[i] { best[i] = d }
		}
	}
	for i, g := range vs {
		t.Logf("%-12s %7.1f GF/s", g.name, 2*float64(m*n*k)/best[i].Seconds()/1e9)
	}
}

func TestZZPeak(t *testing.T) {
	if os.Getenv("DUBOKO_TUNE") == "" {
		t.Skip()
	}
	for _, c := range []struct{ f func(int); fl float64; name string }{{fmaPeakLoop, 192, "avx2"}, {fmaPeakLoop512, 768, "avx512"}} {
		best := time.Hour
		for r := 0; r < 2000; r++ {
			t0 := time.Now()
			c.f(1 << 12)
			if d := time.Since(t0); d < best { best = d }
		}
		t.Logf("peak %s %.1f GF/s", c.name, c.fl*4096/best.Seconds()/1e9)
	}
}
