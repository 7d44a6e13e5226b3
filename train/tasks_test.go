package train

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// firstBatch returns the first batch of n samples of ds (blobs are
// ordered by class: shuffled, so that the batch mixes classes).
func firstBatch(ds data.Dataset, n int) *data.Batch {
	for b := range data.NewLoader(ds, n, data.WithShuffle(1)).Epoch() {
		return b
	}
	return nil
}

// TestClassifierStepMetrics: Step returns the batch's loss as mean × size
// and its number of correct predictions, both of the weights before the
// update, over the batch size.
func TestClassifierStepMetrics(t *testing.T) {
	c := newClassifier(0.05)
	b := firstBatch(blobs(1, 40), 25)
	for range 3 { // part-way trained: some predictions right, some wrong
		if _, err := c.Step(b); err != nil {
			t.Fatal(err)
		}
	}
	logits := c.Net.Forward(tensor.FromFloat32(b.X, b.Shape...))
	loss := nn.CrossEntropy(logits, tensor.FromInts(b.Labels)).Item()
	correct := 0
	for i, p := range tensor.Argmax(logits, 1).Ints() {
		if p == b.Labels[i] {
			correct++
		}
	}
	if correct == 0 || 2*correct == 25 {
		t.Fatalf("%d of 25 correct: pick another batch", correct)
	}
	ms, err := c.Step(b)
	if err != nil {
		t.Fatal(err)
	}
	if ms[0].Name != "loss" || math.Abs(ms[0].Sum-25*loss) > 1e-9 || ms[0].N != 25 {
		t.Errorf("loss metric %+v, want sum %v over 25", ms[0], 25*loss)
	}
	if ms[1].Name != "accuracy" || ms[1].Sum != float64(correct) || ms[1].N != 25 {
		t.Errorf("accuracy metric %+v, want %d over 25", ms[1], correct)
	}
}

// TestEvaluateMeansOverSamples: Evaluate's loss is the mean over samples
// whatever the batch size, also with a smaller last batch.
func TestEvaluateMeansOverSamples(t *testing.T) {
	c := newClassifier(0.05)
	ds := blobs(2, 10) // 30 samples: batches of 4 leave 2
	whole := firstBatch(ds, 30)
	want := nn.CrossEntropy(c.Net.Forward(tensor.FromFloat32(whole.X, whole.Shape...)), tensor.FromInts(whole.Labels)).Item()
	for _, batch := range []int{4, 7, 30} {
		ev := Evaluate(c.Net, ds, batch)
		if math.Abs(ev.Loss-want) > 1e-6*want {
			t.Errorf("batch %d: loss %v, want %v", batch, ev.Loss, want)
		}
		if len(ev.Probs) != 30*3 || ev.Classes != 3 {
			t.Errorf("batch %d: %d probabilities of %d classes", batch, len(ev.Probs), ev.Classes)
		}
	}
}

// linearTask is a LossTask on a 2→1 linear model whose loss is the mean of
// 100·output, so that the gradient is large.
func linearTask(clip float64) *LossTask {
	net := nn.NewSequential(nn.NewLinear(tensor.NewRand(3), 2, 1))
	return &LossTask{Net: net, Opt: optim.NewSGD(net.Params(), optim.SGDConfig{LR: 1}), ClipNorm: clip,
		Loss: func(b *data.Batch) (*tensor.Tensor, Metrics) {
			out := net.Forward(tensor.FromFloat32(b.X, b.Shape...))
			return tensor.MulScalar(tensor.Mean(out), 100), Metrics{{Name: "n", Sum: float64(b.Size()), N: 1}}
		}}
}

// step runs one step of task on b and returns the global norm of the
// weights' change (the learning rate is 1: the norm of the gradient used).
func step(t *testing.T, task *LossTask, b *data.Batch) (float64, Metrics) {
	t.Helper()
	var before []float64
	for _, p := range task.Net.Params() {
		before = append(before, p.Tensor.Values()...)
	}
	ms, err := task.Step(b)
	if err != nil {
		t.Fatal(err)
	}
	var sq float64
	i := 0
	for _, p := range task.Net.Params() {
		for _, v := range p.Tensor.Values() {
			sq += (v - before[i]) * (v - before[i])
			i++
		}
	}
	return math.Sqrt(sq), ms
}

// TestLossTaskStep: the loss metric is mean × batch size, followed by
// Loss's metrics; ClipNorm > 0 clips the gradient's norm to it, 0 leaves
// it alone.
func TestLossTaskStep(t *testing.T) {
	b := firstBatch(blobs(1, 40), 6)
	free := linearTask(0)
	l, _ := free.Loss(b)
	want := l.Item() * 6
	norm, ms := step(t, free, b)
	if len(ms) != 2 || ms[0].Name != "loss" || math.Abs(ms[0].Sum-want) > 1e-9*math.Abs(want) || ms[0].N != 6 || ms[1].Name != "n" {
		t.Errorf("metrics %+v, want loss %v over 6, then n", ms, want)
	}
	if norm < 50 {
		t.Errorf("unclipped step of norm %v, want the gradient's (above 50)", norm)
	}
	clipped, _ := step(t, linearTask(0.5), b)
	if math.Abs(clipped-0.5) > 1e-5 {
		t.Errorf("step clipped to 0.5 has norm %v", clipped)
	}
}

// TestLossTaskEvaluateMeans: the default Evaluate averages the loss over
// samples whatever the batch size.
func TestLossTaskEvaluateMeans(t *testing.T) {
	ds := blobs(2, 10) // 30 samples
	task := linearTask(0)
	var got []float64
	for _, batch := range []int{30, 4, 7} {
		task.EvalBatch = batch
		ms, err := task.Evaluate(context.Background(), ds)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ms.Get("loss"))
	}
	for _, g := range got[1:] {
		if math.Abs(g-got[0]) > 1e-5*math.Abs(got[0]) {
			t.Errorf("loss by batch size 30, 4, 7: %v", got)
		}
	}
}

// TestMetricString: a metric shows its label (its name when it has none)
// and its mean, as a percentage when it is one.
func TestMetricString(t *testing.T) {
	for _, c := range []struct {
		m    Metric
		want string
	}{
		{Metric{Name: "loss", Sum: 1, N: 2}, "loss 0.5000"},
		{Metric{Name: "accuracy", Label: "acc", Percent: true, Sum: 39, N: 40}, "acc 97.50%"},
	} {
		if got := c.m.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.m, got, c.want)
		}
	}
}

// TestEpochStatsNeedsEpoch: a record without "epoch" is refused.
func TestEpochStatsNeedsEpoch(t *testing.T) {
	var s EpochStats
	err := json.Unmarshal([]byte(`{"lr":0.1,"train_loss":2}`), &s)
	if err == nil || !strings.Contains(err.Error(), `without "epoch"`) {
		t.Errorf("got %v, want the missing epoch refused", err)
	}
}
