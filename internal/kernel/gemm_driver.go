package kernel

// gemmKernel is one micro-kernel with the blocking sizes that suit it.
type gemmKernel[T float32 | float64] struct {
	name   string
	mr, nr int // register tile: rows of A panels, columns of B panels
	mc, kc int // A block (mc×kc) kept in L2, B panel (kc×nr) in L1
	nc     int // B block (kc×nc) kept in L3
	// micro computes the mr×nr tile c[i*ldc+j] = alpha*Σ_p a[p*mr+i]*b[p*nr+j]
	// + beta*c[i*ldc+j] (beta == 0 overwrites c) for k >= 1 packed steps.
	// a must hold mr*k elements, b nr*k, and c (mr-1)*ldc+nr.
	micro func(k int, a, b, c []T, ldc int, alpha, beta T)
}

// gemmTileMax bounds mr*nr of every micro-kernel (the edge tile buffer).
const gemmTileMax = 128

// gemmSerial runs the blocked product on the calling goroutine. It assumes
// m, n, k >= 1 and valid arguments.
func gemmSerial[T float32 | float64](g *gemmKernel[T], transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	mr, nr := g.mr, g.nr
	// Split k and m into near-equal blocks no larger than kc and mc, so a
	// size just above a block size does not leave a sliver.
	kc := gemmBalance(k, g.kc, 1)
	mc := gemmBalance(m, g.mc, mr)
	nc := min(g.nc, gemmRoundUp(n, nr))

	ws := gemmGetBuf[T](gemmTileMax + mc*kc + kc*nc)
	buf := *ws
	tile := buf[:gemmTileMax]
	packA := buf[gemmTileMax : gemmTileMax+mc*kc]
	packB := buf[gemmTileMax+mc*kc : gemmTileMax+mc*kc+kc*nc]

	for jc := 0; jc < n; jc += nc {
		ncur := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kcur := min(kc, k-pc)
			gemmPackB(packB, b, ldb, transB, pc, jc, kcur, ncur, nr)
			betaCur := beta
			if pc > 0 {
				betaCur = 1
			}
			for ic := 0; ic < m; ic += mc {
				mcur := min(mc, m-ic)
				gemmPackA(packA, a, lda, transA, ic, pc, mcur, kcur, mr)
				gemmMacro(g, mcur, ncur, kcur, alpha, packA, packB, betaCur, c[ic*ldc+jc:], ldc, tile)
			}
		}
	}
	gemmPutBuf(ws)
}

// gemmMacro multiplies a packed mc×kc block of A by a packed kc×nc block of
// B into C, one mr×nr tile at a time.
func gemmMacro[T float32 | float64](g *gemmKernel[T], mc, nc, kc int, alpha T, packA, packB []T, beta T, c []T, ldc int, tile []T) {
	mr, nr := g.mr, g.nr
	micro := g.micro
	for jr := 0; jr < nc; jr += nr {
		ncur := min(nr, nc-jr)
		bp := packB[jr*kc : jr*kc+nr*kc]
		for ir := 0; ir < mc; ir += mr {
			mcur := min(mr, mc-ir)
			ap := packA[ir*kc : ir*kc+mr*kc]
			if mcur == mr && ncur == nr {
				micro(kc, ap, bp, c[ir*ldc+jr:], ldc, alpha, beta)
				continue
			}
			// Edge tile: compute the padded tile aside, merge the valid part.
			micro(kc, ap, bp, tile, nr, alpha, 0)
			for i := 0; i < mcur; i++ {
				src := tile[i*nr : i*nr+ncur]
				dst := c[(ir+i)*ldc+jr : (ir+i)*ldc+jr+ncur]
				if beta == 0 {
					copy(dst, src)
					continue
				}
				for j, v := range src {
					dst[j] = v + beta*dst[j]
				}
			}
		}
	}
}

// gemmBalance splits n into the fewest blocks of at most size, and returns
// the block length, rounded up to a multiple of unit and kept within size
// when size itself is a multiple of unit.
func gemmBalance(n, size, unit int) int {
	if n <= size {
		return gemmRoundUp(n, unit)
	}
	blocks := (n + size - 1) / size
	return min(size, gemmRoundUp((n+blocks-1)/blocks, unit))
}

// gemmRoundUp rounds n up to a multiple of unit.
func gemmRoundUp(n, unit int) int { return (n + unit - 1) / unit * unit }
