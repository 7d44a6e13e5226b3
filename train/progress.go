package train

import (
	"fmt"
	"strings"
	"time"
)

// progress draws a progress bar on a terminal, or prints a plain line every
// LogEverySecs seconds otherwise.
type progress struct {
	c       Config
	epoch   int
	total   int
	start   time.Time
	last    time.Time
	lastLen int
}

func newProgress(c Config, epoch, total int) *progress {
	now := time.Now()
	return &progress{c: c, epoch: epoch, total: total, start: now, last: now}
}

func (p *progress) update(step, seen int, loss, acc float64) {
	now := time.Now()
	el := now.Sub(p.start).Seconds()
	rate := float64(seen) / max(el, 1e-9)
	eta := time.Duration(float64(p.total-step) * el / float64(step) * float64(time.Second)).Round(time.Second)
	if p.c.Terminal {
		if now.Sub(p.last) < 100*time.Millisecond && step != p.total {
			return
		}
		const width = 30
		fill := width * step / p.total
		line := fmt.Sprintf("epoch %d/%d [%s%s] %d/%d  %.0f img/s  loss %.4f  acc %.2f%%  ETA %v",
			p.epoch, p.c.Epochs, strings.Repeat("=", fill), strings.Repeat(" ", width-fill), step, p.total, rate, loss, 100*acc, eta)
		pad := ""
		if len(line) < p.lastLen {
			pad = strings.Repeat(" ", p.lastLen-len(line))
		}
		fmt.Fprintf(p.c.Log, "\r%s%s", line, pad)
		p.lastLen = len(line)
		p.last = now
		return
	}
	if now.Sub(p.last).Seconds() >= p.c.LogEverySecs {
		fmt.Fprintf(p.c.Log, "epoch %d/%d  batch %d/%d  %.0f img/s  loss %.4f  acc %.2f%%  ETA %v\n",
			p.epoch, p.c.Epochs, step, p.total, rate, loss, 100*acc, eta)
		p.last = now
	}
}

// done ends the bar's line.
func (p *progress) done() {
	if p.c.Terminal && p.lastLen > 0 {
		fmt.Fprint(p.c.Log, "\r"+strings.Repeat(" ", p.lastLen)+"\r")
	}
}

func (p *progress) abort() {
	if p.c.Terminal && p.lastLen > 0 {
		fmt.Fprintln(p.c.Log)
	}
}
