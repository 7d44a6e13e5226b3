package optim

import (
	"math"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// clipOracle is the clipping part of testdata/optim_torch.json.
type clipOracle struct {
	Shapes   [][]int       `json:"shapes"`
	Init     [][]float64   `json:"init"`
	Grads    [][][]float64 `json:"grads"`
	ClipNorm []struct {
		MaxNorm float64     `json:"max_norm"`
		Norm    float64     `json:"norm"`
		Grads   [][]float64 `json:"grads"`
	} `json:"clip_norm"`
	ClipValue struct {
		Value float64     `json:"value"`
		Grads [][]float64 `json:"grads"`
	} `json:"clip_value"`
}

// gradParams returns parameters of dtype dt holding the first step's
// gradients of the oracle problem.
func gradParams(o *clipOracle, dt tensor.DType) []nn.Param {
	ps := make([]nn.Param, len(o.Shapes))
	for i, sh := range o.Shapes {
		p := tensor.FromValues(dt, o.Init[i], sh...)
		p.SetGrad(tensor.FromValues(dt, o.Grads[0][i], sh...))
		ps[i] = nn.Param{Name: "p", Tensor: p}
	}
	return ps
}

// checkGrads compares the gradients of ps with want.
func checkGrads(t *testing.T, ps []nn.Param, want [][]float64, tol float64) {
	t.Helper()
	for i, p := range ps {
		got := p.Tensor.Grad().Values()
		for j, w := range want[i] {
			if math.Abs(got[j]-w) > tol*math.Max(math.Abs(w), 1) {
				t.Fatalf("grad %d[%d] = %.17g, want %.17g", i, j, got[j], w)
			}
		}
	}
}

func TestClipAgainstTorch(t *testing.T) {
	var o clipOracle
	loadJSON(t, &o)
	if len(o.ClipNorm) == 0 || o.ClipValue.Grads == nil {
		t.Fatal("oracle has no clipping data")
	}
	for _, dt := range []tensor.DType{tensor.Float64, tensor.Float32} {
		tol := 1e-12
		if dt == tensor.Float32 {
			tol = 1e-6
		}
		for _, c := range o.ClipNorm {
			ps := gradParams(&o, dt)
			norm := ClipGradNorm(ps, c.MaxNorm)
			if math.Abs(norm-c.Norm) > tol*c.Norm {
				t.Errorf("%v max %v: norm %.17g, want %.17g", dt, c.MaxNorm, norm, c.Norm)
			}
			checkGrads(t, ps, c.Grads, tol)
			if n := GradNorm(ps); c.MaxNorm < c.Norm && math.Abs(n-c.MaxNorm) > 1e-5 {
				t.Errorf("%v: norm after clipping %v, want about %v", dt, n, c.MaxNorm)
			}
		}
		ps := gradParams(&o, dt)
		ClipGradValue(ps, o.ClipValue.Value)
		checkGrads(t, ps, o.ClipValue.Grads, tol)
	}
}

func TestClipSkipsNilAndDuplicates(t *testing.T) {
	a := tensor.FromFloat64([]float64{3, 0}, 2)
	a.SetGrad(tensor.FromFloat64([]float64{3, 4}, 2))
	b := tensor.FromFloat64([]float64{1}, 1) // no gradient
	ps := []nn.Param{{Name: "a", Tensor: a}, {Name: "b", Tensor: b}, {Name: "a again", Tensor: a}}
	if n := GradNorm(ps); n != 5 {
		t.Fatalf("GradNorm = %v, want 5 (a counted once)", n)
	}
	if n := ClipGradNorm(ps, 1); n != 5 {
		t.Fatalf("ClipGradNorm = %v, want 5", n)
	}
	g := a.Grad().Float64s()
	if c := 1 / (5 + 1e-6); math.Abs(g[0]-3*c) > 1e-15 || math.Abs(g[1]-4*c) > 1e-15 {
		t.Fatalf("clipped grad %v (scaled twice?)", g)
	}
	if b.Grad() != nil {
		t.Fatal("nil gradient was created")
	}
	ClipGradValue(ps, 0.5)
	if g := a.Grad().Float64s(); g[0] != 0.5 || g[1] != 0.5 { // from about 0.6, 0.8
		t.Fatalf("ClipGradValue: %v", g)
	}
}

func TestClipNonFinite(t *testing.T) {
	a := tensor.FromFloat32([]float32{0, 0}, 2)
	a.SetGrad(tensor.FromFloat32([]float32{float32(math.Inf(1)), 1}, 2))
	ps := []nn.Param{{Name: "a", Tensor: a}}
	if n := ClipGradNorm(ps, 1); !math.IsInf(n, 1) {
		t.Fatalf("norm %v, want +Inf", n)
	}
	if g := a.Grad().Float32s(); g[1] != 1 {
		t.Fatalf("gradients changed on infinite norm: %v", g)
	}
	a.SetGrad(tensor.FromFloat32([]float32{float32(math.NaN()), 7}, 2))
	ClipGradValue(ps, 2)
	if g := a.Grad().Float32s(); !math.IsNaN(float64(g[0])) || g[1] != 2 {
		t.Fatalf("ClipGradValue: %v", g)
	}
}

func TestClipPanics(t *testing.T) {
	for name, fn := range map[string]func(){
		"norm":  func() { ClipGradNorm(nil, -1) },
		"nan":   func() { ClipGradNorm(nil, math.NaN()) },
		"value": func() { ClipGradValue(nil, -1) },
	} {
		func() {
			defer func() {
				if _, ok := recover().(*ConfigError); !ok {
					t.Errorf("%s: no *ConfigError panic", name)
				}
			}()
			fn()
		}()
	}
}
