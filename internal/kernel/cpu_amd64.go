//go:build !purego

package kernel

import (
	"strconv"
	"strings"

	"golang.org/x/sys/cpu"
)

// cpuid executes the CPUID instruction with the given leaf and sub-leaf.
func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

// detectPath returns the best kernel path of this CPU and OS. x/sys/cpu
// reports a feature only when the OS also saves its register state (XCR0:
// XMM and YMM for AVX2; opmask, ZMM_Hi256 and Hi16_ZMM for AVX-512).
func detectPath() cpuPath {
	x := &cpu.X86
	switch {
	case x.HasAVX512F && x.HasAVX512BW && x.HasAVX512DQ && x.HasAVX512VL && x.HasAVX2 && x.HasFMA:
		return pathAVX512
	case x.HasAVX2 && x.HasFMA:
		return pathAVX2
	}
	return pathGeneric
}

// hasAVX2FMA reports whether the CPU and OS support the AVX2+FMA kernels
// (whichever path is in use).
var hasAVX2FMA = cpuBest.includes(pathAVX2)

// useAVX2 selects the AVX2 assembly of the element-wise loops, row copies
// and pooling; set by setArchPath.
var useAVX2 bool

// setArchPath switches the amd64 kernel families other than GEMM to path p.
// Each family runs its AVX-512 form on the avx512 path where it has one,
// and its AVX2 form otherwise.
func setArchPath(p cpuPath) {
	useAVX2 = p.includes(pathAVX2)
	im2colFast = useAVX2
	useAVX512Im2col = p.includes(pathAVX512)
	useAVX512Copy = p.includes(pathAVX512)
	useAVX512Pool = p.includes(pathAVX512)
	useAVX512EW = p.includes(pathAVX512)
	setTranscendPath(p)
}

// cpuidFunc has the CPUID instruction's signature: cpuid itself, or a
// table of a CPU's answers in tests.
type cpuidFunc func(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

// cpuModel returns the processor brand string from CPUID, with family and
// model numbers.
func cpuModel() string { return cpuModelFrom(cpuid) }

// cpuModelFrom is cpuModel with the CPUID answers of cpuid.
func cpuModelFrom(cpuid cpuidFunc) string {
	maxExt, _, _, _ := cpuid(0x80000000, 0)
	var b []byte
	if maxExt >= 0x80000004 {
		for leaf := uint32(0x80000002); leaf <= 0x80000004; leaf++ {
			a, bx, c, d := cpuid(leaf, 0)
			for _, r := range [4]uint32{a, bx, c, d} {
				b = append(b, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
			}
		}
	}
	name := strings.Join(strings.Fields(strings.TrimRight(string(b), "\x00")), " ")
	if name == "" {
		name = "unknown x86-64 CPU"
	}
	eax, _, _, _ := cpuid(1, 0)
	family := eax >> 8 & 0xf
	model := eax >> 4 & 0xf
	if family == 0xf {
		family += eax >> 20 & 0xff
	}
	if family >= 6 {
		model |= (eax >> 16 & 0xf) << 4
	}
	return name + " (family " + strconv.Itoa(int(family)) + " model " + strconv.Itoa(int(model)) + ")"
}

// detectCaches reads the data and unified cache sizes from CPUID's
// deterministic cache parameters: leaf 4 on Intel, leaf 0x8000001D on AMD
// (same layout), where the L3 size is divided by the number of logical
// processors sharing it. Hypervisors may hide those leaves; AMD's legacy
// leaves 0x80000005/6 then give L1d, L2 and the (unshared) L3. Missing
// levels keep the defaults.
func detectCaches() cacheSizes { return detectCachesFrom(cpuid) }

// detectCachesFrom is detectCaches with the CPUID answers of cpuid.
func detectCachesFrom(cpuid cpuidFunc) cacheSizes {
	c := defaultCaches
	leaf := uint32(4)
	maxLeaf, _, _, _ := cpuid(0, 0)
	maxExt, _, _, _ := cpuid(0x80000000, 0)
	amd := isAMDFrom(cpuid)
	if amd && maxExt >= 0x8000001D {
		leaf = 0x8000001D
	} else if maxLeaf < 4 {
		return c
	}
	if eax, _, _, _ := cpuid(leaf, 0); eax&0x1f == 0 && amd && maxExt >= 0x80000006 {
		_, _, l1, _ := cpuid(0x80000005, 0)
		_, _, l2, l3 := cpuid(0x80000006, 0)
		if kb := int(l1 >> 24); kb > 0 {
			c.l1 = kb << 10
		}
		if kb := int(l2 >> 16); kb > 0 {
			c.l2 = kb << 10
		}
		if u := int(l3 >> 18); u > 0 {
			c.l3 = u << 19
		}
		return c
	}
	for sub := uint32(0); sub < 16; sub++ {
		eax, ebx, ecx, _ := cpuid(leaf, sub)
		typ := eax & 0x1f
		if typ == 0 {
			break
		}
		if typ != 1 && typ != 3 { // data or unified
			continue
		}
		level := eax >> 5 & 7
		ways := int(ebx>>22&0x3ff) + 1
		parts := int(ebx>>12&0x3ff) + 1
		line := int(ebx&0xfff) + 1
		sets := int(ecx) + 1
		size := ways * parts * line * sets
		sharing := int(eax>>14&0xfff) + 1
		switch level {
		case 1:
			c.l1 = size
		case 2:
			c.l2 = size
		case 3:
			c.l3 = size / sharing
		}
	}
	return c
}

// isAMD reports whether the CPU vendor is AMD.
func isAMD() bool { return isAMDFrom(cpuid) }

// isAMDFrom is isAMD with the CPUID answers of cpuid.
func isAMDFrom(cpuid cpuidFunc) bool {
	_, b, c, d := cpuid(0, 0)
	return b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163 // "AuthenticAMD"
}
