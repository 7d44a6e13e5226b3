//go:build !purego

package kernel

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// TestSetCPUPathFlags checks that switching paths switches every amd64
// kernel family with it: on the avx2 path none of the AVX-512 forms runs, on
// the generic path no assembly runs at all. Which kernel runs is otherwise
// seen only in the speed (the forms agree on their results), so DUBOKO_CPU
// could silently stop lowering a family without this test.
func TestSetCPUPathFlags(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		p := cpuActive
		avx2, avx512 := p >= pathAVX2, p >= pathAVX512
		for _, f := range []struct {
			name      string
			got, want bool
		}{
			{"useAVX2", useAVX2, avx2},
			{"im2colFast", im2colFast, avx2},
			{"useAVX512Im2col", useAVX512Im2col, avx512},
			{"useAVX512Copy", useAVX512Copy, avx512},
			{"useAVX512Pool", useAVX512Pool, avx512},
			{"useAVX512EW", useAVX512EW, avx512},
		} {
			if f.got != f.want {
				t.Errorf("path %s: %s = %v, want %v", p, f.name, f.got, f.want)
			}
		}
		wantWidth := map[cpuPath]int{pathGeneric: 0, pathAVX2: 8, pathAVX512: 16}[p]
		if transWidth != wantWidth {
			t.Errorf("path %s: transcendental kernels' width %d, want %d", p, transWidth, wantWidth)
		}
		if g := gemmForPath(sgemmByPath[:], p); sgemmImpl != g {
			t.Errorf("path %s: Sgemm runs %s, want %s", p, sgemmImpl.name, g.name)
		}
	})
}

// TestAVX2FMAFlag checks the flag that says whether the AVX2+FMA kernels
// may run at all (im2col's fast rows ask it) against the CPU's own feature
// bits, whatever path is active.
func TestAVX2FMAFlag(t *testing.T) {
	want := cpu.X86.HasAVX2 && cpu.X86.HasFMA
	if hasAVX2FMA != want || im2colFastOK != want {
		t.Errorf("hasAVX2FMA %v, im2colFastOK %v; the CPU has AVX2 and FMA: %v", hasAVX2FMA, im2colFastOK, want)
	}
}
