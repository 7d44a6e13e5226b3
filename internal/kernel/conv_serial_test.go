package kernel

import (
	"runtime"
	"sync"
	"testing"
)

// TestParallelTasksEachOnce checks that ParallelTasks runs every task index
// in [0, n) exactly once, with one worker (on the calling goroutine) and
// with several.
func TestParallelTasksEachOnce(t *testing.T) {
	for _, procs := range []int{1, 2, 3} {
		prev := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 2, 7} {
			var mu sync.Mutex
			count := make(map[int]int)
			ParallelTasks(n, func(task int) {
				mu.Lock()
				count[task]++
				mu.Unlock()
			})
			for task, c := range count {
				if task < 0 || task >= n || c != 1 {
					t.Errorf("GOMAXPROCS %d, n %d: task %d ran %d times", procs, n, task, c)
				}
			}
			if len(count) != n {
				t.Errorf("GOMAXPROCS %d, n %d: %d distinct tasks ran", procs, n, len(count))
			}
		}
		runtime.GOMAXPROCS(prev)
	}
}
