//go:build !purego

package kernel

// sgemmKernel6x16 is the AVX2+FMA float32 micro-kernel (6×16 tile) from
// gemm_kernel_amd64.s; it has the contract of gemmKernel.micro.
//
//go:noescape
func sgemmKernel6x16(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// dgemmKernel6x8 is the AVX2+FMA float64 micro-kernel (6×8 tile).
//
//go:noescape
func dgemmKernel6x8(k int, a, b []float64, ldb int, c []float64, ldc int, alpha, beta float64)

var (
	sgemmAVX2 = &gemmKernel[float32]{name: "avx2_6x16", mr: 6, nr: 16, mc: 144, kc: 256, nc: 4096, micro: sgemmKernel6x16}
	dgemmAVX2 = &gemmKernel[float64]{name: "avx2_6x8", mr: 6, nr: 8, mc: 96, kc: 256, nc: 2048, micro: dgemmKernel6x8}
)

func init() {
	if !hasAVX2FMA {
		return
	}
	sgemmImpl, dgemmImpl = sgemmAVX2, dgemmAVX2
	sgemmKernels = append(sgemmKernels, sgemmAVX2)
	dgemmKernels = append(dgemmKernels, dgemmAVX2)
}
