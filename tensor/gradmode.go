package tensor

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Grad mode is per goroutine, like PyTorch's thread-local grad mode:
// NoGrad switches recording off for the goroutine that calls it, and only
// for that goroutine, so one goroutine can evaluate a model under NoGrad
// (or run Backward, whose vector-Jacobian products run under NoGrad)
// while another goroutine records a training step.
//
// Go has no goroutine-local storage, so the mode is kept in two parts:
//
//   - noGradScopes counts the NoGrad scopes active on all goroutines. While
//     it is zero (the common case when nothing is evaluated concurrently),
//     GradEnabled is one atomic load.
//   - noGrad.depth maps a key of every goroutine inside NoGrad to its
//     nesting depth. While any scope is active, GradEnabled looks up the
//     calling goroutine's key. On amd64 the key is the address of the
//     runtime's descriptor of the goroutine, read by two instructions
//     (gradmode_amd64.s): unique among live goroutines, and a goroutine
//     cannot end inside a scope (NoGrad removes its entry on the way out,
//     panics and runtime.Goexit included). Elsewhere, and with the purego
//     tag, it is the goroutine id parsed from the header line of
//     runtime.Stack ("goroutine 18 [running]:"), which costs microseconds
//     (a stack walk); BenchmarkGradEnabled measures both.
//
// The mode is not inherited: goroutines started inside NoGrad record
// again (as threads started under torch.no_grad do). The kernels' worker
// goroutines do not record anything, so parallel ops are unaffected.
var (
	noGradScopes atomic.Int32
	noGrad       struct {
		sync.RWMutex
		depth map[uint64]int32
	}
)

// NoGrad runs fn with gradient recording switched off on the calling
// goroutine: tensors computed inside fn by this goroutine have no
// history. Scopes nest. Other goroutines, including those that fn starts,
// keep their own mode.
func NoGrad(fn func()) {
	id := goroutineKey()
	noGrad.Lock()
	if noGrad.depth == nil {
		noGrad.depth = map[uint64]int32{}
	}
	noGrad.depth[id]++
	noGrad.Unlock()
	noGradScopes.Add(1)
	defer func() {
		noGradScopes.Add(-1)
		noGrad.Lock()
		if noGrad.depth[id]--; noGrad.depth[id] == 0 {
			delete(noGrad.depth, id)
		}
		noGrad.Unlock()
	}()
	fn()
}

// GradEnabled reports whether operations run by the calling goroutine are
// currently recorded (false inside NoGrad).
func GradEnabled() bool {
	if noGradScopes.Load() == 0 {
		return true
	}
	id := goroutineKey()
	noGrad.RLock()
	d := noGrad.depth[id]
	noGrad.RUnlock()
	return d == 0
}

// goroutineID returns the id of the calling goroutine, parsed from the
// first line of its stack trace, "goroutine 18 [running]:".
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	const prefix = "goroutine "
	if len(b) < len(prefix) || string(b[:len(prefix)]) != prefix {
		panic("tensor: unexpected runtime.Stack header " + string(b))
	}
	var id uint64
	for _, c := range b[len(prefix):] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	return id
}
