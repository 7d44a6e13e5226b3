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
