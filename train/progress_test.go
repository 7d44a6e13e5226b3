package train

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestProgressDefaultEvery: without LogEvery, plain progress lines come
// every 10 s.
func TestProgressDefaultEvery(t *testing.T) {
	for _, every := range []time.Duration{0, -time.Second} {
		if p := newProgress(&Trainer{LogEvery: every}, 1, 5); p.every != 10*time.Second {
			t.Errorf("LogEvery %v: lines every %v, want 10s", every, p.every)
		}
	}
	if p := newProgress(&Trainer{LogEvery: 3 * time.Second}, 1, 5); p.every != 3*time.Second {
		t.Errorf("LogEvery 3s: lines every %v", p.every)
	}
}

// plainProgress returns a non-terminal progress line writer, of an epoch
// that started 100 s ago, at step 2 of 3.
func plainProgress(w *strings.Builder, every time.Duration) *progress {
	p := newProgress(&Trainer{Log: w, Epochs: 4, LogEvery: every, UnitAbbr: "img"}, 2, 3)
	p.start = p.start.Add(-100 * time.Second)
	p.last = p.start
	return p
}

// TestProgressLine: the plain line says the epoch, the batch, the rate
// (samples over the epoch's time so far), the running metrics and the time
// left (the remaining steps at the mean time per step so far).
func TestProgressLine(t *testing.T) {
	var w strings.Builder
	p := plainProgress(&w, time.Second)
	p.update(2, 2000, Metrics{{Name: "loss", Sum: 3, N: 2}})
	line := w.String()
	// 2000 samples in 100 s (a little more, when the machine is slow): 20
	// per second; 1 step left at 50 s per step.
	m := regexp.MustCompile(`^epoch 2/4  batch 2/3  (\d+) img/s  loss 1\.5000  ETA (\d+)s\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("line %q", line)
	}
	if rate, _ := strconv.Atoi(m[1]); rate < 19 || rate > 20 {
		t.Errorf("rate %s img/s, want 20", m[1])
	}
	if eta, _ := strconv.Atoi(m[2]); eta < 50 || eta > 55 {
		t.Errorf("ETA %ss, want 50s", m[2])
	}
	// The next line waits for the interval.
	w.Reset()
	p.every = time.Hour
	p.update(3, 3000, nil)
	if w.Len() != 0 {
		t.Errorf("a line before the interval: %q", w.String())
	}
}

// TestProgressBar: on a terminal the bar is redrawn in place, cleared by
// done, and left with a new line by abort; neither writes anything when no
// bar was drawn.
func TestProgressBar(t *testing.T) {
	var w strings.Builder
	p := plainProgress(&w, time.Second)
	p.terminal = true
	p.done()
	p.abort()
	if w.Len() != 0 {
		t.Fatalf("done and abort before any bar wrote %q", w.String())
	}
	p.update(3, 3000, nil)
	bar := w.String()
	if !strings.HasPrefix(bar, "\repoch 2/4 ["+strings.Repeat("=", 30)+"] 3/3  ") {
		t.Fatalf("bar %q", bar)
	}
	w.Reset()
	p.done()
	if want := "\r" + strings.Repeat(" ", len(bar)-1) + "\r"; w.String() != want {
		t.Errorf("done wrote %q, want %q", w.String(), want)
	}
	w.Reset()
	p.abort()
	if w.String() != "\n" {
		t.Errorf("abort wrote %q, want a new line", w.String())
	}
}

// TestProgressBarThrottle: the bar is redrawn at most every 100 ms, except
// for the last step, which is always drawn. (A last draw in the future
// stands for one a moment ago, whatever the machine's speed.)
func TestProgressBarThrottle(t *testing.T) {
	var w strings.Builder
	p := plainProgress(&w, time.Second)
	p.terminal = true
	p.last = time.Now().Add(time.Hour)
	p.update(1, 1000, nil)
	if w.Len() != 0 {
		t.Fatalf("step 1 of 3 drawn within 100 ms of the last draw: %q", w.String())
	}
	p.update(3, 3000, nil)
	if !strings.HasPrefix(w.String(), "\repoch 2/4 ["+strings.Repeat("=", 30)+"] 3/3  ") {
		t.Fatalf("last step not drawn: %q", w.String())
	}
	w.Reset()
	p.last = time.Now().Add(-time.Hour)
	p.update(1, 1000, nil)
	if !strings.HasPrefix(w.String(), "\repoch 2/4 ["+strings.Repeat("=", 10)+strings.Repeat(" ", 20)+"] 1/3  ") {
		t.Fatalf("step 1 of 3 not drawn long after the last draw: %q", w.String())
	}
}

// TestProgressClockBoundaries pins, with a clock the test sets, the two
// intervals at their boundaries: on a terminal the bar is redrawn 100 ms
// after the last draw and not 1 ns sooner; the plain line is printed
// exactly LogEvery after the last one and not 1 ns sooner.
func TestProgressClockBoundaries(t *testing.T) {
	var w strings.Builder
	p := plainProgress(&w, time.Second)
	var now time.Time
	p.clock = func() time.Time { return now }
	for _, c := range []struct {
		terminal bool
		interval time.Duration
	}{{true, 100 * time.Millisecond}, {false, time.Second}} {
		p.terminal = c.terminal
		for _, d := range []time.Duration{c.interval - 1, c.interval} {
			w.Reset()
			p.last = p.start.Add(time.Minute)
			now = p.last.Add(d)
			p.update(1, 1000, nil)
			if drawn := w.Len() > 0; drawn != (d == c.interval) {
				t.Errorf("terminal %v, %v after the last line: drawn %v (%q)", c.terminal, d, drawn, w.String())
			}
		}
	}
}

// TestProgressBarShorterRedraw: a redrawn bar shorter than the one before
// it (here its metrics lose digits) is padded with spaces to the old
// length, so nothing of the old line is left on the terminal.
func TestProgressBarShorterRedraw(t *testing.T) {
	var w strings.Builder
	p := plainProgress(&w, time.Second)
	p.terminal = true
	var now time.Time
	p.clock = func() time.Time { return now }
	now = p.start.Add(time.Minute)
	p.update(1, 1000, Metrics{{Name: "loss", Sum: 123456.5, N: 1}})
	long := w.String()
	w.Reset()
	now = now.Add(time.Second)
	p.update(2, 2000, Metrics{{Name: "loss", Sum: 1, N: 1}})
	short := w.String()
	if len(short) != len(long) {
		t.Fatalf("redraw %q (%d bytes) after %q (%d bytes): want the same length", short, len(short), long, len(long))
	}
	line := strings.TrimRight(short, " ")
	if !strings.HasPrefix(line, "\repoch 2/4 ["+strings.Repeat("=", 20)+strings.Repeat(" ", 10)+"] 2/3  ") || !strings.Contains(line, "  loss 1.0000  ETA ") {
		t.Fatalf("redraw %q", short)
	}
	if line == short {
		t.Errorf("redraw %q not padded", short)
	}
}
