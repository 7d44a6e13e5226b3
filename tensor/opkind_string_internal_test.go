package tensor

import (
	"fmt"
	"testing"
)

// TestOpKindStringPastTheLast checks that a kind past the last known one
// prints as OpKind(n), not an index panic.
func TestOpKindStringPastTheLast(t *testing.T) {
	if got, want := numOpKinds.String(), fmt.Sprintf("OpKind(%d)", int(numOpKinds)); got != want {
		t.Fatalf("%q, want %q", got, want)
	}
}
