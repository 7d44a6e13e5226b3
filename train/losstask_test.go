package train

import (
	"context"
	"math"
	"testing"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// TestLossTaskRegression fits y = 2x₀ − x₁ with a LossTask (mean squared
// error, a mean-absolute-error metric, gradient clipping) through the
// Trainer: the validation loss falls well below its starting value.
func TestLossTaskRegression(t *testing.T) {
	ds := blobs(5, 50) // the labels are ignored; targets come from x
	net := nn.NewSequential(nn.NewLinear(tensor.NewRand(3), 2, 1))
	targets := func(b *data.Batch) *tensor.Tensor {
		y := make([]float32, b.Size())
		for i := range y {
			y[i] = 2*b.X[2*i] - b.X[2*i+1]
		}
		return tensor.FromFloat32(y, b.Size(), 1)
	}
	task := &LossTask{
		Net: net, Opt: optim.NewSGD(net.Params(), optim.SGDConfig{LR: 0.02}), ClipNorm: 5,
		Loss: func(b *data.Batch) (*tensor.Tensor, Metrics) {
			pred := net.Forward(tensor.FromFloat32(b.X, b.Shape...))
			y := targets(b)
			var abs float64
			for i, v := range pred.Values() {
				abs += math.Abs(v - y.Values()[i])
			}
			return nn.MSE(pred, y), Metrics{{Name: "mae", Sum: abs, N: float64(b.Size())}}
		},
	}
	start, err := task.Evaluate(context.Background(), ds)
	if err != nil {
		t.Fatal(err)
	}
	tr := &Trainer{Task: task, Train: ds, Val: ds, Batch: 10, Seed: 1, Epochs: 20}
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	last := res.History[len(res.History)-1]
	if got, was := last.Val.Get("loss"), start.Get("loss"); !(got < was/100) {
		t.Fatalf("validation MSE %v after 20 epochs, %v before", got, was)
	}
	if math.IsNaN(last.Train.Get("mae")) || last.Val.Get("mae") > 0.1 {
		t.Fatalf("mae train %v val %v", last.Train.Get("mae"), last.Val.Get("mae"))
	}
}
