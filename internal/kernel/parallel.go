package kernel

import (
	"runtime"
	"sync"
)

// Workers reports how many goroutines the parallel kernels may use.
func Workers() int { return runtime.GOMAXPROCS(0) }

// ParallelFor runs fn over [0, n) split into contiguous chunks, one chunk per
// worker goroutine. Work below minChunk items per worker runs inline on the
// calling goroutine, so small problems pay no goroutine overhead.
func ParallelFor(n, minChunk int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	if minChunk < 1 {
		minChunk = 1
	}
	w := Workers()
	if max := n / minChunk; max < w {
		w = max
	}
	if w <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + w - 1) / w
	for lo := chunk; lo < n; lo += chunk {
		hi := lo + chunk
		if hi > n {
			hi = n
		}
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, hi)
	}
	hi := chunk
	if hi > n {
		hi = n
	}
	fn(0, hi)
	wg.Wait()
}
