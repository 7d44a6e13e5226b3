package kernel

import "unsafe"

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

// gemmBlocks sets g's block sizes from the cache sizes c and returns g.
// The Goto scheme keeps one kc×nr panel of B in L1 while the micro-kernel
// streams the mc×kc block of A from L2 past it, and the kc×nc block of B in
// L3, so:
//   - kc: the B panel fills half of L1 (the rest holds the A panel's
//     lines in flight and the C tile), in multiples of 8 steps of k;
//   - mc: the A block fills a quarter of L2 (B panels and C pass through
//     L2 too), in whole mr-row panels;
//   - nc: the B block fills half of this core's share of L3, in whole
//     panels, at most 4096 columns.
func gemmBlocks[T float32 | float64](c cacheSizes, g *gemmKernel[T]) *gemmKernel[T] {
	var z T
	elem := int(unsafe.Sizeof(z))
	g.kc = max(64, c.l1/2/(g.nr*elem)/8*8)
	g.mc = max(g.mr, c.l2/4/(g.kc*elem)/g.mr*g.mr)
	g.nc = min(4096, max(g.nr, c.l3/2/(g.kc*elem)/g.nr*g.nr))
	return g
}
