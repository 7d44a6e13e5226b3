package nn_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

type hingeRef struct {
	Name   string        `json:"name"`
	Margin float64       `json:"margin"`
	Scores lossRefTensor `json:"scores"`
	Labels []int         `json:"labels"`
	Loss   float64       `json:"loss"`
	Grad   lossRefTensor `json:"grad"`
}

// TestHingeAgainstTorch compares MultiMargin (autodiff) and
// MultiClassHinge (explicit, with labels and with one-hot targets) with
// PyTorch's F.multi_margin_loss (testdata/gen_hinge.py writes
// testdata/hinge_torch.json), in Float64 and Float32, with the losses'
// tolerances (see loss_torch_test.go).
func TestHingeAgainstTorch(t *testing.T) {
	b, err := os.ReadFile("testdata/hinge_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []hingeRef
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 6 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, c := range cases {
		for _, dt := range []tensor.DType{tensor.Float64, tensor.Float32} {
			t.Run(c.Name+"/"+dt.String(), func(t *testing.T) {
				tol := lossTol(dt)
				want := lossRefTensor{Shape: []int{}, Data: []float64{c.Loss}}
				labels := tensor.FromInts(c.Labels)
				// autodiff
				x := c.Scores.mk(dt).SetRequiresGrad(true)
				loss := nn.MultiMargin(x, labels, nn.Margin(c.Margin))
				loss.Backward()
				if err := compareLossRef("MultiMargin loss", loss, want, tol); err != nil {
					t.Error(err)
				}
				if err := compareLossRef("MultiMargin grad", x.Grad(), c.Grad, tol); err != nil {
					t.Error(err)
				}
				// explicit, with labels and with one-hot targets
				h := nn.MultiClassHinge{Margin: c.Margin}
				oneHot := tensor.OneHot(dt, labels, c.Scores.Shape[1])
				for _, y := range []*tensor.Tensor{labels, oneHot} {
					xe := c.Scores.mk(dt)
					if err := compareLossRef("Forward", tensor.ScalarOf(tensor.Float64, h.Forward(xe, y)), want, tol); err != nil {
						t.Errorf("y %v: %v", y.DType(), err)
					}
					if err := compareLossRef("BackwardInputs", h.BackwardInputs(xe, y), c.Grad, tol); err != nil {
						t.Errorf("y %v: %v", y.DType(), err)
					}
				}
			})
		}
	}
}

// TestHingeGradcheck checks both gradients against central differences in
// float64 on scores away from the hinges' kinks.
func TestHingeGradcheck(t *testing.T) {
	x := rnd(3, 6, 4)
	labels := tensor.FromInts([]int{0, 3, 1, 2, 2, 0})
	for _, m := range []float64{1, 0.3} {
		rep := gradcheck.Func(func(in []*tensor.Tensor) *tensor.Tensor { return nn.MultiMargin(in[0], labels, nn.Margin(m)) }, []*tensor.Tensor{x.Clone()})
		if !rep.OK() {
			t.Errorf("MultiMargin margin %g:\n%s", m, rep)
		}
		// the explicit BackwardInputs against differences of Forward
		h := nn.MultiClassHinge{Margin: m}
		g := h.BackwardInputs(x, labels)
		const eps = 1e-6
		for i := range x.Len() {
			v := x.Flat(i)
			x.SetFlat(i, v+eps)
			up := h.Forward(x, labels)
			x.SetFlat(i, v-eps)
			down := h.Forward(x, labels)
			x.SetFlat(i, v)
			if num := (up - down) / (2 * eps); math.Abs(num-g.Flat(i)) > 1e-6 {
				t.Errorf("margin %g: explicit ∂L/∂x[%d] = %g, numerical %g", m, i, g.Flat(i), num)
			}
		}
	}
}

func TestHingeErrors(t *testing.T) {
	x := tensor.Zeros(2, 3)
	for _, c := range []struct {
		f    func()
		want string
	}{
		{func() { nn.MultiMargin(x, tensor.FromInts([]int{0, 3})) }, "label 3 of sample 1 is outside [0, 3)"},
		{func() { nn.MultiMargin(x, tensor.Zeros(2)) }, "labels must be an Int64 tensor"},
		{func() { nn.MultiMargin(x, tensor.FromInts([]int{0})) }, "want scores [N, C] and labels [N]"},
		{func() { nn.MultiClassHinge{}.Forward(x, tensor.Zeros(2, 4)) }, "prediction and target shapes differ"},
	} {
		if err := recoverErr(c.f); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}

// TestHingeCounts checks the declared operation counts of MultiMargin's
// record on [2, 3] scores: per sample 2 terms of 2 additions and one
// comparison, 1 addition summing them; 1 addition over the batch, 1 scaling.
func TestHingeCounts(t *testing.T) {
	x := tensor.Zeros(2, 3).SetRequiresGrad(true)
	loss := nn.MultiMargin(x, tensor.FromInts([]int{0, 2}))
	op := loss.Op()
	if got := op.CountsFor(loss.Shape(), [][]int{x.Shape()}); got != (tensor.Counts{Mul: 1, Add: 11, Other: 4}) || op.String() != "MultiMargin" {
		t.Errorf("%s counts %v", op, got)
	}
	if !op.Def().Known() {
		t.Errorf("incomplete declaration")
	}
}

// The multiclass hinge loss of two samples: the first is classified with
// a margin of at least 1 (no loss); the second's true class 0 scores below
// class 2, which adds 1 − 0 + 0.5 = 1.5, divided by C·N = 6.
func ExampleMultiMargin() {
	s := tensor.FromFloat64([]float64{
		3, 1, 0,
		0, -2, 0.5,
	}, 2, 3)
	fmt.Printf("%.4f\n", nn.MultiMargin(s, tensor.FromInts([]int{0, 0})).Item())
	// Output: 0.2500
}
