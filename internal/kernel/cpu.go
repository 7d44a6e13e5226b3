package kernel

import (
	"fmt"
	"os"
	"strings"
)

// CPU dispatch
//
// One place decides which kernels run: cpuBest is the best path the CPU
// and the operating system support (detected once, in cpu_amd64.go, or
// generic under the purego tag and off amd64), and cpuActive is the path
// in use, cpuBest lowered by the DUBOKO_CPU environment variable. Every
// kernel family (GEMM, element-wise loops, im2col/col2im, pooling) reads
// its choice from setCPUPath, which the tests also call to run each path
// the machine supports in one process.

// cpuPath is a set of kernels, ordered from portable to fastest.
type cpuPath int

const (
	pathGeneric cpuPath = iota // pure Go
	pathAVX2                   // AVX2 + FMA assembly
	pathAVX512                 // AVX-512 (F, BW, DQ, VL) assembly, AVX2 where no AVX-512 form exists
	numPaths
)

var pathNames = [numPaths]string{"generic", "avx2", "avx512"}

func (p cpuPath) String() string { return pathNames[p] }

// includes reports whether path p runs q's kernels: every path includes
// the ones below it (avx512 keeps the AVX2 forms where it has no AVX-512
// one, and both keep the pure-Go loops).
func (p cpuPath) includes(q cpuPath) bool { return p >= q }

// cpuEnvVar names the environment variable that forces a lower path.
const cpuEnvVar = "DUBOKO_CPU"

var (
	// cpuBest is the best path this CPU and OS support.
	cpuBest = detectPath()
	// cpuActive is the path in use; cpuWarning says why it differs from
	// what DUBOKO_CPU asked for, if it does.
	cpuActive, cpuWarning = choosePath(cpuBest, os.Getenv(cpuEnvVar))
)

// choosePath applies the DUBOKO_CPU setting env (empty: no setting) to the
// best supported path. A request for a path above best is capped at best
// and reported in the warning, as is an unknown name.
func choosePath(best cpuPath, env string) (cpuPath, string) {
	env = strings.ToLower(strings.TrimSpace(env))
	if env == "" {
		return best, ""
	}
	for p, name := range pathNames {
		if name != env {
			continue
		}
		if cpuPath(p) > best {
			return best, fmt.Sprintf("%s=%s ignored: this CPU supports at most %s", cpuEnvVar, env, best)
		}
		return cpuPath(p), ""
	}
	return best, fmt.Sprintf("%s=%s ignored: want one of %s", cpuEnvVar, env, strings.Join(pathNames[:], ", "))
}

// init switches the kernels to the chosen path and, when DUBOKO_CPU could
// not be honoured, says so once on standard error: the user asked for
// something explicitly and should not have to find out from the timings.
func init() {
	setCPUPath(cpuActive)
	if cpuWarning != "" {
		fmt.Fprintln(os.Stderr, "duboko: "+cpuWarning)
	}
}

// setCPUPath switches every kernel family to path p, which must not be
// above cpuBest.
func setCPUPath(p cpuPath) {
	if p > cpuBest {
		panic("kernel: path " + p.String() + " not supported by this CPU")
	}
	cpuActive = p
	sgemmImpl, dgemmImpl = gemmForPath(sgemmByPath[:], p), gemmForPath(dgemmByPath[:], p)
	setArchPath(p)
}

// gemmForPath returns the kernel of path p, or of the highest path below p
// that has one.
func gemmForPath[T float32 | float64](byPath []*gemmKernel[T], p cpuPath) *gemmKernel[T] {
	for ; byPath[p] == nil; p-- {
	}
	return byPath[p]
}

// SetCPUPath switches every kernel family to the named path ("avx512",
// "avx2" or "generic"). It returns an error, and changes nothing, for an
// unknown name or a path above what this CPU supports. It is meant for
// benchmarks and command-line flags that compare paths in one process, and
// must not be called while kernels run.
func SetCPUPath(name string) error {
	for p, n := range pathNames {
		if n != name {
			continue
		}
		if cpuPath(p) > cpuBest {
			return fmt.Errorf("kernel: path %s not supported: this CPU supports at most %s", name, cpuBest)
		}
		setCPUPath(cpuPath(p))
		return nil
	}
	return fmt.Errorf("kernel: unknown path %q: want one of %s", name, strings.Join(pathNames[:], ", "))
}

// CPUPath returns the name of the kernel path in use: "avx512", "avx2" or
// "generic".
func CPUPath() string { return cpuActive.String() }

// CPUSummary returns a one-line description of the CPU and the kernel path
// in use, for version output and benchmark headers, e.g. "AMD EPYC 9B45
// (family 26 model 2) (L1d 48 KiB, L2 1 MiB, L3 32 MiB); kernels avx512 of
// avx512": the path in use, then the best this CPU has. It
// ends with a warning when DUBOKO_CPU was ignored.
func CPUSummary() string {
	c := cpuCaches
	s := fmt.Sprintf("%s (L1d %s, L2 %s, L3 %s); kernels %s of %s", cpuModel(), sizeString(c.l1), sizeString(c.l2), sizeString(c.l3), cpuActive, cpuBest)
	if cpuWarning != "" {
		s += "; " + cpuWarning
	}
	return s
}

// sizeString formats a cache size in KiB or, from 1 MiB, MiB.
func sizeString(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// cacheSizes are the data cache sizes in bytes seen by one core (L3: the
// share of the cluster the core belongs to).
type cacheSizes struct{ l1, l2, l3 int }

// defaultCaches stand in where CPUID does not report the caches.
var defaultCaches = cacheSizes{l1: 32 << 10, l2: 1 << 20, l3: 8 << 20}

// cpuCaches are the cache sizes the GEMM blocking is derived from.
var cpuCaches = detectCaches()
