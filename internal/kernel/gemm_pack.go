package kernel

// Packing copies blocks of op(A) and op(B) into the layouts the
// micro-kernels stream through: A as MR-row panels (for each k step, MR
// consecutive values of one column), B as NR-column panels (for each k step,
// NR consecutive values of one row). Rows and columns past the edge of the
// matrix are filled with zeros so every panel is full.

// gemmPackA packs the mc×kc block of op(A) at (i0, p0) into dst as
// ceil(mc/mr) panels of mr×kc. packRows and packCols, when not nil, pack
// the full panels of a non-transposed A (for steps of k in multiples of 8,
// see packA6 and packA12) and of a transposed A (see packAT6).
func gemmPackA[T float32 | float64](dst, a []T, lda int, trans bool, i0, p0, mc, kc, mr int, packRows func(k int, a []T, lda int, d []T), packCols func(k int, a []T, lda, panels int, d []T)) {
	if trans && mr == 6 && mc >= 6 && packCols != nil {
		full := mc / 6 * 6
		base := p0*lda + i0
		packCols(kc, a[base:base+(kc-1)*lda+full], lda, full/6, dst[:full*kc])
		if full == mc {
			return
		}
		dst, i0, mc = dst[full*kc:], i0+full, mc-full
	}
	if trans && (mr == 6 || mr == 12) && mc >= mr {
		// Walk the stored rows of Aᵀ in order (a strided walk down mr
		// columns at a time would thrash L1 when lda is a power of two),
		// dealing each row's values out to the panels.
		full := mc / mr * mr
		for p := 0; p < kc; p++ {
			src := a[(p0+p)*lda+i0 : (p0+p)*lda+i0+full]
			for ir := 0; ir < full; ir += mr {
				if mr == 6 {
					*(*[6]T)(dst[ir*kc+p*6 : ir*kc+p*6+6]) = *(*[6]T)(src[ir : ir+6])
				} else {
					*(*[12]T)(dst[ir*kc+p*12 : ir*kc+p*12+12]) = *(*[12]T)(src[ir : ir+12])
				}
			}
		}
		if full == mc {
			return
		}
		dst, i0, mc = dst[full*kc:], i0+full, mc-full
	}
	for ir := 0; ir < mc; ir += mr {
		rows := min(mr, mc-ir)
		d := dst[ir*kc : ir*kc+mr*kc]
		if trans {
			// op(A)[i][p] = a[p*lda+i]: each k step is a contiguous run.
			for p := 0; p < kc; p++ {
				src := a[(p0+p)*lda+i0+ir:]
				dp := d[p*mr : p*mr+mr]
				copy(dp, src[:rows])
				clear(dp[rows:])
			}
			continue
		}
		if rows == mr && (mr == 6 || mr == 12) {
			pFast := 0
			if packRows != nil {
				pFast = kc / 8 * 8
				if pFast > 0 {
					base := (i0+ir)*lda + p0
					packRows(pFast, a[base:base+(mr-1)*lda+pFast], lda, d[:mr*pFast])
				}
			}
			if pFast < kc && mr == 6 {
				gemmPackRows6(d[6*pFast:], a, lda, i0+ir, p0+pFast, kc-pFast)
			} else if pFast < kc {
				gemmPackRows6x2(d[12*pFast:], a, lda, i0+ir, p0+pFast, kc-pFast)
			}
			continue
		}
		if rows == 2 && mr == 2 {
			gemmPackRows2(d, a, lda, i0+ir, p0, kc)
			continue
		}
		// op(A)[i][p] = a[i*lda+p]: interleave rows.
		for i := 0; i < rows; i++ {
			src := a[(i0+ir+i)*lda+p0 : (i0+ir+i)*lda+p0+kc]
			for p, v := range src {
				d[p*mr+i] = v
			}
		}
		for i := rows; i < mr; i++ {
			for p := 0; p < kc; p++ {
				d[p*mr+i] = 0
			}
		}
	}
}

// gemmPackRows6 interleaves six rows of a row-major matrix, starting at
// row i0 and column p0, into one 6×kc panel.
func gemmPackRows6[T float32 | float64](d, a []T, lda, i0, p0, kc int) {
	base := i0*lda + p0
	r0 := a[base : base+kc]
	r1 := a[base+lda : base+lda+kc]
	r2 := a[base+2*lda : base+2*lda+kc]
	r3 := a[base+3*lda : base+3*lda+kc]
	r4 := a[base+4*lda : base+4*lda+kc]
	r5 := a[base+5*lda : base+5*lda+kc]
	d = d[:6*kc]
	for p := range r0 {
		dp := d[p*6 : p*6+6 : p*6+6]
		dp[0] = r0[p]
		dp[1] = r1[p]
		dp[2] = r2[p]
		dp[3] = r3[p]
		dp[4] = r4[p]
		dp[5] = r5[p]
	}
}

