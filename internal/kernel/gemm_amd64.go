//go:build !purego

package kernel

var (
	sgemmAVX2 = &gemmKernel[float32]{
		name: "avx2_6x16", mr: 6, nr: 16, mc: 144, kc: 400, nc: 4096, micro: sgemmKernel6x16, edges: true, microRows: sgemmKernel6x16Rows[:], microA: sgemmKernel6x16ARows[:],
		microTiles: sgemmKernel6x16T, microATiles: sgemmKernel6x16AT,
		dot: (*gemmDotKernels[float32])(&dotKernels32), dotLanes: 8, dotMaxM: 64, dotMaxMWide: 16, dotKC: 1024, dotNC: 120,
		packBT: packBT16, packA: packA6, packAT: packAT6,
	}
	dgemmAVX2 = &gemmKernel[float64]{
		name: "avx2_6x8", mr: 6, nr: 8, mc: 96, kc: 256, nc: 2048, micro: dgemmKernel6x8, edges: true, microRows: dgemmKernel6x8Rows[:],
		dot: (*gemmDotKernels[float64])(&dotKernels64), dotLanes: 4, dotMaxM: 64, dotMaxMWide: 16, dotKC: 1024, dotNC: 120,
	}
)

func init() {
	if !hasAVX2FMA {
		return
	}
	sgemmImpl, dgemmImpl = sgemmAVX2, dgemmAVX2
	sgemmKernels = append(sgemmKernels, sgemmAVX2)
	dgemmKernels = append(dgemmKernels, dgemmAVX2)
}
