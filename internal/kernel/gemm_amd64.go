//go:build !purego

package kernel

// The assembly GEMM kernels of each path. Their block sizes come from the
// cache sizes CPUID reports (gemmBlocks).
var (
	sgemmAVX2 = gemmBlocks(cpuCaches, &gemmKernel[float32]{
		name: "avx2_6x16", mr: 6, nr: 16, micro: sgemmKernel6x16, edges: true, microRows: sgemmKernel6x16Rows[:], microA: sgemmKernel6x16ARows[:],
		microTiles: sgemmKernel6x16T, microATiles: sgemmKernel6x16AT,
		dot: (*gemmDotKernels[float32])(&dotKernels32), dotLanes: 8, dotMaxM: 64, dotMaxMWide: 16, dotKC: 1024, dotNC: 120,
		packBT: packBT16, packA: packA6, packAT: packAT6,
	})
	dgemmAVX2 = gemmBlocks(cpuCaches, &gemmKernel[float64]{
		name: "avx2_6x8", mr: 6, nr: 8, micro: dgemmKernel6x8, edges: true, microRows: dgemmKernel6x8Rows[:],
		dot: (*gemmDotKernels[float64])(&dotKernels64), dotLanes: 4, dotMaxM: 64, dotMaxMWide: 16, dotKC: 1024, dotNC: 120,
	})
	sgemmAVX512 = gemmBlocks(cpuCaches, &gemmKernel[float32]{
		name: "avx512_12x32", mr: 12, nr: 32, micro: sgemmKernelZ12x32, edges: true, microRows: sgemmKernelZ12x32Rows[:], microA: sgemmKernelZ12x32ARows[:],
		microTiles: sgemmKernelZ12x32T, microATiles: sgemmKernelZ12x32AT,
		dot: (*gemmDotKernels[float32])(&dotKernels32z), dotLanes: 16, dotMaxM: 64, dotMaxMWide: 24, dotWideN: 32, dotKC: 1024, dotNC: 120,
		packBT: packBT32, packA: packA12,
	})
	dgemmAVX512 = gemmBlocks(cpuCaches, &gemmKernel[float64]{
		name: "avx512_12x16", mr: 12, nr: 16, micro: dgemmKernelZ12x16, edges: true, microRows: dgemmKernelZ12x16Rows[:], microTiles: dgemmKernelZ12x16T, packA: packA12D,
		dot: (*gemmDotKernels[float64])(&dotKernels64z), dotLanes: 8, dotMaxM: 64, dotMaxMWide: 16, dotKC: 1024, dotNC: 120,
	})
)

// sgemmByPath and dgemmByPath hold the kernels of each path (nil: the path
// has none of its own and uses the next lower one's).
var (
	sgemmByPath = [numPaths]*gemmKernel[float32]{pathGeneric: sgemmGo, pathAVX2: sgemmAVX2, pathAVX512: sgemmAVX512}
	dgemmByPath = [numPaths]*gemmKernel[float64]{pathGeneric: dgemmGo, pathAVX2: dgemmAVX2, pathAVX512: dgemmAVX512}
)
