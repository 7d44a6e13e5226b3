package tensor_test

import (
	"encoding/json"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// TestConvTranspose2dAgainstTorch compares ConvTranspose2d's output and
// the gradients of x, weight and bias, through autodiff and through the
// explicit backward functions, with torch.nn.functional.conv_transpose2d
// (testdata/gen_convt.py → convt_torch.json): float64 to 1e-12, float32 to
// float32 accuracy. Both convolution paths run (the last case's batch
// takes the image-at-a-time path on 2 workers).
func TestConvTranspose2dAgainstTorch(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	cases := loadRefCases(t, "testdata/convt_torch.json")
	if len(cases) < 10 {
		t.Fatalf("%d cases", len(cases))
	}
	pair := func(c refCase, key string) [2]int {
		v, ok := c.Params[key].([]any)
		if !ok || len(v) != 2 {
			t.Fatalf("%s: param %s = %v", c.Name, key, c.Params[key])
		}
		return [2]int{int(v[0].(float64)), int(v[1].(float64))}
	}
	fused := 0
	for _, c := range cases {
		s, p, op, d := pair(c, "stride"), pair(c, "padding"), pair(c, "output_padding"), pair(c, "dilation")
		for _, dt := range []DType{Float64, Float32} {
			x, w := c.Inputs[0].mk(dt).SetRequiresGrad(true), c.Inputs[1].mk(dt).SetRequiresGrad(true)
			var b *Tensor
			if len(c.Inputs) > 2 {
				b = c.Inputs[2].mk(dt).SetRequiresGrad(true)
			}
			y := ConvTranspose2d(x, w, b, s, p, op, d)
			if y.Op().Fused {
				fused++
			}
			g := c.Upstream.mk(dt)
			y.BackwardWith(g)
			check := func(what string, got *Tensor, want refTensor) {
				if !sameShape(got.Shape(), want.Shape) {
					t.Errorf("%s %v %s: shape %v, torch %v", c.Name, dt, what, got.Shape(), want.Shape)
					return
				}
				scale := 0.0
				for _, v := range want.Data {
					scale = math.Max(scale, math.Abs(v))
				}
				tol := 1e-12 * (1 + scale)
				if dt == Float32 {
					tol = 2e-5 * (1 + scale)
				}
				for i, v := range got.Values() {
					if math.Abs(v-want.Data[i]) > tol {
						t.Errorf("%s %v %s[%d] = %v, torch %v", c.Name, dt, what, i, v, want.Data[i])
						return
					}
				}
			}
			check("output", y, c.Output)
			check("dx", x.Grad(), c.Grads[0])
			check("dw", w.Grad(), c.Grads[1])
			check("dx explicit", ConvTranspose2dBackwardInput(g, w.Detach(), x.Shape(), s, p, op, d), c.Grads[0])
			check("dw explicit", ConvTranspose2dBackwardWeight(g, x.Detach(), w.Shape(), s, p, op, d), c.Grads[1])
			if b != nil {
				check("db", b.Grad(), c.Grads[2])
				check("db explicit", Conv2dBackwardBias(g), c.Grads[2])
			}
		}
	}
	if fused == 0 {
		t.Error("no case ran image at a time")
	}
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestConvTranspose2dRejectsAsTorch checks that the settings PyTorch
// refuses (output padding not below the stride nor the dilation) panic
// with a *ShapeError naming the op.
func TestConvTranspose2dRejectsAsTorch(t *testing.T) {
	b, err := os.ReadFile("testdata/convt_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Rejected []struct {
			X, W                      []int
			Stride, Padding, Dilation [2]int
			OutputPad                 [2]int `json:"output_padding"`
			TorchError                string `json:"torch_error"`
		} `json:"rejected"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Rejected) < 3 {
		t.Fatalf("%d rejected settings", len(f.Rejected))
	}
	for _, r := range f.Rejected {
		func() {
			defer func() {
				e, ok := recover().(*ShapeError)
				if !ok || e.Op != "ConvTranspose2d" || !strings.Contains(e.Msg, "output padding") {
					t.Errorf("%v %v op %v: want a ShapeError like torch's %q, got %v", r.X, r.W, r.OutputPad, r.TorchError, e)
				}
			}()
			ConvTranspose2d(Zeros(r.X...), Zeros(r.W...), nil, r.Stride, r.Padding, r.OutputPad, r.Dilation)
		}()
	}
}
