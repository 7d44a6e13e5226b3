package optim

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Schedule gives the learning rate for a 1-based counter: the epoch, as the
// course counts them, or the iteration for per-step schedules.
type Schedule interface {
	LR(epoch int) float64
}

// Constant is a Schedule with the same learning rate at every epoch.
type Constant float64

// LR returns the constant learning rate.
func (c Constant) LR(int) float64 { return float64(c) }

// Piecewise is a step schedule given as "from epoch e use lr x": each key
// is the first epoch of a stage. The course's lr_policy
//
//	optim.Piecewise{1: 0.1, 3: 0.01, 5: 0.001, 7: 0.0001}
//
// gives 0.1 at epochs 1-2, 0.01 at 3-4, 0.001 at 5-6 and 1e-4 from epoch
// 7 on. Epochs before the first key use the first key's rate.
type Piecewise map[int]float64

// LR returns the rate of the last stage starting at or before epoch. It
// panics with a *ConfigError if the schedule is empty.
func (s Piecewise) LR(epoch int) float64 {
	if len(s) == 0 {
		configPanic("Piecewise", "empty schedule")
	}
	best, found := 0, false
	first, seen := 0, false
	for e := range s {
		if e <= epoch && (!found || e > best) {
			best, found = e, true
		}
		if !seen || e < first {
			first, seen = e, true
		}
	}
	if !found {
		best = first
	}
	return s[best]
}

// epochs returns the stage starts in increasing order.
func (s Piecewise) epochs() []int {
	es := make([]int, 0, len(s))
	for e := range s {
		es = append(es, e)
	}
	slices.Sort(es)
	return es
}

// String formats the schedule as ParsePiecewise reads it, stages in order:
// "1:0.1,3:0.01".
func (s Piecewise) String() string {
	var b strings.Builder
	for i, e := range s.epochs() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(e))
		b.WriteByte(':')
		b.WriteString(strconv.FormatFloat(s[e], 'g', -1, 64))
	}
	return b.String()
}

// ParsePiecewise reads a Piecewise schedule written as comma-separated
// epoch:lr pairs, such as "1:0.1,3:0.01,5:0.001,7:0.0001" (spaces around
// items are allowed). Epochs must be positive integers, each given once;
// rates must be finite and non-negative.
func ParsePiecewise(text string) (Piecewise, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("optim: empty learning-rate schedule")
	}
	s := Piecewise{}
	for item := range strings.SplitSeq(text, ",") {
		item = strings.TrimSpace(item)
		es, ls, ok := strings.Cut(item, ":")
		if !ok {
			return nil, fmt.Errorf("optim: schedule item %q: want epoch:lr", item)
		}
		es, ls = strings.TrimSpace(es), strings.TrimSpace(ls)
		e, err := strconv.Atoi(es)
		if err != nil || e < 1 {
			return nil, fmt.Errorf("optim: schedule item %q: epoch %q is not a positive integer", item, es)
		}
		lr, err := strconv.ParseFloat(ls, 64)
		if err != nil || !(lr >= 0) || math.IsInf(lr, 0) {
			return nil, fmt.Errorf("optim: schedule item %q: learning rate %q is not a finite non-negative number", item, ls)
		}
		if _, dup := s[e]; dup {
			return nil, fmt.Errorf("optim: schedule item %q: epoch %d given twice", item, e)
		}
		s[e] = lr
	}
	return s, nil
}

// ExponentialSchedule decays the learning rate geometrically: Initial at
// counter 1, then multiplied by Gamma at each following one.
type ExponentialSchedule struct {
	Initial float64 // rate at counter 1
	Gamma   float64 // factor per step of the counter
}

// Exponential returns the schedule lr0·γ^(n−1). Stepped per epoch it is
// torch's ExponentialLR stepped per epoch; stepped per iteration (as in
// course lab 1, ExponentialLR(1−1e-4) after every batch) it is the
// per-step decay.
func Exponential(lr0, gamma float64) ExponentialSchedule {
	return ExponentialSchedule{Initial: lr0, Gamma: gamma}
}

// LR returns Initial·Gamma^(n−1).
func (s ExponentialSchedule) LR(n int) float64 {
	return s.Initial * math.Pow(s.Gamma, float64(n-1))
}

// Scheduler drives an optimizer's learning rate from a Schedule, like a
// torch.optim.lr_scheduler object: it counts ticks from 1 and sets the
// rate for the current tick.
type Scheduler struct {
	opt   Optimizer
	sched Schedule
	n     int
}

// NewScheduler binds s to opt and sets opt's learning rate to s.LR(1).
func NewScheduler(opt Optimizer, s Schedule) *Scheduler {
	sc := &Scheduler{opt: opt, sched: s, n: 1}
	opt.SetLR(s.LR(1))
	return sc
}

// Step advances the counter by one (an epoch or an iteration, as the
// caller chooses) and sets the optimizer's learning rate for it.
func (s *Scheduler) Step() {
	s.n++
	s.opt.SetLR(s.sched.LR(s.n))
}

// Set moves the counter to n (for example the epoch about to start) and
// sets the optimizer's learning rate for it.
func (s *Scheduler) Set(n int) {
	s.n = n
	s.opt.SetLR(s.sched.LR(n))
}

// Count returns the current value of the counter, 1 after NewScheduler.
func (s *Scheduler) Count() int { return s.n }
