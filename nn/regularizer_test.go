package nn_test

import (
	"math"
	"slices"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestL2Regularizers builds the lab's regularised loss for a small
// conv → BatchNorm → FC model and checks which weights it penalises, its
// value against nn.L2 and its parameter gradients against autodiff of
// nn.L2 and central differences of Forward.
func TestL2Regularizers(t *testing.T) {
	rng := tensor.NewRand(4)
	m := nn.NewSequential(nn.NewConv2d(rng, 1, 2, 3), nn.NewBatchNorm2d(2), nn.NewReLU(), nn.NewFlatten(), nn.NewLinear(rng, 2*2*2, 3))
	nn.To(m, tensor.Float64)
	const lambda = 1e-2
	regs := nn.L2Regularizers(m, lambda)
	var names []string
	var ws []*tensor.Tensor
	for _, r := range regs {
		names = append(names, r.Name)
		ws = append(ws, r.Weights)
	}
	if !slices.Equal(names, []string{"0.weight", "4.weight"}) {
		t.Fatalf("regularised %v, want the conv and FC weights", names)
	}
	loss := &nn.RegularizedLoss{Data: nn.SoftmaxCrossEntropyWithLogits{}, Regularizers: regs}
	x := rnd(1, 2, 1, 4, 4)
	y := tensor.OneHot(tensor.Float64, tensor.FromInts([]int{2, 0}), 3)
	var s *tensor.Tensor
	tensor.NoGrad(func() { s = m.Forward(x) })
	data := nn.SoftmaxCrossEntropyWithLogits{}.Forward(s, y)
	penalty := nn.L2(lambda, ws...)
	if got, want := loss.Forward(s, y), data+penalty.Item(); math.Abs(got-want) > 1e-12 {
		t.Errorf("Forward = %v, want %v", got, want)
	}
	penalty.Backward()
	pgs := loss.BackwardParams()
	for i, pg := range pgs {
		closeTo(t, pg.Name+" vs autodiff", pg.Grad.Values(), ws[i].Grad().Values())
		// central differences of the explicit Forward
		w := pg.Param
		for j := 0; j < w.Len(); j += 3 {
			v := w.Flat(j)
			const h = 1e-6
			w.SetFlat(j, v+h)
			up := loss.Forward(s, y)
			w.SetFlat(j, v-h)
			down := loss.Forward(s, y)
			w.SetFlat(j, v)
			if num := (up - down) / (2 * h); math.Abs(num-pg.Grad.Flat(j)) > 1e-7 {
				t.Errorf("%s[%d]: %v, numerical %v", pg.Name, j, pg.Grad.Flat(j), num)
			}
		}
	}
}
