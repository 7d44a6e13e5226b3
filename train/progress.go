package train

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws a progress bar on a terminal, or prints a plain line every
// interval otherwise.
type progress struct {
	w        io.Writer
	terminal bool
	every    time.Duration
	unit     string // short unit for rates: "img"
	epoch    int
	epochs   int
	total    int
	start    time.Time
	last     time.Time
	lastLen  int
	clock    func() time.Time // nil: time.Now (tests set their own)
}

// now is the progress line's clock.
func (p *progress) now() time.Time {
	if p.clock != nil {
		return p.clock()
	}
	return time.Now()
}

func newProgress(t *Trainer, epoch, total int) *progress {
	now := time.Now()
	every := t.LogEvery
	if every <= 0 {
		every = 10 * time.Second
	}
	return &progress{w: t.log(), terminal: t.Terminal, every: every, unit: t.unitShort(),
		epoch: epoch, epochs: t.Epochs, total: total, start: now, last: now}
}

// update shows step of total after seen samples, with the running metrics.
func (p *progress) update(step, seen int, running Metrics) {
	now := p.now()
	el := now.Sub(p.start).Seconds()
	rate := float64(seen) / max(el, 1e-9)
	eta := time.Duration(float64(p.total-step) * el / float64(step) * float64(time.Second)).Round(time.Second)
	ms := joinMetrics(running, "  ")
	if p.terminal {
		if now.Sub(p.last) < 100*time.Millisecond && step != p.total {
			return
		}
		const width = 30
		fill := width * step / p.total
		line := fmt.Sprintf("epoch %d/%d [%s%s] %d/%d  %.0f %s/s  %s  ETA %v",
			p.epoch, p.epochs, strings.Repeat("=", fill), strings.Repeat(" ", width-fill), step, p.total, rate, p.unit, ms, eta)
		pad := ""
		if len(line) < p.lastLen {
			pad = strings.Repeat(" ", p.lastLen-len(line))
		}
		fmt.Fprintf(p.w, "\r%s%s", line, pad)
		p.lastLen = len(line)
		p.last = now
		return
	}
	if now.Sub(p.last) >= p.every {
		fmt.Fprintf(p.w, "epoch %d/%d  batch %d/%d  %.0f %s/s  %s  ETA %v\n",
			p.epoch, p.epochs, step, p.total, rate, p.unit, ms, eta)
		p.last = now
	}
}

// joinMetrics formats each metric as in a progress line, joined by sep.
func joinMetrics(ms Metrics, sep string) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = m.String()
	}
	return strings.Join(s, sep)
}

// done ends the bar's line.
func (p *progress) done() {
	if p.terminal && p.lastLen > 0 {
		fmt.Fprint(p.w, "\r"+strings.Repeat(" ", p.lastLen)+"\r")
	}
}

// abort leaves the bar's line as it is and starts a new one.
func (p *progress) abort() {
	if p.terminal && p.lastLen > 0 {
		fmt.Fprintln(p.w)
	}
}
