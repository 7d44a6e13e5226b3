package nn_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// bilinearCase is one torch.nn.Bilinear run by testdata/gen_bilinear.py.
type bilinearCase struct {
	Name       string       `json:"name"`
	In1        int          `json:"in1"`
	In2        int          `json:"in2"`
	Out        int          `json:"out"`
	Bias       bool         `json:"bias"`
	X1         torchTensor  `json:"x1"`
	X2         torchTensor  `json:"x2"`
	GradOut    torchTensor  `json:"grad_out"`
	Weight     torchTensor  `json:"weight"`
	BiasT      *torchTensor `json:"bias_t"`
	Output     torchTensor  `json:"output"`
	GradX1     torchTensor  `json:"grad_x1"`
	GradX2     torchTensor  `json:"grad_x2"`
	GradWeight torchTensor  `json:"grad_weight"`
	GradBias   *torchTensor `json:"grad_bias"`
}

// TestBilinearAgainstPyTorch compares the output and every gradient, from
// the explicit methods and from autodiff, with torch.nn.Bilinear.
func TestBilinearAgainstPyTorch(t *testing.T) {
	raw, err := os.ReadFile("testdata/bilinear_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []bilinearCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			var opts []nn.BilinearOption
			if !c.Bias {
				opts = append(opts, nn.BilinearNoBias())
			}
			bl := nn.NewBilinear(tensor.NewRand(1), c.In1, c.In2, c.Out, opts...)
			nn.To(bl, tensor.Float64)
			bl.Weight.CopyFrom(c.Weight.to(tensor.Float64))
			if c.Bias {
				bl.Bias.CopyFrom(c.BiasT.to(tensor.Float64))
			}
			const tol = 1e-12
			x1, x2, g := c.X1.to(tensor.Float64), c.X2.to(tensor.Float64), c.GradOut.to(tensor.Float64)
			gs := []*tensor.Tensor{g}

			// Explicit methods.
			y := bl.ForwardN(x1, x2)[0]
			closeRel(t, "output", y, c.Output, tol)
			dx := bl.BackwardInputsN(gs)
			closeRel(t, "explicit grad x1", dx[0], c.GradX1, tol)
			closeRel(t, "explicit grad x2", dx[1], c.GradX2, tol)
			pgs := bl.BackwardParamsN(gs)
			closeRel(t, "explicit grad weight", pgs[0].Grad, c.GradWeight, tol)
			if c.Bias {
				closeRel(t, "explicit grad bias", pgs[1].Grad, *c.GradBias, tol)
			}

			// Autodiff.
			x1.SetRequiresGrad(true)
			x2.SetRequiresGrad(true)
			bl.ForwardN(x1, x2)[0].BackwardWith(g)
			closeRel(t, "autodiff grad x1", x1.Grad(), c.GradX1, tol)
			closeRel(t, "autodiff grad x2", x2.Grad(), c.GradX2, tol)
			closeRel(t, "autodiff grad weight", bl.Weight.Grad(), c.GradWeight, tol)
			if c.Bias {
				closeRel(t, "autodiff grad bias", bl.Bias.Grad(), *c.GradBias, tol)
			}
		})
	}
}

// TestBilinearInit checks PyTorch's initialisation bound ±1/√in1.
func TestBilinearInit(t *testing.T) {
	bl := nn.NewBilinear(tensor.NewRand(3), 16, 5, 7)
	for _, p := range bl.Params() {
		lo, hi := 1.0, -1.0
		for _, v := range p.Tensor.Values() {
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo < -0.25 || hi > 0.25 || hi-lo < 0.3 {
			t.Errorf("%s in [%g, %g], want spread over ±1/√16 = ±0.25", p.Name, lo, hi)
		}
	}
}
