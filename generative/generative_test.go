package generative

import (
	"errors"
	"math"
	"testing"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

func batch(n, dim int, seed uint64) *data.Batch {
	rng := tensor.NewRand(seed)
	b := &data.Batch{X: make([]float32, n*dim), Shape: []int{n, dim}, Labels: make([]int, n), Indices: make([]int, n)}
	for i := range b.X {
		b.X[i] = float32(rng.Float64())
	}
	for i := range b.Indices {
		b.Indices[i] = i + 7
	}
	return b
}

// TestRBMStepIsSGDOnCD: one Step moves the weights by lr times the CD
// estimate that models.RBM.CD returns for the same noise.
func TestRBMStepIsSGDOnCD(t *testing.T) {
	const lr = 0.5
	r := models.NewRBM(tensor.NewRand(1), 784, 8)
	ref := models.NewRBM(tensor.NewRand(1), 784, 8)
	task := &RBMTask{RBM: r, Opt: NewRBMOptimizer(r, lr), K: 2, Seed: 9}
	b := batch(5, 784, 3)
	st := ref.CD(tensor.FromFloat32(b.X, 5, 784), 2, nil, uniforms(batchRand(9, b.Indices)))
	ms, err := task.Step(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := ms.Get("recon_error"); math.Abs(got-st.ReconError) > 1e-9 {
		t.Fatalf("recon_error %v, want %v", got, st.ReconError)
	}
	for _, c := range []struct {
		name      string
		got, prev *tensor.Tensor
		delta     *tensor.Tensor
	}{{"W", r.W, ref.W, st.DW}, {"b", r.B, ref.B, st.DB}, {"c", r.C, ref.C, st.DC}} {
		for i := 0; i < c.got.Len(); i++ {
			want := c.prev.Flat(i) + lr*c.delta.Flat(i)
			if math.Abs(c.got.Flat(i)-want) > 1e-6 {
				t.Fatalf("%s[%d] = %v after the step, want %v", c.name, i, c.got.Flat(i), want)
			}
		}
	}
}

// TestRBMStepRefusesNaN: a batch with NaN stops the step with a
// *train.NonFiniteError before any weight changes.
func TestRBMStepRefusesNaN(t *testing.T) {
	r := models.NewRBM(tensor.NewRand(1), 784, 4)
	w0 := r.W.Clone()
	task := &RBMTask{RBM: r, Opt: NewRBMOptimizer(r, 0.1), K: 1}
	b := batch(3, 784, 1)
	b.X[5] = float32(math.NaN())
	_, err := task.Step(b)
	var nf *train.NonFiniteError
	if !errors.As(err, &nf) {
		t.Fatalf("error %v, want a *train.NonFiniteError", err)
	}
	for i := 0; i < w0.Len(); i++ {
		if r.W.Flat(i) != w0.Flat(i) {
			t.Fatalf("weight %d changed by a refused step", i)
		}
	}
}

// TestVAETaskNoiseIsRepeatable: the noise comes from the seed and the
// batch's indices, so evaluating the same batch twice gives the same
// ELBO, and other indices give another.
func TestVAETaskNoiseIsRepeatable(t *testing.T) {
	v := models.NewVAE(tensor.NewRand(1), 4)
	task := NewVAETask(v, NewVAEOptimizer(v, 1e-3), 5)
	b := batch(4, 784, 2)
	l1, _ := task.Loss(b)
	l2, _ := task.Loss(b)
	if l1.Item() != l2.Item() {
		t.Fatalf("same batch, losses %v and %v", l1.Item(), l2.Item())
	}
	b.Indices[0] = 1000
	if l3, _ := task.Loss(b); l3.Item() == l1.Item() {
		t.Fatalf("other indices gave the same loss %v", l3.Item())
	}
}
