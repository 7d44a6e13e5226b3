package tensor

import (
	"fmt"
	"testing"
)

// TestCountsTotalAndStructNames checks Counts.Total (Mul+Add+Other, the
// unknown ops not counted) and the name of a structure kind past the last.
func TestCountsTotalAndStructNames(t *testing.T) {
	if got := (Counts{Mul: 2, Add: 30, Other: 400, Unknown: 5000}).Total(); got != 432 {
		t.Fatalf("Total = %d, want 432", got)
	}
	past := StructKind(len(structNames))
	if got, want := past.String(), fmt.Sprintf("StructKind(%d)", len(structNames)); got != want {
		t.Fatalf("%q, want %q", got, want)
	}
}
