package nn_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

func convTLayerCases() []struct {
	name string
	m    *nn.ConvTranspose2d
	x    []int
} {
	rng := tensor.NewRand(5)
	rect := nn.NewConvTranspose2d(rng, 3, 2, 2)
	rect.Kernel, rect.Stride, rect.Padding, rect.OutputPadding, rect.Dilation = [2]int{2, 3}, [2]int{2, 1}, [2]int{1, 0}, [2]int{1, 0}, [2]int{1, 2}
	rect.Weight = tensor.RandN(rng, 3, 2, 2, 3).SetRequiresGrad(true)
	return []struct {
		name string
		m    *nn.ConvTranspose2d
		x    []int
	}{
		{"k3", nn.NewConvTranspose2d(rng, 2, 3, 3), []int{2, 2, 4, 4}},
		{"dcgan k4 s2 p1", nn.NewConvTranspose2d(rng, 3, 2, 4, nn.ConvTransposeStride(2), nn.ConvTransposePadding(1)), []int{2, 3, 3, 3}},
		{"k3 s2 p1 op1 no bias", nn.NewConvTranspose2d(rng, 2, 2, 3, nn.ConvTransposeStride(2), nn.ConvTransposePadding(1),
			nn.ConvTransposeOutputPadding(1), nn.ConvTransposeNoBias()), []int{2, 2, 3, 4}},
		{"dilation 2 op 1 (cropped)", nn.NewConvTranspose2d(rng, 2, 2, 2, nn.ConvTransposeDilation(2), nn.ConvTransposePadding(1),
			nn.ConvTransposeOutputPadding(1)), []int{2, 2, 3, 3}},
		{"rect mixed", rect, []int{2, 3, 4, 3}},
	}
}

// TestConvTranspose2dLayer gradient-checks the explicit backward methods
// and autodiff in float64 against central differences, and both against
// each other, for several stride, padding, output-padding and dilation
// settings.
func TestConvTranspose2dLayer(t *testing.T) {
	for _, c := range convTLayerCases() {
		t.Run(c.name, func(t *testing.T) {
			checkExplicit(t, c.m, rnd(1, c.x...))
			x := rnd(2, c.x...)
			if rep := gradcheck.Layer(c.m, x); !rep.OK() {
				t.Fatalf("explicit backward:\n%s", rep)
			}
			if rep := gradcheck.Module(c.m, x); !rep.OK() {
				t.Fatalf("autodiff:\n%s", rep)
			}
		})
	}
}

// TestConvTranspose2dLayerCounts checks the layer's declared counts,
// output shape and receptive-field rule against its recorded op's.
func TestConvTranspose2dLayerCounts(t *testing.T) {
	for _, c := range convTLayerCases() {
		x := tensor.ZerosOf(tensor.Float32, c.x...).SetRequiresGrad(true)
		nn.To(c.m, tensor.Float32)
		y := c.m.Forward(x)
		counts, out := c.m.Counts(c.x)
		ins := [][]int{c.x, c.m.Weight.Shape(), nil}
		if c.m.Bias != nil {
			ins[2] = c.m.Bias.Shape()
		}
		op := y.Op()
		if fmt.Sprint(out) != fmt.Sprint(y.Shape()) || counts != op.CountsFor(y.Shape(), ins) || !counts.Known() || counts.Mul == 0 {
			t.Errorf("%s: layer declares %v → %v, its op %v → %v", c.name, counts, out, op.CountsFor(y.Shape(), ins), y.Shape())
		}
		if c.m.ReceptiveField() != op.FieldFor(y.Shape(), ins) {
			t.Errorf("%s: field %+v, op %+v", c.name, c.m.ReceptiveField(), op.FieldFor(y.Shape(), ins))
		}
	}
	m := nn.NewConvTranspose2d(tensor.NewRand(1), 2, 3, 3)
	if c, out := m.Counts([]int{1, 3, 4, 4}); c.Known() || out != nil {
		t.Errorf("wrong channel count: %v %v", c, out)
	}
}

