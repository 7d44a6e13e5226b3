package train

import (
	"math"
	"testing"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/optim"
)

// TestClassifierL2 takes one plain SGD step with and without the L2
// penalty from the same weights on the same batch: the weights must differ
// by exactly lr·2λw (the penalty's gradient), the biases not at all, and
// the reported loss must be the cross-entropy alone.
func TestClassifierL2(t *testing.T) {
	const lr, lambda = 0.1, 0.05
	ds := blobs(1, 4)
	var b *data.Batch
	for first := range data.NewLoader(ds, ds.Len()).Epoch() {
		b = first
		break
	}
	step := func(l2 float64) (*Classifier, Metrics) {
		c := newClassifier(lr)
		c.Opt = optim.NewSGD(c.Net.Params(), optim.SGDConfig{LR: lr})
		c.L2 = l2
		ms, err := c.Step(b)
		if err != nil {
			t.Fatal(err)
		}
		return c, ms
	}
	before := newClassifier(lr).Net.Params()
	plain, pm := step(0)
	reg, rm := step(lambda)
	if pm.Get("loss") != rm.Get("loss") {
		t.Errorf("loss %v with L2, %v without: the metric should be the cross-entropy", rm.Get("loss"), pm.Get("loss"))
	}
	for i, p := range reg.Net.Params() {
		w0, wp, wr := before[i].Tensor.Float32s(), plain.Net.Params()[i].Tensor.Float32s(), p.Tensor.Float32s()
		weight := p.Tensor.NDim() >= 2
		for j := range wr {
			want := float64(wp[j])
			if weight {
				want -= lr * 2 * lambda * float64(w0[j])
			}
			if math.Abs(float64(wr[j])-want) > 1e-6 {
				t.Fatalf("%s[%d] = %v after the step, want %v (weight: %v)", p.Name, j, wr[j], want, weight)
			}
		}
	}
}
