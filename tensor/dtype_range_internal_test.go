package tensor

import "testing"

// TestDTypeOutOfRange checks that a DType value past the known ones (a
// corrupt or future dtype) answers false, not an index panic.
func TestDTypeOutOfRange(t *testing.T) {
	for _, d := range []DType{DType(len(dtypes)), DType(len(dtypes) + 7)} {
		if d.IsFloat() || d.computes() {
			t.Fatalf("DType(%d): IsFloat %v, computes %v", int(d), d.IsFloat(), d.computes())
		}
	}
}
