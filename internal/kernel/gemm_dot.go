package kernel

// The A·Bᵀ case with a short A (few rows of op(A) = A, many columns of
// op(B) = Bᵀ) is a grid of dot products between rows of A and rows of B,
// both contiguous in k. Packing Bᵀ would cost a transposition of all of B
// for little reuse, so when a kernel set has dot kernels, such products
// read both operands in place: each dot kernel keeps a small tile of dot
// products in vector accumulators, and the driver adds the k remainder,
// applies alpha and beta and blocks k so the rows stay in cache.

const (
	dotRows = 4 // rows of A per dot tile
	dotCols = 3 // rows of B per dot tile
)

// gemmDotKernels indexes dot kernels by tile size: [rows-1][cols-1]. Each
// computes out[i*dotCols+j] = Σ_p a[i*lda+p]*b[j*ldb+p] over p < k, for k a
// multiple of the kernel's register width.
type gemmDotKernels[T float32 | float64] [dotRows][dotCols]func(k int, a []T, lda int, b []T, ldb int, out *[dotRows * dotCols]T)

// gemmDotNT computes C = alpha*A·Bᵀ + beta*C from row-major A (m×k) and
// B (n×k) with the dot kernels. It assumes m, n, k >= 1.
func gemmDotNT[T float32 | float64](g *gemmKernel[T], m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, ep *Epilogue[T]) {
	dot := g.dot
	lanes := g.dotLanes
	kc := gemmBalance(k, g.dotKC, lanes)
	var out [dotRows * dotCols]T
	for jc := 0; jc < n; jc += g.dotNC {
		jend := min(jc+g.dotNC, n)
		for pc := 0; pc < k; pc += kc {
			kcur := min(kc, k-pc)
			kvec := kcur / lanes * lanes
			betaCur := beta
			if pc > 0 {
				betaCur = 1
			}
			for i0 := 0; i0 < m; i0 += dotRows {
				rows := min(dotRows, m-i0)
				ab := a[i0*lda+pc:]
				for j0 := jc; j0 < jend; j0 += dotCols {
					cols := min(dotCols, jend-j0)
					bb := b[j0*ldb+pc:]
					if kvec > 0 {
						dot[rows-1][cols-1](kvec, ab[:(rows-1)*lda+kvec], lda, bb[:(cols-1)*ldb+kvec], ldb, &out)
					} else {
						clear(out[:])
					}
					if kvec < kcur {
						gemmDotTail(&out, rows, cols, ab[kvec:], lda, bb[kvec:], ldb, kcur-kvec)
					}
					for i := 0; i < rows; i++ {
						crow := c[(i0+i)*ldc+j0 : (i0+i)*ldc+j0+cols]
						o := out[i*dotCols : i*dotCols+cols]
						if betaCur == 0 {
							for j, s := range o {
								crow[j] = alpha * s
							}
						} else {
							for j, s := range o {
								crow[j] = alpha*s + betaCur*crow[j]
							}
						}
					}
				}
				if pc+kcur == k {
					ep.apply(c, ldc, i0, i0+rows, jc, jend)
				}
			}
		}
	}
}

// gemmDotTail adds the last r < lanes steps of k, which the dot kernels
// leave out, to the tile sums in out.
func gemmDotTail[T float32 | float64](out *[dotRows * dotCols]T, rows, cols int, a []T, lda int, b []T, ldb int, r int) {
	for i := 0; i < rows; i++ {
		ai := a[i*lda : i*lda+r]
		for j := 0; j < cols; j++ {
			s := out[i*dotCols+j]
			for p, v := range b[j*ldb : j*ldb+r] {
				s += ai[p] * v
			}
			out[i*dotCols+j] = s
		}
	}
}
