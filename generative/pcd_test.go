package generative

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// pcdTrainer returns a trainer of a PCD-1 RBM (784-16, 5 chains) on the
// first 12 training images, batch 5: two full batches and a short one.
func pcdTrainer(t *testing.T, out string, epochs int) (*train.Trainer, *RBMTask) {
	t.Helper()
	set := first12(t)
	r := models.NewRBM(tensor.NewRand(4), 784, 16)
	task := &RBMTask{RBM: r, Opt: NewRBMOptimizer(r, 0.1), K: 1, Persistent: true, Chains: 5, Seed: 3}
	return &train.Trainer{Task: task, Train: set, Batch: 5, Seed: 3, Epochs: epochs, OutDir: out,
		Meta: map[string]string{"model": "rbm", "optimizer": "sgd"}}, task
}

var (
	twelveOnce sync.Once
	twelve     *mnist.Set
	twelveErr  error
)

// first12 returns the first 12 training images, loaded once.
func first12(t *testing.T) *mnist.Set {
	t.Helper()
	twelveOnce.Do(func() {
		var full *mnist.Set
		if full, _, twelveErr = mnist.Load(); twelveErr == nil {
			twelve, _ = mnist.Split(full, full.N-12)
		}
	})
	if twelveErr != nil {
		t.Fatal(twelveErr)
	}
	return twelve
}

func equalTensors(a, b *tensor.Tensor) bool {
	if a.Len() != b.Len() {
		return false
	}
	for i := 0; i < a.Len(); i++ {
		if a.Flat(i) != b.Flat(i) {
			return false
		}
	}
	return true
}

// TestPCDResumeContinuesTheChains: the checkpoint holds the chains, and a
// run resumed after epoch 2 ends in exactly the weights and chains of an
// uninterrupted 3-epoch run; restarting the chains instead gives other
// weights.
func TestPCDResumeContinuesTheChains(t *testing.T) {
	dir := t.TempDir()
	straight, ts := pcdTrainer(t, filepath.Join(dir, "a"), 3)
	mustRun(t, straight)
	first, _ := pcdTrainer(t, filepath.Join(dir, "b"), 2)
	mustRun(t, first)

	// the checkpoint after 2 epochs holds the chains and 2·3 updates
	ck := filepath.Join(dir, "b", train.CheckpointName)
	r := models.NewRBM(tensor.NewRand(1), 784, 16)
	st, err := loadRBMState(ck, r)
	if err != nil {
		t.Fatal(err)
	}
	if st == nil || st.Updates.Int64s()[0] != 6 || st.Chain.Dim(0) != 5 || st.Chain.Dim(1) != 16 {
		t.Fatalf("checkpoint state %+v", st)
	}
	ones := 0
	for i := 0; i < st.Chain.Len(); i++ {
		switch st.Chain.Flat(i) {
		case 0:
		case 1:
			ones++
		default:
			t.Fatalf("chain value %v is not binary", st.Chain.Flat(i))
		}
	}
	if ones == 0 {
		t.Fatal("the saved chain is all zeros")
	}

	resumed, tr := pcdTrainer(t, filepath.Join(dir, "c"), 3)
	if err := resumed.Resume(ck); err != nil {
		t.Fatal(err)
	}
	if got := tr.Model().(*RBMState); !equalTensors(got.Chain, st.Chain) || got.Updates.Int64s()[0] != 6 {
		t.Fatal("Resume did not restore the chains")
	}
	mustRun(t, resumed)
	for _, p := range nn.StateDict(ts.Model()) {
		q := findParam(tr.Model(), p.Name)
		if !equalTensors(p.Tensor, q) {
			t.Errorf("%s differs between the uninterrupted and the resumed run", p.Name)
		}
	}

	// control: the same resume with the chains restarted ends elsewhere
	restarted, tr2 := pcdTrainer(t, filepath.Join(dir, "b2"), 3)
	if err := restarted.Resume(ck); err != nil {
		t.Fatal(err)
	}
	tr2.Model().(*RBMState).Updates.Int64s()[0] = 0
	mustRun(t, restarted)
	if equalTensors(ts.RBM.W, tr2.RBM.W) {
		t.Error("restarting the chains changed nothing: the test cannot tell")
	}
}

func mustRun(t *testing.T, tr *train.Trainer) {
	t.Helper()
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func findParam(m nn.Module, name string) *tensor.Tensor {
	for _, p := range nn.StateDict(m) {
		if p.Name == name {
			return p.Tensor
		}
	}
	return nil
}

// TestPCDShortBatchAdvancesFirstChains: a batch of 3 on 5 chains runs CD
// from chains 0–2 (as models.RBM.CD with those states) and leaves chains
// 3–4 as they were.
func TestPCDShortBatchAdvancesFirstChains(t *testing.T) {
	r := models.NewRBM(tensor.NewRand(1), 784, 8)
	task := &RBMTask{RBM: r, Opt: NewRBMOptimizer(r, 0.1), K: 2, Persistent: true, Chains: 5, Seed: 9}
	st := task.Model().(*RBMState)
	if _, err := task.Step(batch(5, 784, 3)); err != nil {
		t.Fatal(err)
	}
	before := st.Chain.Clone()
	ref := models.NewRBM(tensor.NewRand(1), 784, 8)
	ref.W.CopyFrom(r.W)
	ref.B.CopyFrom(r.B)
	ref.C.CopyFrom(r.C)
	b := batch(3, 784, 4)
	want := ref.CD(tensor.FromFloat32(b.X, 3, 784), 2, tensor.Slice(before, 0, 0, 3), uniforms(batchRand(9, b.Indices)))
	if _, err := task.Step(b); err != nil {
		t.Fatal(err)
	}
	if !equalTensors(tensor.Slice(st.Chain, 0, 0, 3), want.HK) {
		t.Error("chains 0–2 are not the CD chain's last hidden sample")
	}
	if !equalTensors(tensor.Slice(st.Chain, 0, 3, 5), tensor.Slice(before, 0, 3, 5)) {
		t.Error("chains 3–4 changed on a batch of 3")
	}
	if st.Updates.Int64s()[0] != 2 {
		t.Errorf("updates %d, want 2", st.Updates.Int64s()[0])
	}
	// without Persistent the model is the bare RBM
	plain := &RBMTask{RBM: r, Opt: NewRBMOptimizer(r, 0.1), K: 1}
	if _, ok := plain.Model().(*models.RBM); !ok {
		t.Errorf("CD task's model is %T", plain.Model())
	}
}
