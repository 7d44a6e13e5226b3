package kernel

// gemmParallelMin is the smallest m*n*k that is split across goroutines;
// below it, starting and joining goroutines costs more than it saves.
const gemmParallelMin = 80 * 80 * 80

// gemmPackWeight is the cost of packing one row of A or column of B,
// relative to one element of C, per step of k (both stream k values, but
// packing moves data while the micro-kernel does 2*mr*nr flops per load).
const gemmPackWeight = 8

// gemmReduceWeight is the cost of summing one element of a partial product
// of the k split, relative to one element of C per step of k.
const gemmReduceWeight = 32

// gemmTasksPerWorker is how many grid blocks of C gemmParallel makes per
// worker (variable for tests and benchmarks).
var gemmTasksPerWorker = 2

// gemmParallel splits the product over w workers. It either cuts C into a
// grid of blocks of whole tiles, each computed independently (the grid is
// chosen for w workers, then cut gemmTasksPerWorker times finer where C
// has the tiles, for the team to share out), or, when C has too few tiles
// to share out well, cuts k into w slices whose partial products are
// summed at the end. It picks whichever has the lower estimated
// per-worker cost.
func gemmParallel[T float32 | float64](g *gemmKernel[T], w int, transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, ep *Epilogue[T]) {
	mr, nr := g.mr, g.nr
	tilesM := (m + mr - 1) / mr
	tilesN := (n + nr - 1) / nr

	// Grids of ww = wm×wn workers, for ww up to w (a prime w may fit C
	// badly while w-1 fits well).
	bestM, bestN, bestCost := 1, 1, -1
	for ww := 2; ww <= w; ww++ {
		for wm := 1; wm <= ww; wm++ {
			wn := ww / wm
			if ww%wm != 0 || wm > tilesM || wn > tilesN {
				continue
			}
			rows := (tilesM + wm - 1) / wm * mr
			cols := (tilesN + wn - 1) / wn * nr
			cost := (rows*cols + gemmPackWeight*(rows+cols)) * k
			if bestCost < 0 || cost < bestCost {
				bestM, bestN, bestCost = wm, wn, cost
			}
		}
	}
	kSplit := k / 256 // slices of at least 256 steps
	if kSplit > w {
		kSplit = w
	}
	if kSplit > 1 {
		rows, cols := tilesM*mr, tilesN*nr
		// The partial products pass through scratch memory and are summed
		// by one goroutine: weighted so that a grid that splits C evenly
		// wins (the fully connected layers' products ran slower split over
		// k; see BENCHMARKS.md).
		cost := (rows*cols+gemmPackWeight*(rows+cols))*(k/kSplit) + gemmReduceWeight*m*n*kSplit
		if bestCost < 0 || cost < bestCost {
			gemmParallelK(g, kSplit, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep)
			return
		}
	}
	if bestCost < 0 {
		gemmSerial(g, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep)
		return
	}
	wm, wn := bestM, bestN
	// Two tasks per worker where C has the tiles: the team claims tasks
	// one at a time, so when the operating system holds one worker back
	// (a shared machine), the others take over all but the task it holds,
	// a quarter of the product with two workers instead of half. Measured
	// under load, alternating in one process: see BENCHMARKS.md.
	if wn*gemmTasksPerWorker <= tilesN {
		wn *= gemmTasksPerWorker
	} else if wm*gemmTasksPerWorker <= tilesM {
		wm *= gemmTasksPerWorker
	}
	gemmTeamRun(wm*wn, func(t int) {
		ti, tj := t/wn, t%wn
		i0, i1 := min(ti*tilesM/wm*mr, m), min((ti+1)*tilesM/wm*mr, m)
		j0, j1 := min(tj*tilesN/wn*nr, n), min((tj+1)*tilesN/wn*nr, n)
		if i0 >= i1 || j0 >= j1 {
			return
		}
		aoff := i0 * lda
		if transA {
			aoff = i0
		}
		boff := j0
		if transB {
			boff = j0 * ldb
		}
		gemmSerial(g, transA, transB, i1-i0, j1-j0, k, alpha, a[aoff:], lda, b[boff:], ldb, beta, c[i0*ldc+j0:], ldc, ep.from(j0))

	})
}

// gemmParallelK splits k into parts slices: slice 0 accumulates into C
// with beta, the others into zeroed scratch matrices that are added to C
// once all are done.
func gemmParallelK[T float32 | float64](g *gemmKernel[T], parts int, transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, ep *Epilogue[T]) {
	ws := gemmGetBuf[T]((parts - 1) * m * n)
	scratch := *ws
	gemmTeamRun(parts, func(t int) {
		p0, p1 := t*k/parts, (t+1)*k/parts
		aoff := p0
		if transA {
			aoff = p0 * lda
		}
		boff := p0 * ldb
		if transB {
			boff = p0
		}
		if t == 0 {
			gemmSerial(g, transA, transB, m, n, p1-p0, alpha, a[aoff:], lda, b[boff:], ldb, beta, c, ldc, nil)
			return
		}
		part := scratch[(t-1)*m*n : t*m*n]
		gemmSerial(g, transA, transB, m, n, p1-p0, alpha, a[aoff:], lda, b[boff:], ldb, 0, part, n, nil)
	})
	for t := 1; t < parts; t++ {
		part := scratch[(t-1)*m*n : t*m*n]
		for i := 0; i < m; i++ {
			dst := c[i*ldc : i*ldc+n]
			for j, v := range part[i*n : i*n+n] {
				dst[j] += v
			}
		}
	}
	ep.apply(c, ldc, 0, m, 0, n)
	gemmPutBuf(ws)
}
