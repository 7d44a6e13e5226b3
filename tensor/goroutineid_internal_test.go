package tensor

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// TestGoroutineID checks the parser of the stack header against fmt's,
// on enough goroutines that their ids contain every digit (0 and 9
// included).
func TestGoroutineID(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan string, 300)
	for range 300 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf [64]byte
			var want uint64
			if _, err := fmt.Sscanf(string(buf[:runtime.Stack(buf[:], false)]), "goroutine %d ", &want); err != nil {
				errs <- err.Error()
				return
			}
			if got := goroutineID(); got != want {
				errs <- fmt.Sprintf("goroutineID() = %d, want %d", got, want)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}
