package kernel

// gemmMicro2x4 is the pure-Go micro-kernel: a 2×4 tile of C in eight
// local accumulators, fed by two values of A and four of B per k step. It
// is the portable twin of the assembly kernels and has the contract of
// gemmKernel.micro (whole tiles only). Larger tiles are slower in Go: the compiler schedules
// all the products of a step before the sums, and with more than eight
// accumulators the products spill to the stack.
func gemmMicro2x4[T float32 | float64](k int, a, b []T, ldb int, c []T, ldc int, alpha, beta T, _, _ int) {
	var c00, c01, c02, c03, c10, c11, c12, c13 T
	a = a[:2*k]
	b = b[:(k-1)*ldb+4]
	off := 0
	for p := 0; p < len(a)-1; p += 2 {
		ap := (*[2]T)(a[p : p+2])
		bp := (*[4]T)(b[off : off+4])
		off += ldb
		a0, a1 := ap[0], ap[1]
		c00 += a0 * bp[0]
		c10 += a1 * bp[0]
		c01 += a0 * bp[1]
		c11 += a1 * bp[1]
		c02 += a0 * bp[2]
		c12 += a1 * bp[2]
		c03 += a0 * bp[3]
		c13 += a1 * bp[3]
	}
	gemmStoreRow4(c[0:4:4], c00, c01, c02, c03, alpha, beta)
	gemmStoreRow4(c[ldc:ldc+4:ldc+4], c10, c11, c12, c13, alpha, beta)
}

// gemmStoreRow4 writes row = alpha*(v0..v3) + beta*row, ignoring row's old
// contents when beta == 0.
func gemmStoreRow4[T float32 | float64](row []T, v0, v1, v2, v3, alpha, beta T) {
	if beta == 0 {
		row[0] = alpha * v0
		row[1] = alpha * v1
		row[2] = alpha * v2
		row[3] = alpha * v3
		return
	}
	row[0] = alpha*v0 + beta*row[0]
	row[1] = alpha*v1 + beta*row[1]
	row[2] = alpha*v2 + beta*row[2]
	row[3] = alpha*v3 + beta*row[3]
}

// Pure-Go kernels: always available, the only ones under purego or off
// amd64, and tested alongside the assembly ones.
var (
	sgemmGo = &gemmKernel[float32]{name: "go2x4", mr: 2, nr: 4, mc: 128, kc: 256, nc: 4096, micro: gemmMicro2x4[float32]}
	dgemmGo = &gemmKernel[float64]{name: "go2x4", mr: 2, nr: 4, mc: 128, kc: 256, nc: 4096, micro: gemmMicro2x4[float64]}
)

// The kernels Sgemm and Dgemm use, chosen by setCPUPath.
var (
	sgemmImpl = sgemmGo
	dgemmImpl = dgemmGo
)

// sgemmKernels and dgemmKernels list the kernels of every path this
// machine supports (whatever DUBOKO_CPU says), for the tests and
// benchmarks that compare them.
var (
	sgemmKernels = gemmKernelsUpTo(sgemmByPath[:], cpuBest)
	dgemmKernels = gemmKernelsUpTo(dgemmByPath[:], cpuBest)
)

// gemmKernelsUpTo returns the distinct kernels of the paths up to best.
func gemmKernelsUpTo[T float32 | float64](byPath []*gemmKernel[T], best cpuPath) []*gemmKernel[T] {
	var ks []*gemmKernel[T]
	for p, g := range byPath {
		if g != nil && cpuPath(p) <= best {
			ks = append(ks, g)
		}
	}
	return ks
}
