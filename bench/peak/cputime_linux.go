package main

import "golang.org/x/sys/unix"

// threadCPU returns the calling thread's CPU time in seconds (the thread
// is locked, see main), or 0 where the clock is not available.
func threadCPU() float64 {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0
	}
	return float64(ts.Sec) + float64(ts.Nsec)*1e-9
}

// switches returns how many times the calling thread has left the CPU,
// voluntarily or not (-1 where unknown): a call during which it did not
// change ran alone on its core from start to end, as far as the scheduler
// is concerned.
func switches() int64 {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_THREAD, &ru) != nil {
		return -1
	}
	return ru.Nvcsw + ru.Nivcsw
}
