package tensor

import (
	"sync"
	"testing"
)

// TestNoGradScopesUnwind checks NoGrad's bookkeeping: nested scopes leave
// no depth behind and the count of open scopes back at zero, so that
// GradEnabled's fast path holds again; and while another goroutine holds a
// scope (the slow path), a goroutine whose own nested scopes have ended
// records again.
func TestNoGradScopesUnwind(t *testing.T) {
	NoGrad(func() {
		NoGrad(func() {
			if GradEnabled() {
				t.Error("recording inside nested NoGrad")
			}
		})
		if GradEnabled() {
			t.Error("recording inside the outer NoGrad after the inner ended")
		}
	})
	if n := noGradScopes.Load(); n != 0 {
		t.Fatalf("%d scopes open after every NoGrad returned", n)
	}
	noGrad.RLock()
	left := len(noGrad.depth)
	noGrad.RUnlock()
	if left != 0 {
		t.Fatalf("%d goroutines' depths left after every NoGrad returned", left)
	}

	held, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		NoGrad(func() {
			close(held)
			<-release
		})
	}()
	<-held
	NoGrad(func() { NoGrad(func() {}) })
	enabled := GradEnabled()
	close(release)
	wg.Wait()
	if !enabled {
		t.Fatal("recording off after this goroutine's scopes ended, while another goroutine held one")
	}
}
