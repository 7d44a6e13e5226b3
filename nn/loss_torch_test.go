package nn_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// This file checks the losses against reference values produced by
// PyTorch (testdata/gen_losses.py writes testdata/losses_torch.json; the
// test itself needs no Python). The inputs are float32 values and the
// reference is torch autograd in float64 on exactly those values. Each case
// runs in Float64, compared with |got − want| ≤ 1e-12·(|want| + 1), and in
// Float32, compared with |got − want| ≤ 1e-5·(|want| + 1e-2·max(1, M)),
// M the largest |want| in the compared tensor: 1e-5 relative plus an
// absolute floor of about two float32 ulps at the tensor's scale, for
// results that are sums of cancelling terms (softmax − y where y ≈ 1).

type lossRefTensor struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

type lossRefCase struct {
	Name   string          `json:"name"`
	Loss   string          `json:"loss"`
	Inputs []lossRefTensor `json:"inputs"`
	Target *lossRefTensor  `json:"target"`
	Labels []int           `json:"labels"`
	Params map[string]any  `json:"params"`
	Output lossRefTensor   `json:"output"`
	Grads  []lossRefTensor `json:"grads"`
}

func (r lossRefTensor) mk(dt tensor.DType) *tensor.Tensor {
	if len(r.Shape) == 0 {
		return tensor.FullOf(dt, r.Data[0])
	}
	return tensor.FromValues(dt, r.Data, r.Shape...)
}

func lossTol(dt tensor.DType) func(want, scale float64) float64 {
	if dt == tensor.Float64 {
		return func(want, _ float64) float64 { return 1e-12 * (math.Abs(want) + 1) }
	}
	return func(want, scale float64) float64 { return 1e-5 * (math.Abs(want) + 1e-2*max(1, scale)) }
}

// compareLossRef returns an error describing the elements of got that
// differ from want beyond tol, or a shape mismatch.
func compareLossRef(what string, got *tensor.Tensor, want lossRefTensor, tol func(want, scale float64) float64) error {
	if got == nil {
		return fmt.Errorf("%s: no gradient", what)
	}
	if fmt.Sprint(got.Shape()) != fmt.Sprint(want.Shape) {
		return fmt.Errorf("%s: shape %v, want %v", what, got.Shape(), want.Shape)
	}
	scale := 0.0
	for _, w := range want.Data {
		scale = max(scale, math.Abs(w))
	}
	vals := got.Values()
	msg, bad := "", 0
	for i, w := range want.Data {
		if d := math.Abs(vals[i] - w); d <= tol(w, scale) { // NaN fails here
			continue
		}
		if bad < 4 {
			msg += fmt.Sprintf("\n  [%d] got %.9g want %.9g (diff %.3g, tol %.3g)", i, vals[i], w, vals[i]-w, tol(w, scale))
		}
		bad++
	}
	if bad > 0 {
		return fmt.Errorf("%s: %d of %d elements differ:%s", what, bad, len(want.Data), msg)
	}
	return nil
}

// runLossCase computes c's loss in dtype dt and returns the loss and the
// gradient of every input.
func runLossCase(t *testing.T, c lossRefCase, dt tensor.DType) (*tensor.Tensor, []*tensor.Tensor) {
	t.Helper()
	in := make([]*tensor.Tensor, len(c.Inputs))
	for i, r := range c.Inputs {
		in[i] = r.mk(dt).SetRequiresGrad(true)
	}
	var y *tensor.Tensor
	if c.Target != nil {
		y = c.Target.mk(dt)
	}
	need := func(inputs int, target, labels bool) {
		t.Helper()
		if len(in) != inputs || (y != nil) != target || (c.Labels != nil) != labels {
			t.Fatalf("%s: fixture has %d inputs, target %v, labels %v", c.Loss, len(in), y != nil, c.Labels != nil)
		}
	}
	lambda := func() float64 {
		v, ok := c.Params["lambda"].(float64)
		if !ok {
			t.Fatalf("%s: missing parameter lambda", c.Loss)
		}
		return v
	}
	var loss *tensor.Tensor
	switch c.Loss {
	case "MSE":
		need(1, true, false)
		loss = nn.MSE(in[0], y)
	case "BCE":
		need(1, true, false)
		loss = nn.BCE(in[0], y)
	case "BCEWithLogits":
		need(1, true, false)
		loss = nn.BCEWithLogits(in[0], y)
	case "CrossEntropy":
		need(1, false, true)
		loss = nn.CrossEntropy(in[0], tensor.FromInts(c.Labels))
	case "CrossEntropyOneHot":
		need(1, true, false)
		loss = nn.CrossEntropyOneHot(in[0], y)
	case "L2":
		loss = nn.L2(lambda(), in...)
	case "SoftmaxCrossEntropyWithLogits":
		// the explicit interface: no autodiff, gradient by BackwardInputs
		need(1, true, false)
		var l nn.SoftmaxCrossEntropyWithLogits
		v := l.Forward(in[0], y)
		return tensor.FullOf(tensor.Float64, v), []*tensor.Tensor{l.BackwardInputs(in[0], y)}
	case "L2Regularizer":
		need(1, false, false)
		r := &nn.L2Regularizer{Weights: in[0], Lambda: lambda(), Name: "w"}
		v := r.Forward()
		pg := r.BackwardParams()
		if len(pg) != 1 || pg[0].Param != in[0] {
			t.Fatalf("L2Regularizer.BackwardParams returned %d pairs, want the weight's", len(pg))
		}
		return tensor.FullOf(tensor.Float64, v), []*tensor.Tensor{pg[0].Grad}
	default:
		t.Fatalf("unknown loss %q in fixture (update runLossCase or gen_losses.py)", c.Loss)
	}
	loss.Backward()
	grads := make([]*tensor.Tensor, len(in))
	for i, x := range in {
		grads[i] = x.Grad()
	}
	return loss, grads
}

func TestLossesAgainstTorch(t *testing.T) {
	b, err := os.ReadFile("testdata/losses_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []lossRefCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) == 0 {
		t.Fatal("no cases in testdata/losses_torch.json")
	}
	for _, c := range f.Cases {
		for _, dt := range []tensor.DType{tensor.Float64, tensor.Float32} {
			t.Run(c.Name+"/"+dt.String(), func(t *testing.T) {
				if len(c.Grads) != len(c.Inputs) {
					t.Fatalf("fixture has %d gradients for %d inputs", len(c.Grads), len(c.Inputs))
				}
				loss, grads := runLossCase(t, c, dt)
				tol := lossTol(dt)
				if err := compareLossRef("loss", loss, c.Output, tol); err != nil {
					t.Error(err)
				}
				for i, g := range grads {
					if g != nil && g.DType() != dt {
						t.Errorf("gradient %d has dtype %v, want %v", i, g.DType(), dt)
					}
					if err := compareLossRef(fmt.Sprintf("grad of input %d", i), g, c.Grads[i], tol); err != nil {
						t.Error(err)
					}
				}
			})
		}
	}
}
