package nn_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// generativeCase is one case of testdata/generative_torch.json
// (gen_generative.py).
type generativeCase struct {
	Name     string        `json:"name"`
	Op       string        `json:"op"`
	Inputs   []torchTensor `json:"inputs"`
	Upstream *torchTensor  `json:"upstream"`
	Output   torchTensor   `json:"output"`
	Grads    []torchTensor `json:"grads"`
}

// TestGenerativeAgainstTorch compares GaussianKL (value, autodiff and
// closed-form gradients) and the Softplus layer (output, explicit and
// autodiff gradients) with PyTorch: float64 to 1e-12, float32 to 1e-5
// relative to the largest reference value.
func TestGenerativeAgainstTorch(t *testing.T) {
	b, err := os.ReadFile("testdata/generative_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []generativeCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) < 6 {
		t.Fatalf("%d cases", len(f.Cases))
	}
	for _, c := range f.Cases {
		for _, dt := range []tensor.DType{tensor.Float64, tensor.Float32} {
			check := func(what string, got *tensor.Tensor, want torchTensor) {
				t.Helper()
				scale := 0.0
				for _, v := range want.Data {
					scale = math.Max(scale, math.Abs(v))
				}
				tol := 1e-12 * (1 + scale)
				if dt == tensor.Float32 {
					tol = 1e-5 * (1 + scale)
				}
				gv := got.Values()
				if len(gv) != len(want.Data) {
					t.Fatalf("%s %v %s: %d values, torch %d", c.Name, dt, what, len(gv), len(want.Data))
				}
				for i, v := range gv {
					if !(math.Abs(v-want.Data[i]) <= tol) {
						t.Errorf("%s %v %s[%d] = %v, torch %v", c.Name, dt, what, i, v, want.Data[i])
						return
					}
				}
			}
			switch c.Op {
			case "GaussianKL":
				mu, lv := c.Inputs[0].to(dt).SetRequiresGrad(true), c.Inputs[1].to(dt).SetRequiresGrad(true)
				kl := nn.GaussianKL(mu, lv)
				kl.Backward()
				check("KL", kl, c.Output)
				check("∂KL/∂mu", mu.Grad(), c.Grads[0])
				check("∂KL/∂logvar", lv.Grad(), c.Grads[1])
				dmu, dlv := nn.GaussianKLGrads(mu.Detach(), lv.Detach())
				check("explicit ∂KL/∂mu", dmu, c.Grads[0])
				check("explicit ∂KL/∂logvar", dlv, c.Grads[1])
			case "Softplus":
				x, g := c.Inputs[0].to(dt), c.Upstream.to(dt)
				l := nn.NewSoftplus()
				check("output", l.Forward(x), c.Output)
				check("explicit dx", l.BackwardInputs(g), c.Grads[0])
				xr := x.Clone().SetRequiresGrad(true)
				l.Forward(xr).BackwardWith(g)
				check("autodiff dx", xr.Grad(), c.Grads[0])
			default:
				t.Fatalf("unknown op %q", c.Op)
			}
		}
	}
}

// TestGaussianKLGradcheck checks GaussianKL's recorded closed-form
// gradient against central differences in float64, and its value and
// gradients against the same formula built from elementary ops.
func TestGaussianKLGradcheck(t *testing.T) {
	mu, lv := rnd(1, 4, 3), rnd(2, 4, 3)
	f := func(in []*tensor.Tensor) *tensor.Tensor { return nn.GaussianKL(in[0], in[1]) }
	if err := gradcheck.Func(f, []*tensor.Tensor{mu, lv}).Err(); err != nil {
		t.Fatal(err)
	}
	elementary := func(in []*tensor.Tensor) *tensor.Tensor {
		m, l := in[0], in[1]
		s := tensor.Sum(tensor.Sub(tensor.Sub(tensor.AddScalar(l, 1), tensor.Square(m)), tensor.Exp(l)))
		return tensor.MulScalar(s, -0.5/float64(m.Dim(0)))
	}
	a := []*tensor.Tensor{mu.Clone().SetRequiresGrad(true), lv.Clone().SetRequiresGrad(true)}
	e := []*tensor.Tensor{mu.Clone().SetRequiresGrad(true), lv.Clone().SetRequiresGrad(true)}
	ka, ke := f(a), elementary(e)
	ka.Backward()
	ke.Backward()
	if math.Abs(ka.Item()-ke.Item()) > 1e-12 {
		t.Errorf("KL %v, elementary ops %v", ka.Item(), ke.Item())
	}
	for i := range a {
		if err := gradcheck.RelError(a[i].Grad().Values(), e[i].Grad().Values()); err > 1e-12 {
			t.Errorf("input %d: closed form vs elementary ops rel.err %g", i, err)
		}
	}
	// the declared counts and op name reach the record
	if op := ka.Op(); op.String() != "GaussianKL" || !op.CountsFor(nil, [][]int{{4, 3}, {4, 3}}).Known() {
		t.Errorf("record %v", op)
	}
}

func TestGaussianKLErrors(t *testing.T) {
	var se *tensor.ShapeError
	if err := convTCatch(func() { nn.GaussianKL(tensor.Zeros(2, 3), tensor.Zeros(2, 4)) }); !errors.As(err, &se) {
		t.Errorf("shapes differ: %v", err)
	}
	if err := convTCatch(func() { nn.GaussianKL(tensor.Scalar(1), tensor.Scalar(1)) }); !errors.As(err, &se) || se.Op != "GaussianKL" {
		t.Errorf("no batch axis: %v", err)
	}
	var de *tensor.DTypeError
	if err := convTCatch(func() { nn.GaussianKL(tensor.Zeros(2, 3), tensor.ZerosOf(tensor.Float64, 2, 3)) }); !errors.As(err, &de) {
		t.Errorf("dtypes differ: %v", err)
	}
}

// TestSoftplusLayer gradient-checks the Softplus layer's explicit backward
// and autodiff in float64, and its declared counts.
func TestSoftplusLayer(t *testing.T) {
	l := nn.NewSoftplus()
	x := tensor.MulScalar(rnd(1, 3, 4), 5)
	if rep := gradcheck.Layer(l, x); !rep.OK() {
		t.Fatalf("explicit backward:\n%s", rep)
	}
	if rep := gradcheck.Module(l, x); !rep.OK() {
		t.Fatalf("autodiff:\n%s", rep)
	}
	c, out := l.(nn.Counter).Counts([]int{3, 4})
	if !c.Known() || c.Total() == 0 || len(out) != 2 {
		t.Errorf("counts %v → %v", c, out)
	}
	if len(l.Params()) != 0 {
		t.Errorf("params %v", l.Params())
	}
}

// The KL term of a VAE for two samples with two latent dimensions: the
// first sample's posterior is the prior (KL 0), the second's is shifted by
// one in each dimension (KL ½·1² per dimension); the mean over the batch
// is ½.
func ExampleGaussianKL() {
	mu := tensor.FromFloat64([]float64{0, 0, 1, 1}, 2, 2).SetRequiresGrad(true)
	logvar := tensor.ZerosOf(tensor.Float64, 2, 2)
	kl := nn.GaussianKL(mu, logvar)
	kl.Backward()
	fmt.Println(kl.Item(), mu.Grad().Values())
	// Output: 0.5 [0 0 0.5 0.5]
}
