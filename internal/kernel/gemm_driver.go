package kernel

import "unsafe"

// gemmKernel is one micro-kernel with the blocking sizes that suit it.
type gemmKernel[T float32 | float64] struct {
	name   string
	mr, nr int // register tile: rows of A panels, columns of B panels
	mc, kc int // A block (mc×kc) kept in L2, B panel (kc×nr) in L1
	nc     int // B block (kc×nc) kept in L3
	// micro computes the mr×nr tile c[i*ldc+j] = alpha*Σ_p a[p*mr+i]*b[p*ldb+j]
	// + beta*c[i*ldc+j] (beta == 0 overwrites c) for k >= 1 steps, from a
	// packed A panel and a B panel that is packed (ldb = nr) or read in
	// place from a row-major op(B). a must hold mr*k elements and b
	// (k-1)*ldb+nr. If edges is set, micro writes only i < rows, j < cols
	// and c must hold (rows-1)*ldc+cols; otherwise rows and cols are
	// ignored, the whole tile is written and c must hold (mr-1)*ldc+nr.
	micro func(k int, a, b []T, ldb int, c []T, ldc int, alpha, beta T, rows, cols int)
	edges bool
	// microRows, when not nil, holds micro-kernels for partial tiles of
	// r < mr rows (index r-1), which skip the padding rows' arithmetic.
	microRows []func(k int, a, b []T, ldb int, c []T, ldc int, alpha, beta T, rows, cols int)
	// microA, when not nil, holds micro-kernels for tiles of r <= mr rows
	// (index r-1) that read a non-transposed A in place, row i of the tile
	// at a[i*lda:], instead of from packed panels (see gemmDirectA). They
	// have micro's contract otherwise and require edges.
	microA []func(k int, a []T, lda int, b []T, ldb int, c []T, ldc int, alpha, beta T, rows, cols int)
	// microTiles and microATiles, when not nil, run micro and microA[mr-1]
	// on tiles consecutive full-height tiles (A's next packed panel or next
	// mr rows, C's next mr rows) against one B panel in one call: for the
	// short k of convolution products the call from Go cost as much as a
	// tenth of the tile. They require edges.
	microTiles  func(k int, a, b []T, ldb int, c []T, ldc int, alpha, beta T, rows, cols, tiles int)
	microATiles func(k int, a []T, lda int, b []T, ldb int, c []T, ldc int, alpha, beta T, rows, cols, tiles int)

	// dot, when not nil, holds dot kernels of dotLanes-wide registers for
	// A·Bᵀ with few rows (see gemmDotNT and useDot), blocked by dotKC
	// steps of k and dotNC rows of B.
	dot                            *gemmDotKernels[T]
	dotLanes, dotMaxM, dotMaxMWide int
	dotKC, dotNC                   int
	// dotWideN, when not zero, is the number of columns from which the
	// dotMaxMWide rule applies (by default, more than nr columns): the
	// AVX-512 kernels run a product with exactly one full B panel as fast
	// as a wide one, while the AVX2 ones do not.
	dotWideN int

	// packBT, when not nil, packs full panels of a transposed B (see
	// gemmPackB).
	packBT func(k int, b []T, ldb int, d []T)
	// packA, when not nil, packs full panels of a non-transposed A (see
	// gemmPackA).
	packA func(k int, a []T, lda int, d []T)
	// packAT, when not nil, packs full panels of a transposed A.
	packAT func(k int, a []T, lda, panels int, d []T)

	// packAllB disables reading B in place (for tests of the packed path).
	packAllB bool
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

// gemmSerial runs the blocked product on the calling goroutine. It assumes
// m, n, k >= 1 and valid arguments.
func gemmSerial[T float32 | float64](g *gemmKernel[T], transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, ep *Epilogue[T]) {
	if g.useDot(transA, transB, m, n) {
		gemmDotNT(g, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep)
		return
	}
	if g.useSwapNT(transA, transB, m, n, k, ldb*int(unsafe.Sizeof(alpha))) {
		gemmSwapNT(g, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep)
		return
	}
	mr, nr := g.mr, g.nr
	// Split k and m into near-equal blocks no larger than kc and mc, so a
	// size just above a block size does not leave a sliver.
	kc := gemmBalance(k, g.kc, 1)
	mc := gemmBalance(m, g.mc, mr)
	nc := min(g.nc, gemmRoundUp(n, nr))

	// Reading B in place, only a partial last panel is packed.
	direct := !transB && !g.packAllB && gemmDirectB(m, ldb*int(unsafe.Sizeof(alpha)))
	nb := kc * nc
	if direct {
		nb = kc * nr
	}
	directA := !transA && g.microA != nil && g.edges && gemmDirectA(lda*int(unsafe.Sizeof(alpha)))
	// The edge tile comes first, rounded up to 64 bytes or more so that
	// the packed blocks after it start on a cache line as the buffer does.
	nt := gemmRoundUp(mr*nr, 16)
	ws := gemmGetBuf[T](nt + mc*kc + nb)
	buf := *ws
	tile := buf[:nt]
	packA := buf[nt : nt+mc*kc]
	packB := buf[nt+mc*kc : nt+mc*kc+nb]

	for jc := 0; jc < n; jc += nc {
		ncur := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kcur := min(kc, k-pc)
			var bDirect []T
			if direct {
				full := ncur / nr * nr
				bDirect = b[pc*ldb+jc:]
				if full < ncur {
					gemmPackB(packB, b, ldb, false, pc, jc+full, kcur, ncur-full, nr, nil)
				}
			} else {
				gemmPackB(packB, b, ldb, transB, pc, jc, kcur, ncur, nr, g.packBT)
			}
			betaCur := beta
			if pc > 0 {
				betaCur = 1
			}
			for ic := 0; ic < m; ic += mc {
				mcur := min(mc, m-ic)
				var aDirect []T
				if directA {
					aDirect = a[ic*lda+pc:]
				} else {
					gemmPackA(packA, a, lda, transA, ic, pc, mcur, kcur, mr, g.packA, g.packAT)
				}
				gemmMacro(g, mcur, ncur, kcur, alpha, packA, aDirect, lda, packB, bDirect, ldb, betaCur, c[ic*ldc+jc:], ldc, tile)
				if pc+kcur == k { // the block is complete and still in cache
					ep.apply(c, ldc, ic, ic+mcur, jc, jc+ncur)
				}
			}
		}
	}
	gemmPutBuf(ws)
}

