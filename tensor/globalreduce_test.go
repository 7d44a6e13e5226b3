package tensor_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	. "github.com/duboko/duboko/tensor"
)

type amaxRef struct {
	Name     string `json:"name"`
	Op       string `json:"op"`
	Axes     []int  `json:"axes"`
	KeepDim  bool   `json:"keepdim"`
	Input    refT   `json:"input"`
	Upstream refT   `json:"upstream"`
	Output   refT   `json:"output"`
	Grad     refT   `json:"grad"`
}

type refT struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

func (r refT) mk(dt DType) *Tensor { return FromValues(dt, r.Data, r.Shape...) }

// TestAmaxTorch compares Amax, Amin and their KeepDim forms, values and
// gradients (ties split evenly), with PyTorch's amax and amin
// (testdata/gen_amax.py writes testdata/amax_torch.json), in Float64
// (to 1e-12) and Float32 (to 1e-6; the inputs are quarters, exact in both).
func TestAmaxTorch(t *testing.T) {
	b, err := os.ReadFile("testdata/amax_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []amaxRef
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	ops := map[string]func(*Tensor, ...int) *Tensor{"Amax": Amax, "AmaxKeepDim": AmaxKeepDim, "Amin": Amin, "AminKeepDim": AminKeepDim}
	if len(cases) < 7 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, c := range cases {
		for _, dt := range []DType{Float64, Float32} {
			tol := 1e-12
			if dt == Float32 {
				tol = 1e-6
			}
			x := c.Input.mk(dt).SetRequiresGrad(true)
			y := ops[c.Op](x, c.Axes...)
			if !slices.Equal(y.Shape(), c.Output.Shape) {
				t.Errorf("%s %v: shape %v, want %v", c.Name, dt, y.Shape(), c.Output.Shape)
				continue
			}
			Sum(Mul(y, c.Upstream.mk(dt))).Backward()
			for what, pair := range map[string][2]any{"output": {y, c.Output}, "grad": {x.Grad(), c.Grad}} {
				got, want := pair[0].(*Tensor).Values(), pair[1].(refT).Data
				for i := range want {
					if math.Abs(got[i]-want[i]) > tol*(1+math.Abs(want[i])) {
						t.Errorf("%s %v: %s[%d] = %g, want %g", c.Name, dt, what, i, got[i], want[i])
						break
					}
				}
			}
		}
	}
}

func TestAmaxGradcheck(t *testing.T) {
	for _, axes := range [][]int{{2, 3}, {1}, {0, 2}, nil} {
		for _, f := range []func(*Tensor, ...int) *Tensor{Amax, AminKeepDim} {
			rep := gradcheck.Func(func(in []*Tensor) *Tensor { return f(in[0], axes...) }, []*Tensor{rnd(3, 2, 3, 2, 4)}, gradcheck.Options{})
			if !rep.OK() {
				t.Errorf("axes %v: %v", axes, rep)
			}
		}
	}
}

func TestAmaxNaNAndErrors(t *testing.T) {
	x := FromFloat64([]float64{1, math.NaN(), 3, 2, 5, 4}, 2, 3)
	if got := Amax(x, 1).Float64s(); !math.IsNaN(got[0]) || got[1] != 5 {
		t.Errorf("Amax with NaN = %v, want [NaN 5]", got)
	}
	if got := Amin(x, 0).Float64s(); got[0] != 1 || !math.IsNaN(got[1]) || got[2] != 3 {
		t.Errorf("Amin with NaN = %v, want [1 NaN 3]", got)
	}
	mustPanic[*ShapeError](t, "Amax: shape mismatch [2 0]: reduction over an empty axis", func() { Amax(Zeros(2, 0), 1) })
	mustPanic[*ShapeError](t, "axis 2 out of range", func() { Amax(Zeros(2, 3), 2) })
	mustPanic[*ShapeError](t, "axis 1 repeated", func() { Amin(Zeros(2, 3), 1, -1) })
}

// Global max pooling over the time axis of a batch of sequences [N,T,D]:
// one maximum per sample and feature.
func ExampleAmax() {
	x := FromFloat32([]float32{
		1, 5, // sample 0, t = 0
		3, 2, // t = 1
		0, 4, // t = 2
		-1, -2, // sample 1
		-3, 0,
		2, -4,
	}, 2, 3, 2)
	fmt.Println(Amax(x, 1).Float32s())
	fmt.Println(Amax(x, 1, 2).Float32s())
	// Output:
	// [3 5 2 0]
	// [5 2]
}
