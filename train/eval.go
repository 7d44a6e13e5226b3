package train

import (
	"math"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/metrics"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// Evaluation is a model's performance on a labelled set.
type Evaluation struct {
	Loss      float64
	Accuracy  float64
	Confusion *metrics.Confusion
	// Probs holds the softmax output for every sample (N×classes), for the
	// worst-misclassified plot.
	Probs   []float32
	Classes int
}

// Evaluate runs m in evaluation mode over ds, without recording gradients.
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
