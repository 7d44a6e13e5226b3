package train_test

import (
	"context"
	"io"
	"math"
	"testing"

	"github.com/duboko/duboko/train"
)

// TestRunUsesEachEpochsRate trains a tiny model for three epochs with a
// piecewise schedule times an exponential decay, and checks that epoch e
// ran with the rate the schedule gives for e (not e−1's).
func TestRunUsesEachEpochsRate(t *testing.T) {
	cfg := train.Config{Model: "mlp", Epochs: 3, MaxTrain: 100, ValSize: -1, Batch: 50, Log: io.Discard,
		Schedule: "1:0.1,2:0.02,3:0.004", Decay: 0.5}
	want := []float64{0.1, 0.02 * 0.5, 0.004 * 0.25}
	res, err := train.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.History) != len(want) {
		t.Fatalf("%d epochs recorded, want %d", len(res.History), len(want))
	}
	for i, st := range res.History {
		if st.Epoch != i+1 || math.Abs(st.LR-want[i]) > 1e-12*want[i] {
			t.Errorf("epoch %d ran with lr %g, want %g", st.Epoch, st.LR, want[i])
		}
	}
}
