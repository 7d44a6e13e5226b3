package train

import (
	"context"
	"math"
	"testing"

	"github.com/duboko/duboko/optim"
)

// TestRunUsesEachEpochsRate trains a tiny classifier for three epochs with
// a piecewise schedule and checks that every step of epoch e ran with the
// rate the schedule gives for e (not e−1's), both as the optimizer saw it
// and as the history records it.
func TestRunUsesEachEpochsRate(t *testing.T) {
	tr := newTrainer(t, 3, "")
	tr.Schedule = optim.Piecewise{1: 0.1, 2: 0.02, 3: 0.004}
	want := []float64{0.1, 0.02, 0.004}
	opt := tr.Task.Optimizers()[0]
	tr.OnStep(func(s StepInfo) {
		if got := opt.LR(); got != want[s.Epoch-1] {
			t.Errorf("epoch %d step %d ran with lr %g, want %g", s.Epoch, s.Step, got, want[s.Epoch-1])
		}
	})
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.History) != len(want) {
		t.Fatalf("%d epochs recorded, want %d", len(res.History), len(want))
	}
	for i, st := range res.History {
		if st.Epoch != i+1 || math.Abs(st.LR-want[i]) > 1e-12*want[i] {
			t.Errorf("epoch %d recorded lr %g, want %g", st.Epoch, st.LR, want[i])
		}
	}
}