// gemmMacro multiplies an mc×kc block of A by a kc×nc block of B into C,
// one B panel at a time: the panel's full-height tiles in one tiled kernel
// call where the kernel has one, the rest one mr×nr tile per call. A is
// packed in packA or, when aDirect is not nil, read in place from aDirect
// (row stride lda). B is packed in packB or, when bDirect is not nil, read
// in place from bDirect (row stride ldb) except for a partial last panel,
// which is packed alone at the start of packB.
func gemmMacro[T float32 | float64](g *gemmKernel[T], mc, nc, kc int, alpha T, packA, aDirect []T, lda int, packB, bDirect []T, ldb int, beta T, c []T, ldc int, tile []T) {
	mr, nr := g.mr, g.nr
	micro := g.micro
	for jr := 0; jr < nc; jr += nr {
		ncur := min(nr, nc-jr)
		var bp []T
		bstride := nr
		switch {
		case bDirect == nil:
			bp = packB[jr*kc : jr*kc+nr*kc]
		case ncur == nr:
			bp, bstride = bDirect[jr:jr+(kc-1)*ldb+nr], ldb
		default:
			bp = packB[:nr*kc]
		}
		full := mc / mr // full-height tiles
		if aDirect != nil {
			ir := 0
			if g.microATiles != nil && full > 0 {
				g.microATiles(kc, aDirect[:(full*mr-1)*lda+kc], lda, bp, bstride, c[jr:jr+(full*mr-1)*ldc+ncur], ldc, alpha, beta, mr, ncur, full)
				ir = full * mr
			}
			for ; ir < mc; ir += mr {
				mcur := min(mr, mc-ir)
				ap := aDirect[ir*lda : ir*lda+(mcur-1)*lda+kc]
				g.microA[mcur-1](kc, ap, lda, bp, bstride, c[ir*ldc+jr:], ldc, alpha, beta, mcur, ncur)
			}
			continue
		}
		ir0 := 0
		if g.microTiles != nil && g.edges && full > 0 {
			g.microTiles(kc, packA[:full*mr*kc], bp, bstride, c[jr:jr+(full*mr-1)*ldc+ncur], ldc, alpha, beta, mr, ncur, full)
			ir0 = full * mr
		}
		for ir := ir0; ir < mc; ir += mr {
			mcur := min(mr, mc-ir)
			ap := packA[ir*kc : ir*kc+mr*kc]
			if mcur == mr && ncur == nr || g.edges {
				f := micro
				if mcur < mr && g.microRows != nil {
					f = g.microRows[mcur-1]
				}
				f(kc, ap, bp, bstride, c[ir*ldc+jr:], ldc, alpha, beta, mcur, ncur)
				continue
			}
			// Edge tile: compute the padded tile aside, merge the valid part.
			micro(kc, ap, bp, bstride, tile, nr, alpha, 0, mr, nr)
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

// useDot reports whether the m×n product op(A)·op(B) runs as dot products
// (gemmDotNT): only A·Bᵀ, with at most dotMaxM rows when B has at most one
// register tile of rows (n ≤ nr, or n < dotWideN where that is set: the
// blocked kernel would waste most of its tile) and at most dotMaxMWide
// rows otherwise (with many columns, the blocked path's packed B panels
// are reused by enough rows of A to repay packing). BENCHMARKS.md records
// the crossover measurements.
func (g *gemmKernel[T]) useDot(transA, transB bool, m, n int) bool {
	if g.dot == nil || transA || !transB {
		return false
	}
	wide := n > g.nr
	if g.dotWideN > 0 {
		wide = n >= g.dotWideN
	}
	if !wide {
		return m <= g.dotMaxM
	}
	return m <= g.dotMaxMWide
}

// useSwapNT reports whether the m×n product A·Bᵀ with a long shared
// dimension is better computed as its transpose B·Aᵀ (see gemmSwapNT): when
// A has few rows and B many, the blocked path would pack all of Bᵀ (n×k
// values, each reused by only m rows), while B·Aᵀ reads B in place as the
// in-place-A kernels' A and packs only Aᵀ, m×k values. The transposed
// result passes through scratch memory, so k must be long enough for the
// m×n transposition to be negligible, and B's row stride must let the
// kernels read it in place (see gemmDirectA).
func (g *gemmKernel[T]) useSwapNT(transA, transB bool, m, n, k, ldbBytes int) bool {
	return transB && !transA && g.microA != nil && g.edges && m <= 64 && n >= 4*m && k >= 2048 && gemmDirectA(ldbBytes)
}

// gemmSwapNT computes C = alpha*A·Bᵀ + beta*C as Cᵀ = B·Aᵀ into scratch
// memory, then adds the transpose into C and applies the epilogue.
func gemmSwapNT[T float32 | float64](g *gemmKernel[T], m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, ep *Epilogue[T]) {
	ws := gemmGetBuf[T](n * m)
	ct := *ws
	gemmSerial(g, false, true, n, m, k, alpha, b, ldb, a, lda, 0, ct, m, nil)
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			for j := range row {
				row[j] = ct[j*m+i]
			}
		} else {
			for j := range row {
				row[j] = ct[j*m+i] + beta*row[j]
			}
		}
	}
	gemmPutBuf(ws)
	ep.apply(c, ldc, 0, m, 0, n)
}

// gemmDirectB reports whether a non-transposed B with a row stride of
// strideBytes is better read in place by the micro-kernel than packed, for
// a product with m rows. With few rows, each B panel is reused too few
// times to repay packing it; with a stride that is a multiple of 1 KiB, the
// rows of a panel fall into a few L1 sets and evict each other, so only
// very short A blocks read it in place.
func gemmDirectB(m, strideBytes int) bool {
	return m <= 32 || m <= 512 && strideBytes%1024 != 0
}

// gemmDirectA reports whether a non-transposed A with a row stride of
// strideBytes is better read in place by the micro-kernels than packed.
// Packing copies each A block once and pays off through reuse across the B
// panels, but the kernels stream six rows of A in place as fast as one
// packed panel unless the rows alias in L1 (a stride that is a multiple of
// 1 KiB).
func gemmDirectA(strideBytes int) bool {
	return strideBytes%1024 != 0
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
