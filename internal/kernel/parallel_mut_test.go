package kernel

import (
	"runtime"
	"sync"
	"testing"
)

// TestParallelForChunks pins ParallelFor's contract: nothing runs for
// n <= 0; below minChunk items per worker (minChunk < 1 counting as 1) one
// call covers [0, n); otherwise w = min(Workers(), n/minChunk) contiguous
// chunks of ceil(n/w) items (the last one shorter), each non-empty, that
// cover [0, n) exactly once.
func TestParallelForChunks(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 3, 4, 8} {
		runtime.GOMAXPROCS(procs)
		for _, n := range []int{-3, 0, 1, 2, 3, 5, 7, 8, 9, 10, 17, 100, 1001} {
			for _, minChunk := range []int{-2, 0, 1, 2, 3, 4, 10, 1000} {
				var mu sync.Mutex
				var calls [][2]int
				ParallelFor(n, minChunk, func(lo, hi int) {
					mu.Lock()
					calls = append(calls, [2]int{lo, hi})
					mu.Unlock()
				})
				checkParallelForCalls(t, procs, n, minChunk, calls)
			}
		}
	}
}

func checkParallelForCalls(t *testing.T, procs, n, minChunk int, calls [][2]int) {
	t.Helper()
	if n <= 0 {
		if len(calls) != 0 {
			t.Fatalf("GOMAXPROCS %d: ParallelFor(%d, %d) called fn %v", procs, n, minChunk, calls)
		}
		return
	}
	w := min(procs, n/max(minChunk, 1))
	if w <= 1 {
		if len(calls) != 1 || calls[0] != [2]int{0, n} {
			t.Fatalf("GOMAXPROCS %d: ParallelFor(%d, %d) made calls %v, want one over [0, %d)", procs, n, minChunk, calls, n)
		}
		return
	}
	chunk := (n + w - 1) / w
	seen := make([]int, n)
	for _, c := range calls {
		lo, hi := c[0], c[1]
		if lo < 0 || hi > n || lo >= hi || lo%chunk != 0 || (hi-lo != chunk && hi != n) {
			t.Fatalf("GOMAXPROCS %d: ParallelFor(%d, %d) (%d workers, chunks of %d): call %v in %v",
				procs, n, minChunk, w, chunk, c, calls)
		}
		for i := lo; i < hi; i++ {
			seen[i]++
		}
	}
	if len(calls) > w || len(calls) != (n+chunk-1)/chunk {
		t.Fatalf("GOMAXPROCS %d: ParallelFor(%d, %d): %d calls for %d workers and chunks of %d", procs, n, minChunk, len(calls), w, chunk)
	}
	for i, s := range seen {
		if s != 1 {
			t.Fatalf("GOMAXPROCS %d: ParallelFor(%d, %d): item %d covered %d times (calls %v)", procs, n, minChunk, i, s, calls)
		}
	}
}

// TestParallelForGoEachOnce checks the fallback used while the worker team
// is busy: every task index in [0, tasks) runs exactly once.
func TestParallelForGoEachOnce(t *testing.T) {
	for tasks := 1; tasks <= 9; tasks++ {
		var mu sync.Mutex
		count := make([]int, tasks)
		parallelForGo(tasks, func(task int) {
			mu.Lock()
			count[task]++ // an index outside [0, tasks) panics
			mu.Unlock()
		})
		for task, c := range count {
			if c != 1 {
				t.Fatalf("parallelForGo(%d): task %d ran %d times", tasks, task, c)
			}
		}
	}
}

// TestParallelForInsideTeam runs ParallelFor from inside a task of the busy
// worker team, which sends it to parallelForGo: every item still runs once.
func TestParallelForInsideTeam(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0))))
	const outer, n = 4, 37
	var mu sync.Mutex
	seen := make([][]int, outer)
	teamRun(outer, func(task int) {
		s := make([]int, n)
		ParallelFor(n, 1, func(lo, hi int) {
			mu.Lock()
			for i := lo; i < hi; i++ {
				s[i]++
			}
			mu.Unlock()
		})
		mu.Lock()
		seen[task] = s
		mu.Unlock()
	})
	for task, s := range seen {
		for i, c := range s {
			if c != 1 {
				t.Fatalf("task %d: item %d covered %d times", task, i, c)
			}
		}
		if len(s) != n {
			t.Fatalf("task %d did not run", task)
		}
	}
}
