package tensor

import (
	"sync"
	"testing"
)

// TestNoGradIsPerGoroutine checks that a NoGrad scope held by one
// goroutine neither stops recording on another nor leaks into goroutines
// it starts, and that Backward (which runs under NoGrad) on one goroutine
// leaves recording on in another.
func TestNoGradIsPerGoroutine(t *testing.T) {
	w := FromFloat64([]float64{1, 2}, 2).SetRequiresGrad(true)
	inside, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	var innerEnabled, childEnabled bool
	go func() {
		defer wg.Done()
		NoGrad(func() {
			innerEnabled = GradEnabled()
			done := make(chan bool)
			go func() { done <- GradEnabled() }()
			childEnabled = <-done
			close(inside)
			<-release
		})
	}()
	<-inside
	if !GradEnabled() {
		t.Error("NoGrad on another goroutine switched recording off here")
	}
	if y := Mul(w, w); y.IsLeaf() {
		t.Error("an op was not recorded while another goroutine was inside NoGrad")
	}
	close(release)
	wg.Wait()
	if innerEnabled {
		t.Error("GradEnabled is true inside NoGrad")
	}
	if !childEnabled {
		t.Error("a goroutine started inside NoGrad inherited the mode")
	}

	// Backward runs its VJPs under NoGrad; an op recorded concurrently on
	// another goroutine must still be recorded.
	x := RandN(NewRand(1), 64, 64).SetRequiresGrad(true)
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			l := Sum(Mul(Tanh(MatMul(x, x)), x))
			l.Backward()
		}
	}()
	for range 200 {
		if y := Mul(w, w); y.IsLeaf() {
			t.Fatal("Backward on another goroutine switched recording off here")
		}
	}
	close(stop)
	wg.Wait()
}

func TestNoGradNests(t *testing.T) {
	NoGrad(func() {
		NoGrad(func() {})
		if GradEnabled() {
			t.Error("leaving an inner NoGrad re-enabled recording")
		}
	})
	if !GradEnabled() {
		t.Error("recording not restored")
	}
	func() {
		defer func() { _ = recover() }()
		NoGrad(func() { panic("x") })
	}()
	if !GradEnabled() {
		t.Error("recording not restored after a panic inside NoGrad")
	}
}

// BenchmarkGradEnabled measures the mode check every recorded op makes:
// outside any NoGrad (the fast path), while another goroutine holds a
// NoGrad scope, and inside NoGrad.
func BenchmarkGradEnabled(b *testing.B) {
	b.Run("idle", func(b *testing.B) {
		for b.Loop() {
			_ = GradEnabled()
		}
	})
	b.Run("other-goroutine-in-NoGrad", func(b *testing.B) {
		in, out := make(chan struct{}), make(chan struct{})
		go NoGrad(func() { close(in); <-out })
		<-in
		for b.Loop() {
			_ = GradEnabled()
		}
		close(out)
	})
	b.Run("inside-NoGrad", func(b *testing.B) {
		NoGrad(func() {
			for b.Loop() {
				_ = GradEnabled()
			}
		})
	})
	b.Run("stack-header-id", func(b *testing.B) {
		for b.Loop() {
			_ = goroutineID()
		}
	})
	b.Run("NoGrad-scope", func(b *testing.B) {
		for b.Loop() {
			NoGrad(func() {})
		}
	})
}

// TestGoroutineKeys checks that both goroutine identities (the fast key
// of this build and the portable stack-header id) are stable within a
// goroutine and differ between live goroutines.
func TestGoroutineKeys(t *testing.T) {
	for name, f := range map[string]func() uint64{"goroutineKey": goroutineKey, "goroutineID": goroutineID} {
		a, a2 := f(), f()
		ch := make(chan uint64)
		hold := make(chan struct{})
		go func() { ch <- f(); <-hold }()
		b := <-ch
		if a != a2 || a == b || a == 0 || b == 0 {
			t.Errorf("%s: same goroutine %d, %d; other goroutine %d", name, a, a2, b)
		}
		close(hold)
	}
}
