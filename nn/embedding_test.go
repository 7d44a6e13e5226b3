package nn_test

import (
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestEmbedding checks the lookup, the padding row's missing gradient,
// explicit against autodiff, and a gradient check of the weight.
func TestEmbedding(t *testing.T) {
	e := nn.NewEmbedding(tensor.NewRand(1), 5, 3, nn.EmbeddingPadding(0))
	nn.To(e, tensor.Float64)
	for j := 0; j < 3; j++ {
		if e.Weight.At(0, j) != 0 {
			t.Fatalf("padding row not zero: %v", e.Weight.At(0, j))
		}
	}
	idx := tensor.FromInts([]int{2, 0, 4, 2, 1, 0}, 2, 3)
	y := e.Forward(idx)
	if !equalInts(y.Shape(), []int{2, 3, 3}) {
		t.Fatalf("shape %v", y.Shape())
	}
	for p, i := range idx.Ints() {
		for j := 0; j < 3; j++ {
			if y.At(p/3, p%3, j) != e.Weight.At(i, j) {
				t.Fatalf("out[%d] is not row %d", p, i)
			}
		}
	}
	g := randF64(5, 2, 3, 3)
	y.BackwardWith(g)
	gw := e.Weight.Grad()
	for j := 0; j < 3; j++ {
		if gw.At(0, j) != 0 || gw.At(3, j) != 0 {
			t.Errorf("padding row 0 or unused row 3 got a gradient")
		}
		if want := g.At(0, 0, j) + g.At(1, 0, j); gw.At(2, j) != want {
			t.Errorf("row 2 (used twice) gradient %v, want %v", gw.At(2, j), want)
		}
	}
	pg := e.BackwardParams(g)
	if len(pg) != 1 || gradcheck.RelError(pg[0].Grad.Values(), gw.Values()) != 0 {
		t.Error("explicit weight gradient differs from autodiff")
	}
	if e.BackwardInputs(g) != nil {
		t.Error("indices got a gradient")
	}
	// Without padding every row used gets its gradient: check them all
	// (with padding the numerical gradient of row 0 is not zero, by
	// design).
	e = nn.NewEmbedding(tensor.NewRand(1), 5, 3)
	nn.To(e, tensor.Float64)
	rep := gradcheck.Params(func() *tensor.Tensor {
		return tensor.Sum(tensor.Mul(e.Forward(idx), g))
	}, []string{"weight"}, []*tensor.Tensor{e.Weight})
	if !rep.OK() {
		t.Error(rep)
	}
}

// TestEmbeddingFrozenAndPretrained loads a given matrix, frozen: no
// gradient, but the weight stays in Params for checkpoints.
func TestEmbeddingFrozenAndPretrained(t *testing.T) {
	w := tensor.FromFloat32([]float32{1, 2, 3, 4, 5, 6}, 3, 2)
	e := nn.NewEmbeddingFrom(w, nn.EmbeddingFrozen(), nn.EmbeddingPadding(-1))
	if e.PaddingIdx != 2 || e.Weight.At(2, 1) != 6 {
		t.Fatalf("padding %d, row 2 %v: want index 2 and the given row kept", e.PaddingIdx, e.Weight.At(2, 1))
	}
	y := e.Forward(tensor.FromInts([]int{1, 2}, 1, 2))
	if y.RequiresGrad() || y.At(0, 0, 0) != 3 || y.At(0, 1, 1) != 6 {
		t.Errorf("frozen lookup: requires grad %v, values %v", y.RequiresGrad(), y.Values())
	}
	if e.BackwardParams(tensor.Ones(1, 2, 2)) != nil {
		t.Error("frozen embedding returned parameter gradients")
	}
	if len(e.Params()) != 1 {
		t.Error("frozen weight missing from Params")
	}
	e.SetFrozen(false)
	lstm := nn.NewLSTM(tensor.NewRand(1), 2, 3, nn.BatchFirst())
	out := lstm.ForwardN(e.Forward(tensor.FromInts([]int{1, 2, 0}, 1, 3)))[0]
	tensor.Sum(out).Backward()
	if e.Weight.Grad() == nil || e.Weight.Grad().At(2, 0) != 0 || e.Weight.Grad().At(1, 0) == 0 {
		t.Errorf("unfrozen embedding under an LSTM: gradient %v", e.Weight.Grad())
	}
}

// TestEmbeddingGradientStorageReused trains two steps with different
// indices: the second step's gradient lands in the first one's storage
// (ZeroGrad keeps it for reuse), and must hold only the second step's rows.
func TestEmbeddingGradientStorageReused(t *testing.T) {
	e := nn.NewEmbedding(tensor.NewRand(1), 6, 3, nn.EmbeddingPadding(0))
	step := func(ids ...int) *tensor.Tensor {
		nn.ZeroGrad(e)
		tensor.Sum(e.Forward(tensor.FromInts(ids, len(ids)))).Backward()
		return e.Weight.Grad()
	}
	g1 := step(1, 2, 2, 0)
	first := g1.Float32s()[:]
	if first[3] != 1 || first[6] != 2 || first[0] != 0 {
		t.Fatalf("first gradient %v: want row 1 ones, row 2 twos, padding row 0 zero", first)
	}
	g2 := step(4, 4)
	if &g2.Float32s()[0] != &first[0] {
		t.Errorf("the second gradient has new storage; want the first one's, reused")
	}
	want := make([]float32, 18)
	for j := range 3 {
		want[4*3+j] = 2
	}
	for i, v := range g2.Float32s() {
		if v != want[i] {
			t.Fatalf("second gradient %v, want %v (no trace of the first step's rows)", g2.Float32s(), want)
		}
	}
}