// gemmPackRows6x2 interleaves twelve rows of a row-major matrix, starting
// at row i0 and column p0, into one 12×kc panel, six rows per pass.
func gemmPackRows6x2[T float32 | float64](d, a []T, lda, i0, p0, kc int) {
	d = d[:12*kc]
	for h := 0; h < 12; h += 6 {
		base := (i0+h)*lda + p0
		r0 := a[base : base+kc]
		r1 := a[base+lda : base+lda+kc]
		r2 := a[base+2*lda : base+2*lda+kc]
		r3 := a[base+3*lda : base+3*lda+kc]
		r4 := a[base+4*lda : base+4*lda+kc]
		r5 := a[base+5*lda : base+5*lda+kc]
		for p := range r0 {
			dp := d[p*12+h : p*12+h+6 : p*12+h+6]
			dp[0] = r0[p]
			dp[1] = r1[p]
			dp[2] = r2[p]
			dp[3] = r3[p]
			dp[4] = r4[p]
			dp[5] = r5[p]
		}
	}
}

// gemmPackRows2 interleaves two rows into one 2×kc panel (the pure-Go
// kernel's).
func gemmPackRows2[T float32 | float64](d, a []T, lda, i0, p0, kc int) {
	base := i0*lda + p0
	r0 := a[base : base+kc]
	r1 := a[base+lda : base+lda+kc]
	d = d[:2*kc]
	for p := range r0 {
		dp := d[p*2 : p*2+2 : p*2+2]
		dp[0] = r0[p]
		dp[1] = r1[p]
	}
}

// gemmPackB packs the kc×nc block of op(B) at (p0, j0) into dst as
// ceil(nc/nr) panels of kc×nr. packBT, when not nil, packs full panels of a
// transposed B for steps of k in multiples of 8 (see packBT16).
func gemmPackB[T float32 | float64](dst, b []T, ldb int, trans bool, p0, j0, kc, nc, nr int, packBT func(k int, b []T, ldb int, d []T)) {
	if !trans && nr == 32 && nc >= 64 {
		// Full 32-column panels of a non-transposed B, row by row across
		// the panels: the reads stream along B's rows (a panel at a time
		// would walk down a column of lines, one per row stride).
		full := nc / 32 * 32
		for p := 0; p < kc; p++ {
			row := b[(p0+p)*ldb+j0 : (p0+p)*ldb+j0+full]
			for jr := 0; jr < full; jr += 32 {
				*(*[32]T)(dst[jr*kc+p*32 : jr*kc+p*32+32]) = *(*[32]T)(row[jr : jr+32])
			}
		}
		if full == nc {
			return
		}
		dst, j0, nc = dst[full*kc:], j0+full, nc-full
	}
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		d := dst[jr*kc : jr*kc+nr*kc]
		if trans {
			// op(B)[p][j] = b[j*ldb+p]: scatter each stored row into a column.
			pFast := 0
			if packBT != nil && cols == nr {
				pFast = kc / 8 * 8
				if pFast > 0 {
					base := (j0+jr)*ldb + p0
					packBT(pFast, b[base:base+(nr-1)*ldb+pFast], ldb, d[:pFast*nr])
				}
			}
			for j := 0; j < cols; j++ {
				src := b[(j0+jr+j)*ldb+p0+pFast : (j0+jr+j)*ldb+p0+kc]
				for p, v := range src {
					d[(pFast+p)*nr+j] = v
				}
			}
			for j := cols; j < nr; j++ {
				for p := 0; p < kc; p++ {
					d[p*nr+j] = 0
				}
			}
			continue
		}
		// op(B)[p][j] = b[p*ldb+j]: each k step is a contiguous run.
		if cols == nr && nr == 32 {
			for p := 0; p < kc; p++ {
				off := (p0+p)*ldb + j0 + jr
				*(*[32]T)(d[p*32 : p*32+32]) = *(*[32]T)(b[off : off+32])
			}
			continue
		}
		if cols == nr && nr == 16 {
			for p := 0; p < kc; p++ {
				off := (p0+p)*ldb + j0 + jr
				*(*[16]T)(d[p*16 : p*16+16]) = *(*[16]T)(b[off : off+16])
			}
			continue
		}
		if cols == nr && nr == 8 {
			for p := 0; p < kc; p++ {
				off := (p0+p)*ldb + j0 + jr
				*(*[8]T)(d[p*8 : p*8+8]) = *(*[8]T)(b[off : off+8])
			}
			continue
		}
		if cols == nr && nr == 4 {
			for p := 0; p < kc; p++ {
				off := (p0+p)*ldb + j0 + jr
				*(*[4]T)(d[p*4 : p*4+4]) = *(*[4]T)(b[off : off+4])
			}
			continue
		}
		if nr == 32 { // a partial panel: per-row copy and clear calls would cost more than the values
			for p := 0; p < kc; p++ {
				off := (p0+p)*ldb + j0 + jr
				var row [32]T
				for j, v := range b[off : off+cols] {
					row[j] = v
				}
				*(*[32]T)(d[p*32 : p*32+32]) = row
			}
			continue
		}
		if nr == 16 { // a partial panel: per-row copy and clear calls would cost more than the values
			for p := 0; p < kc; p++ {
				off := (p0+p)*ldb + j0 + jr
				var row [16]T
				for j, v := range b[off : off+cols] {
					row[j] = v
				}
				*(*[16]T)(d[p*16 : p*16+16]) = row
			}
			continue
		}
		for p := 0; p < kc; p++ {
			off := (p0+p)*ldb + j0 + jr
			dp := d[p*nr : p*nr+nr]
			copy(dp, b[off:off+cols])
			clear(dp[cols:])
		}
	}
}
