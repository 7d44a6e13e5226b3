package kernel

import (
	"runtime"
	"sync"
)

// Workers reports how many goroutines the parallel kernels may use.
func Workers() int { return runtime.GOMAXPROCS(0) }

// ParallelFor runs fn over [0, n) split into contiguous chunks, one chunk per
// worker. Work below minChunk items per worker runs inline on the calling
// goroutine, so small problems pay no goroutine overhead. The chunks run
// on the calling goroutine and the persistent worker team that GEMM uses
// (see gemm_team.go), which avoids the operating system's thread wake-up
// latency of fresh goroutines; when the team is busy (a ParallelFor inside
// a GEMM task, or calls from several goroutines) fresh goroutines are used.
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
	chunk := (n + w - 1) / w
	tasks := (n + chunk - 1) / chunk
	teamRun(tasks, func(t int) {
		lo := t * chunk
		fn(lo, min(lo+chunk, n))
	})
}

// parallelForGo runs fn(0..tasks-1) on the calling goroutine and fresh
// goroutines: the fallback when the worker team is busy.
func parallelForGo(tasks int, fn func(task int)) {
	var wg sync.WaitGroup
	for t := 1; t < tasks; t++ {
		wg.Add(1)
		go func(t int) {
			defer wg.Done()
			fn(t)
		}(t)
	}
	fn(0)
	wg.Wait()
}
