package tensor_test

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	. "github.com/duboko/duboko/tensor"
)

// This file checks integer tensors, comparisons, Where, Sign, Argmax and
// Argmin, Gather, OneHot and the conversion to Int64 against PyTorch
// (testdata/gen_int.py writes testdata/int_torch.json).

// jnum is a JSON number, or the string "nan".
type jnum float64

func (n *jnum) UnmarshalJSON(b []byte) error {
	if string(b) == `"nan"` {
		*n = jnum(math.NaN())
		return nil
	}
	var f float64
	err := json.Unmarshal(b, &f)
	*n = jnum(f)
	return err
}

type jtensor struct {
	Shape []int
	Data  []jnum
}

func (j jtensor) make(dt DType) *Tensor {
	v := make([]float64, len(j.Data))
	for i, x := range j.Data {
		v[i] = float64(x)
	}
	return Reshape(FromValues(dt, v), j.Shape...)
}

var dtypeNamed = map[string]DType{"float32": Float32, "float64": Float64, "int64": Int64}

func TestIntOpsAgainstTorch(t *testing.T) {
	b, err := os.ReadFile("testdata/int_torch.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []struct {
			Name, Op, DType string
			Inputs          []jtensor
			Params          map[string]any
			Output          jtensor
			Upstream        *jtensor
			Grads           []jtensor
		}
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Cases) < 30 {
		t.Fatalf("only %d cases", len(file.Cases))
	}
	for _, c := range file.Cases {
		t.Run(c.Name, func(t *testing.T) {
			dt := dtypeNamed[c.DType]
			in := make([]*Tensor, len(c.Inputs))
			for i, x := range c.Inputs {
				in[i] = x.make(dt)
			}
			axis := func() int { return int(c.Params["axis"].(float64)) }
			var got *Tensor
			wantDT := dt
			switch c.Op {
			case "Equal":
				got = Equal(in[0], in[1])
			case "NotEqual":
				got = NotEqual(in[0], in[1])
			case "Greater":
				got = Greater(in[0], in[1])
			case "GreaterEqual":
				got = GreaterEqual(in[0], in[1])
			case "Less":
				got = Less(in[0], in[1])
			case "LessEqual":
				got = LessEqual(in[0], in[1])
			case "Sign":
				got = Sign(in[0])
			case "Argmax":
				got, wantDT = Argmax(in[0], axis()), Int64
			case "Argmin":
				got, wantDT = Argmin(in[0], axis()), Int64
			case "ToInt64":
				got, wantDT = To(in[0], Int64), Int64
			case "Gather":
				got = Gather(in[0], axis(), c.Inputs[1].make(Int64))
			case "OneHot":
				got = OneHot(Int64, in[0], int(c.Params["classes"].(float64)))
			case "Where":
				cond := c.Inputs[0].make(dtypeNamed[c.Params["cond_dtype"].(string)])
				a, b := in[1].SetRequiresGrad(true), in[2].SetRequiresGrad(true)
				got = Where(cond, a, b)
				got.BackwardWith(c.Upstream.make(dt))
				for i, x := range []*Tensor{a, b} {
					if !sameFloats(x.Grad().Values(), c.Grads[i].make(Float64).Values()) {
						t.Errorf("grad %d: %v, want %v", i, x.Grad().Values(), c.Grads[i].Data)
					}
				}
			default:
				t.Fatalf("unknown op %q", c.Op)
			}
			want := c.Output.make(wantDT)
			if got.DType() != wantDT || !slices.Equal(got.Shape(), want.Shape()) || !sameFloats(got.Values(), want.Values()) {
				t.Fatalf("got %v %v %v, want %v %v %v", got.DType(), got.Shape(), got.Values(), wantDT, want.Shape(), want.Values())
			}
		})
	}
}

// sameFloats compares exactly, with NaN equal to NaN.
func sameFloats(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return x == y || x != x && y != y })
}
