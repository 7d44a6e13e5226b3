package train

import (
	"context"
	"math"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/metrics"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// Classifier is the task of supervised classification: the model maps a
// batch of samples to logits (batch × classes), trained with cross-entropy
// against the integer labels of any data.Dataset. Its metrics are "loss"
// (mean cross-entropy) and "accuracy".
type Classifier struct {
	Net       nn.Module
	Opt       optim.Optimizer
	EvalBatch int // batch size for Evaluate; 100 when 0
	// L2 is λ of lab 2's L2 regularisation (RegularizedLoss with
	// nn.L2Regularizers): Step minimises the cross-entropy plus λ‖w‖² of
	// every weight with two or more axes, biases and per-channel scales
	// left out (0: none). The "loss" metric stays the cross-entropy alone,
	// comparable with the validation loss. Unlike an optimizer's weight
	// decay wd, which pulls every parameter by wd·p, the penalty's gradient
	// is 2λw on the weights only.
	L2 float64
}

// Model returns the classifier's network.
func (c *Classifier) Model() nn.Module { return c.Net }

// Optimizers returns the one optimizer.
func (c *Classifier) Optimizers() []optim.Optimizer { return []optim.Optimizer{c.Opt} }

// Step runs forward, cross-entropy (plus the L2 penalty), backward and an
// optimizer update on b. A non-finite loss stops it before the update.
func (c *Classifier) Step(b *data.Batch) (Metrics, error) {
	x := tensor.FromFloat32(b.X, b.Shape...)
	logits := c.Net.Forward(x)
	loss := nn.CrossEntropy(logits, tensor.FromInts(b.Labels))
	l := loss.Item()
	if err := CheckFinite("loss", l); err != nil {
		return nil, err
	}
	if c.L2 > 0 {
		var ws []*tensor.Tensor
		for _, r := range nn.L2Regularizers(c.Net, c.L2) {
			ws = append(ws, r.Weights)
		}
		loss = nn.Regularized(loss, nn.L2(c.L2, ws...))
	}
	c.Opt.ZeroGrad()
	loss.Backward()
	c.Opt.Step()
	n := b.Size()
	correct := 0
	for i, p := range tensor.Argmax(logits.Detach(), 1).Ints() {
		if p == b.Labels[i] {
			correct++
		}
	}
	return classMetrics(l*float64(n), float64(correct), float64(n)), nil
}

// Evaluate returns the loss and accuracy of the network on ds. It runs to
// the end whatever ctx says: validation is short next to an epoch.
func (c *Classifier) Evaluate(ctx context.Context, ds data.Dataset) (Metrics, error) {
	batch := c.EvalBatch
	if batch == 0 {
		batch = 100
	}
	ev := Evaluate(c.Net, ds, batch)
	if ev.Confusion == nil {
		return classMetrics(0, 0, 0), nil
	}
	return Metrics{ // the means themselves (N = 1), so that Value returns them exactly
		{Name: "loss", Label: "loss", Sum: ev.Loss, N: 1},
		{Name: "accuracy", Label: "acc", Percent: true, Sum: ev.Accuracy, N: 1},
	}, nil
}

func classMetrics(lossSum, correct, n float64) Metrics {
	return Metrics{
		{Name: "loss", Label: "loss", Sum: lossSum, N: n},
		{Name: "accuracy", Label: "acc", Percent: true, Sum: correct, N: n},
	}
}

// Evaluation is a classifier's performance on a labelled set.
type Evaluation struct {
	Loss      float64
	Accuracy  float64
	Confusion *metrics.Confusion
	// Probs holds the softmax output for every sample (N×classes), for the
	// worst-misclassified plot.
	Probs   []float32
	Classes int
}

// Evaluate runs the classifier m in evaluation mode over ds, without
// recording gradients, and returns its mean cross-entropy, accuracy,
// confusion matrix and class probabilities.
func Evaluate(m nn.Module, ds data.Dataset, batch int) *Evaluation {
	m.SetTraining(false)
	defer m.SetTraining(true)
	ev := &Evaluation{}
	loader := data.NewLoader(ds, batch)
	var sum float64
	n := 0
	tensor.NoGrad(func() {
		for b := range loader.Epoch() {
			logits := m.Forward(tensor.FromFloat32(b.X, b.Shape...))
			if ev.Confusion == nil {
				ev.Classes = logits.Dim(1)
				ev.Confusion = metrics.NewConfusion(ev.Classes)
				ev.Probs = make([]float32, 0, ds.Len()*ev.Classes)
			}
			sum += nn.CrossEntropy(logits, tensor.FromInts(b.Labels)).Item() * float64(b.Size())
			ev.Confusion.AddAll(b.Labels, tensor.Argmax(logits, 1).Ints())
			ev.Probs = append(ev.Probs, tensor.Softmax(logits, 1).Float32s()...)
			n += b.Size()
		}
	})
	if n == 0 {
		ev.Loss, ev.Accuracy = math.NaN(), math.NaN()
		return ev
	}
	ev.Loss = sum / float64(n)
	ev.Accuracy = ev.Confusion.Accuracy()
	return ev
}
