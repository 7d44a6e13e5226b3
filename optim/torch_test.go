package optim

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// torchOracle is testdata/optim_torch.json, written by gen_optim.py.
type torchOracle struct {
	Shapes [][]int       `json:"shapes"`
	Init   [][]float64   `json:"init"`
	Grads  [][][]float64 `json:"grads"` // [step][param] values, nil for no gradient
	Cases  []torchCase   `json:"cases"`
}

// torchCase is one optimizer configuration and its trajectories.
type torchCase struct {
	Name      string         `json:"name"`
	Optimizer string         `json:"optimizer"`
	Config    map[string]any `json:"config"`
	LRs       []float64      `json:"lrs"`     // per-step lr, or nil
	Float64   [][][]float64  `json:"float64"` // [step][param] values after the step
	Float32   [][][]float64  `json:"float32"`
}

// loadJSON decodes testdata/optim_torch.json into v.
func loadJSON(t *testing.T, v any) {
	t.Helper()
	b, err := os.ReadFile("testdata/optim_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// num reads a float config value with a default.
func num(c map[string]any, key string, def float64) float64 {
	if v, ok := c[key]; ok {
		return v.(float64)
	}
	return def
}

// flag reads a boolean config value.
func flag(c map[string]any, key string) bool {
	v, ok := c[key]
	return ok && v.(bool)
}

// build makes the optimizer of a case, mapping PyTorch's keyword arguments
// onto the config structs (PyTorch's defaults where the case gives none).
func build(t *testing.T, tc torchCase, params []nn.Param) Optimizer {
	c := tc.Config
	switch tc.Optimizer {
	case "SGD":
		return NewSGD(params, SGDConfig{
			LR: num(c, "lr", 0), Momentum: num(c, "momentum", 0), Dampening: num(c, "dampening", 0),
			WeightDecay: num(c, "weight_decay", 0), Nesterov: flag(c, "nesterov"),
		})
	case "Adam", "AdamW":
		cfg := AdamConfig{LR: num(c, "lr", 0), Eps: num(c, "eps", 0), AMSGrad: flag(c, "amsgrad")}
		if b, ok := c["betas"].([]any); ok {
			cfg.Betas = [2]float64{b[0].(float64), b[1].(float64)}
		}
		if tc.Optimizer == "Adam" {
			cfg.WeightDecay = num(c, "weight_decay", 0)
			return NewAdam(params, cfg)
		}
		cfg.WeightDecay = num(c, "weight_decay", 0.01) // PyTorch's AdamW default
		return NewAdamW(params, cfg)
	case "Adagrad":
		return NewAdagrad(params, AdagradConfig{
			LR: num(c, "lr", 0), LRDecay: num(c, "lr_decay", 0), WeightDecay: num(c, "weight_decay", 0),
			InitialAccumulatorValue: num(c, "initial_accumulator_value", 0), Eps: num(c, "eps", 0),
		})
	case "RMSprop":
		return NewRMSProp(params, RMSPropConfig{
			LR: num(c, "lr", 0), Alpha: num(c, "alpha", 0), Eps: num(c, "eps", 0),
			WeightDecay: num(c, "weight_decay", 0), Momentum: num(c, "momentum", 0), Centered: flag(c, "centered"),
		})
	}
	t.Fatalf("unknown optimizer %q", tc.Optimizer)
	return nil
}

// TestTorchOracle replays the recorded gradients through every optimizer
// configuration and compares the parameters after each step with PyTorch:
// float64 to 1e-10 and float32 to 1e-6, relative (see floor below).
func TestTorchOracle(t *testing.T) {
	o := new(torchOracle)
	loadJSON(t, o)
	if len(o.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, tc := range o.Cases {
		for _, dt := range []tensor.DType{tensor.Float64, tensor.Float32} {
			t.Run(tc.Name+"/"+dt.String(), func(t *testing.T) {
				// Float32 results are compared relative to max(|want|, 1):
				// an update p − lr·d that cancels to near zero keeps the
				// absolute rounding error of the O(1) operands (PyTorch
				// also fuses multiply-adds that Go rounds twice).
				want, tol, floor := tc.Float64, 1e-10, 1e-3
				if dt == tensor.Float32 {
					want, tol, floor = tc.Float32, 1e-6, 1.0
				}
				params := make([]nn.Param, len(o.Shapes))
				for i, sh := range o.Shapes {
					params[i] = nn.Param{Name: string(rune('a' + i)), Tensor: tensor.FromValues(dt, o.Init[i], sh...)}
				}
				opt := build(t, tc, params)
				for step, grads := range o.Grads {
					opt.ZeroGrad()
					for i, g := range grads {
						if g != nil {
							params[i].Tensor.SetGrad(tensor.FromValues(dt, g, o.Shapes[i]...))
						}
					}
					if tc.LRs != nil {
						opt.SetLR(tc.LRs[step])
					}
					opt.Step()
					for i, p := range params {
						got := p.Tensor.Values()
						for j, w := range want[step][i] {
							if d := math.Abs(got[j] - w); d > tol*math.Max(math.Abs(w), floor) {
								t.Fatalf("step %d param %d[%d]: got %.17g, want %.17g (rel %.3g)",
									step+1, i, j, got[j], w, d/math.Abs(w))
							}
						}
					}
				}
			})
		}
	}
}