func TestConvTranspose2dInitAndNames(t *testing.T) {
	c := nn.NewConvTranspose2d(tensor.NewRand(1), 128, 64, 4, nn.ConvTransposeStride(2), nn.ConvTransposePadding(1))
	if s := c.Weight.Shape(); fmt.Sprint(s) != "[128 64 4 4]" {
		t.Fatalf("weight shape %v, want PyTorch's [in, out, kh, kw]", s)
	}
	// PyTorch's fan_in of a transposed convolution's weight is out·k·k.
	bound := 1 / math.Sqrt(64*16)
	for name, p := range map[string]*tensor.Tensor{"weight": c.Weight, "bias": c.Bias} {
		maxAbs := 0.0
		for _, v := range p.Values() {
			maxAbs = math.Max(maxAbs, math.Abs(v))
		}
		if maxAbs > bound || maxAbs < 0.9*bound {
			t.Errorf("%s within ±%v, max |v| = %v", name, bound, maxAbs)
		}
	}
	ps := nn.StateDict(c)
	if len(ps) != 2 || ps[0].Name != "weight" || ps[1].Name != "bias" || nn.NumParams(c) != 128*64*16+64 {
		t.Errorf("params %v", ps)
	}
	y := c.Forward(tensor.Zeros(2, 128, 7, 7))
	if fmt.Sprint(y.Shape()) != "[2 64 14 14]" {
		t.Errorf("output shape %v", y.Shape())
	}
	if nb := nn.NewConvTranspose2d(tensor.NewRand(1), 2, 3, 3, nn.ConvTransposeNoBias()); len(nb.Params()) != 1 || nb.Bias != nil {
		t.Errorf("no bias: params %v", nb.Params())
	}
}

func TestConvTranspose2dLayerErrors(t *testing.T) {
	c := nn.NewConvTranspose2d(tensor.NewRand(1), 2, 3, 3)
	var le *nn.LayerError
	if err := convTCatch(func() { c.BackwardInputs(tensor.Zeros(1, 3, 6, 6)) }); !errors.As(err, &le) {
		t.Errorf("backward before forward: %v", err)
	}
	c.Forward(tensor.Zeros(1, 2, 4, 4))
	var se *tensor.ShapeError
	if err := convTCatch(func() { c.BackwardParams(tensor.Zeros(1, 3, 5, 6)) }); !errors.As(err, &se) || se.Op != "ConvTranspose2d backward" {
		t.Errorf("gradient of the wrong shape: %v", err)
	}
	if err := convTCatch(func() { c.Forward(tensor.Zeros(1, 3, 4, 4)) }); !errors.As(err, &se) || se.Op != "ConvTranspose2d" {
		t.Errorf("wrong input channels: %v", err)
	}
	bad := nn.NewConvTranspose2d(tensor.NewRand(1), 2, 3, 3, nn.ConvTransposeOutputPadding(1))
	if err := convTCatch(func() { bad.Forward(tensor.Zeros(1, 2, 4, 4)) }); !errors.As(err, &se) || se.Op != "ConvTranspose2d" {
		t.Errorf("output padding ≥ stride and dilation: %v", err)
	}
}

// convTCatch runs f and returns the error it panicked with (nil if none).
func convTCatch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err, _ = r.(error)
			if err == nil {
				err = fmt.Errorf("panic %v", r)
			}
		}
	}()
	f()
	return nil
}

// A DCGAN generator's upsampling layer doubles the map: 7×7 → 14×14.
func ExampleNewConvTranspose2d() {
	up := nn.NewConvTranspose2d(tensor.NewRand(1), 128, 64, 4, nn.ConvTransposeStride(2), nn.ConvTransposePadding(1))
	y := up.Forward(tensor.Zeros(1, 128, 7, 7))
	fmt.Println(up.Weight.Shape(), y.Shape())
	// Output: [128 64 4 4] [1 64 14 14]
}

func BenchmarkConvTranspose2dLayerStep(b *testing.B) {
	// Forward and explicit backward of a DCGAN generator layer at batch 64.
	c := nn.NewConvTranspose2d(tensor.NewRand(1), 128, 64, 4, nn.ConvTransposeStride(2), nn.ConvTransposePadding(1))
	x := tensor.RandN(tensor.NewRand(2), 64, 128, 7, 7)
	g := tensor.RandN(tensor.NewRand(3), 64, 64, 14, 14)
	b.ReportAllocs()
	for b.Loop() {
		c.Forward(x)
		c.BackwardInputs(g)
		c.BackwardParams(g)
	}
}
