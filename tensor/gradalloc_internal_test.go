package tensor

import "testing"

// TestGradAllocReusesSpareGrad checks the contract of gradAlloc: the
// storage of a leaf's gradient cleared by ZeroGrad is handed out again, and
// only for a leaf with no gradient now whose spare has its dtype and shape;
// everything else gets new storage.
func TestGradAllocReusesSpareGrad(t *testing.T) {
	leafWithSpare := func(dt DType) *Tensor {
		w := ZerosOf(Float32, 2, 3).SetRequiresGrad(true)
		w.grad, w.gradOwned = ZerosOf(dt, 2, 3), true
		w.ZeroGrad()
		return w
	}
	w := leafWithSpare(Float32)
	sp := w.spareGrad
	if got := gradAlloc(w); got != sp || w.lentGrad != sp || w.spareGrad != nil {
		t.Fatalf("leaf after ZeroGrad: got %p, spare %p (lent %p, spare now %p)", got, sp, w.lentGrad, w.spareGrad)
	}

	w = leafWithSpare(Float32)
	w.grad = ZerosOf(Float32, 2, 3) // a gradient already there
	if got := gradAlloc(w); got == w.spareGrad || w.lentGrad != nil {
		t.Fatal("leaf holding a gradient: its spare was handed out")
	}

	w = leafWithSpare(Float64) // spare of another dtype
	if got := gradAlloc(w); got == w.spareGrad || got.dtype != Float32 {
		t.Fatal("spare of another dtype handed out")
	}

	w = leafWithSpare(Float32)
	w.spareGrad.shape = []int{3, 2} // spare of another shape
	if got := gradAlloc(w); got == w.spareGrad {
		t.Fatal("spare of another shape handed out")
	}

	x := leafWithSpare(Float32)
	y := Mul(x, x) // not a leaf
	y.spareGrad = x.spareGrad
	if got := gradAlloc(y); got == y.spareGrad {
		t.Fatal("non-leaf's spare handed out")
	}
}
