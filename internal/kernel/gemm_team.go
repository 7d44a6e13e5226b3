package kernel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// A GEMM team is a set of worker goroutines that stay alive between
// products and, after finishing one, poll for the next for a short while
// (yielding to other goroutines) before they park. Waking a parked
// goroutine costs the OS thread wake-up latency, tens of microseconds on
// virtual machines, which is a large share of a small product;
// BLAS libraries avoid it the same way, with OpenMP threads that spin
// between parallel regions.

// gemmTeamSpin is how long an idle worker polls before it parks.
const gemmTeamSpin = 200 * time.Microsecond

// gemmJob is one parallel product: tasks 0..n-1, claimed one at a time.
type gemmJob struct {
	fn   func(task int)
	n    int64
	next atomic.Int64 // next unclaimed task
	done atomic.Int64 // tasks finished
}

// run claims and runs tasks until none are left.
func (j *gemmJob) run() {
	for {
		t := j.next.Add(1) - 1
		if t >= j.n {
			return
		}
		j.fn(int(t))
		j.done.Add(1)
	}
}

// gemmTeamState is the team shared by all GEMMs; busy serialises its use.
var gemmTeamState struct {
	busy    sync.Mutex
	job     atomic.Pointer[gemmJob]
	gen     atomic.Uint64 // incremented for each new job
	workers []*gemmWorker
}

// gemmWorker is one team goroutine.
type gemmWorker struct {
	parked atomic.Bool
	wake   chan struct{}
}

// gemmTeamRun runs fn(0..n-1) on the calling goroutine and up to
// Workers()-1 team goroutines, and returns when all tasks are done. If the
// team is busy with another job (GEMMs called from several goroutines at
// once, or a parallel loop inside a task), it falls back to fresh
// goroutines.
func gemmTeamRun(n int, fn func(task int)) { teamRun(n, fn) }

// teamRun is gemmTeamRun; ParallelFor uses it too.
func teamRun(n int, fn func(task int)) {
	team := &gemmTeamState
	if n <= 1 {
		for t := 0; t < n; t++ {
			fn(t)
		}
		return
	}
	if !team.busy.TryLock() {
		parallelForGo(n, fn)
		return
	}
	defer team.busy.Unlock()
	for len(team.workers) < min(Workers(), n)-1 {
		w := &gemmWorker{wake: make(chan struct{}, 1)}
		team.workers = append(team.workers, w)
		go w.loop(team.gen.Load())
	}
	job := &gemmJob{fn: fn, n: int64(n)}
	team.job.Store(job)
	team.gen.Add(1)
	for _, w := range team.workers {
		if w.parked.CompareAndSwap(true, false) {
			w.wake <- struct{}{}
		}
	}
	job.run()
	for spins := 0; job.done.Load() < job.n; spins++ {
		if spins > 64 {
			runtime.Gosched()
		}
	}
}

// loop runs jobs as they are published, polling for gemmTeamSpin after each
// one and parking on w.wake after that.
func (w *gemmWorker) loop(seen uint64) {
	team := &gemmTeamState
	for {
		deadline := time.Now().Add(gemmTeamSpin)
		for i := 0; team.gen.Load() == seen; i++ {
			if i%64 == 63 {
				if time.Now().After(deadline) {
					w.parked.Store(true)
					// Re-check after announcing the park, so a job published
					// in between is not missed; whoever clears parked sends.
					if team.gen.Load() != seen && w.parked.CompareAndSwap(true, false) {
						break
					}
					<-w.wake
					deadline = time.Now().Add(gemmTeamSpin)
					continue
				}
				runtime.Gosched()
			}
		}
		seen = team.gen.Load()
		if job := team.job.Load(); job != nil {
			job.run()
		}
	}
}
