package tensor

import "testing"

// TestSelectionRecordsIndices checks that IndexSelect and Gather keep their
// Int64 indices as the record's second input (ONNX export reads them
// there) while backpropagation still gives x its gradient only.
func TestSelectionRecordsIndices(t *testing.T) {
	x := FromFloat32([]float32{1, 2, 3, 4, 5, 6}, 3, 2).SetRequiresGrad(true)
	idx := FromInts([]int{2, 0, 2}, 3)
	s := IndexSelect(x, 0, idx)
	if ins := s.Inputs(); len(ins) != 2 || ins[0] != x || ins[1] != idx {
		t.Fatalf("IndexSelect inputs %v, want [x, idx]", ins)
	}
	lab := FromInts([]int{1, 0, 1}, 3)
	g := Gather(x, 1, lab)
	if ins := g.Inputs(); len(ins) != 2 || ins[0] != x || ins[1] != lab {
		t.Fatalf("Gather inputs %v, want [x, index]", ins)
	}
	Add(Sum(s), Sum(g)).Backward()
	// IndexSelect picks row 2 twice and row 0 once; Gather picks x[0,1],
	// x[1,0] and x[2,1].
	want := []float32{1, 1 + 1, 1, 0, 2, 2 + 1}
	got := x.Grad().Float32s()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("x.Grad %v, want %v", got, want)
		}
	}
	if idx.Grad() != nil || lab.Grad() != nil {
		t.Fatal("indices received a gradient")
	}
	if j := s.Op().JacobianFor(s.Shape(), [][]int{x.Shape(), idx.Shape()}, 1); j.NNZ != 0 {
		t.Fatalf("∂out/∂indices has %d non-zeros, want 0", j.NNZ)
	}
}
