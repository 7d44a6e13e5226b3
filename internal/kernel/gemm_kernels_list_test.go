package kernel

import (
	"slices"
	"testing"
)

// TestGemmKernelsUpTo checks the list of kernels the tests compare: the
// distinct kernels of the paths up to best, in path order, none missing
// (a kernel left out of sgemmKernels would go untested).
func TestGemmKernelsUpTo(t *testing.T) {
	k0, k1, k2 := &gemmKernel[float32]{name: "k0"}, &gemmKernel[float32]{name: "k1"}, &gemmKernel[float32]{name: "k2"}
	for _, c := range []struct {
		table [numPaths]*gemmKernel[float32]
		best  cpuPath
		want  []*gemmKernel[float32]
	}{
		{[numPaths]*gemmKernel[float32]{k0, k1, k2}, pathAVX512, []*gemmKernel[float32]{k0, k1, k2}},
		{[numPaths]*gemmKernel[float32]{k0, k1, k2}, pathAVX2, []*gemmKernel[float32]{k0, k1}},
		{[numPaths]*gemmKernel[float32]{k0, k1, k2}, pathGeneric, []*gemmKernel[float32]{k0}},
		{[numPaths]*gemmKernel[float32]{k0, nil, k2}, pathAVX512, []*gemmKernel[float32]{k0, k2}},
		{[numPaths]*gemmKernel[float32]{k0, nil, nil}, pathAVX512, []*gemmKernel[float32]{k0}},
	} {
		if got := gemmKernelsUpTo(c.table[:], c.best); !slices.Equal(got, c.want) {
			t.Errorf("gemmKernelsUpTo(%v, %s) = %v, want %v", c.table, c.best, got, c.want)
		}
	}
	for p := pathGeneric; p <= cpuBest; p++ {
		if g := gemmForPath(sgemmByPath[:], p); !slices.Contains(sgemmKernels, g) {
			t.Errorf("sgemmKernels %v lacks %s, the kernel of path %s", sgemmKernels, g.name, p)
		}
		if g := gemmForPath(dgemmByPath[:], p); !slices.Contains(dgemmKernels, g) {
			t.Errorf("dgemmKernels %v lacks %s, the kernel of path %s", dgemmKernels, g.name, p)
		}
	}
}
