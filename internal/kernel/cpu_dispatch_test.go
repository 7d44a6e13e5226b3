package kernel

import (
	"strings"
	"testing"
)

// TestSetCPUPathByName checks the exported switch: each supported name
// switches the kernels, an unknown name and a path above the CPU's best
// are refused with an error and change nothing. The "above" case is
// staged by lowering cpuBest for the test, so it runs on any machine.
func TestSetCPUPathByName(t *testing.T) {
	prevActive, prevBest := cpuActive, cpuBest
	defer func() {
		cpuBest = prevBest
		setCPUPath(prevActive)
	}()
	for p := pathGeneric; p <= cpuBest; p++ {
		if err := SetCPUPath(p.String()); err != nil || CPUPath() != p.String() || cpuActive != p {
			t.Errorf("SetCPUPath(%q): err %v, path now %s", p, err, CPUPath())
		}
		if sgemmImpl != gemmForPath(sgemmByPath[:], p) {
			t.Errorf("SetCPUPath(%q): Sgemm runs %s", p, sgemmImpl.name)
		}
	}
	setCPUPath(pathGeneric)
	for _, name := range []string{"sse", "AVX2", ""} {
		err := SetCPUPath(name)
		if err == nil || !strings.Contains(err.Error(), "unknown path") || cpuActive != pathGeneric {
			t.Errorf("SetCPUPath(%q): err %v, path now %s; want an unknown-path error and no change", name, err, CPUPath())
		}
	}
	cpuBest = pathGeneric
	for _, name := range []string{"avx2", "avx512"} {
		err := SetCPUPath(name)
		if err == nil || !strings.Contains(err.Error(), "at most generic") || cpuActive != pathGeneric {
			t.Errorf("cpuBest generic: SetCPUPath(%q): err %v, path now %s; want a not-supported error and no change", name, err, CPUPath())
		}
	}
	if err := SetCPUPath("generic"); err != nil {
		t.Errorf("cpuBest generic: SetCPUPath(generic): %v", err)
	}
}

// TestGemmForPathFallsBack checks that a path without a GEMM kernel of its
// own takes the highest path below it that has one.
func TestGemmForPathFallsBack(t *testing.T) {
	k0, k1 := &gemmKernel[float32]{name: "k0"}, &gemmKernel[float32]{name: "k1"}
	for _, c := range []struct {
		table [numPaths]*gemmKernel[float32]
		p     cpuPath
		want  *gemmKernel[float32]
	}{
		{[numPaths]*gemmKernel[float32]{k0, nil, nil}, pathAVX512, k0},
		{[numPaths]*gemmKernel[float32]{k0, nil, nil}, pathAVX2, k0},
		{[numPaths]*gemmKernel[float32]{k0, k1, nil}, pathAVX512, k1},
		{[numPaths]*gemmKernel[float32]{k0, nil, k1}, pathAVX2, k0},
		{[numPaths]*gemmKernel[float32]{k0, nil, k1}, pathAVX512, k1},
		{[numPaths]*gemmKernel[float32]{k0, nil, k1}, pathGeneric, k0},
	} {
		if got := gemmForPath(c.table[:], c.p); got != c.want {
			t.Errorf("gemmForPath(%v, %s) = %s, want %s", c.table, c.p, got.name, c.want.name)
		}
	}
}

// TestCPUSummaryWarning checks that the summary ends with the DUBOKO_CPU
// warning when there is one, and names no warning otherwise.
func TestCPUSummaryWarning(t *testing.T) {
	prev := cpuWarning
	defer func() { cpuWarning = prev }()
	cpuWarning = ""
	if s := CPUSummary(); strings.Contains(s, "; DUBOKO") || !strings.HasSuffix(s, "kernels "+CPUPath()+" of "+cpuBest.String()) {
		t.Errorf("no warning: CPUSummary() = %q", s)
	}
	cpuWarning = "DUBOKO_CPU=x ignored"
	if s := CPUSummary(); !strings.HasSuffix(s, " of "+cpuBest.String()+"; DUBOKO_CPU=x ignored") {
		t.Errorf("with a warning: CPUSummary() = %q", s)
	}
}

// TestSizeString checks the cache sizes' format: MiB for whole mebibytes
// from 1 MiB, KiB otherwise.
func TestSizeString(t *testing.T) {
	for n, want := range map[int]string{
		48 << 10: "48 KiB", 1 << 20: "1 MiB", 32 << 20: "32 MiB", 1536 << 10: "1536 KiB",
		1023 << 10: "1023 KiB", 0: "0 KiB", 2 << 30: "2048 MiB",
	} {
		if got := sizeString(n); got != want {
			t.Errorf("sizeString(%d) = %q, want %q", n, got, want)
		}
	}
}
