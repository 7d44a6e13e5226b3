package models

import (
	"math"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// TestCNNGradientsStableAcrossSteps runs the CNN's forward and backward
// several times on the same batch: Backward recycles dead gradient storage
// and ZeroGrad recycles parameter gradients, so any aliasing mistake shows
// up as gradients that change from step to step or that differ from the
// layers' hand-written BackwardParams.
func TestCNNGradientsStableAcrossSteps(t *testing.T) {
	m, _, _ := New("cnn", tensor.NewRand(1))
	x := tensor.RandU(tensor.NewRand(2), 0, 1, 8, 1, 28, 28)
	labels := []int{0, 1, 2, 3, 4, 5, 6, 7}
	var first [][]float64
	for step := 0; step < 4; step++ {
		nn.ZeroGrad(m)
		logits := m.Forward(x)
		nn.CrossEntropy(logits, tensor.FromInts(labels)).Backward()
		for i, p := range m.Params() {
			g := p.Tensor.Grad().Values()
			if step == 0 {
				first = append(first, g)
				continue
			}
			for j := range g {
				if g[j] != first[i][j] {
					t.Fatalf("step %d: %s[%d] = %v, first step %v", step, p.Name, j, g[j], first[i][j])
				}
			}
		}
	}
	// the explicit path gives the same gradients
	var logits *tensor.Tensor
	tensor.NoGrad(func() { logits = m.Forward(x) })
	var ce nn.SoftmaxCrossEntropyWithLogits
	g := ce.BackwardInputs(logits, tensor.OneHot(tensor.Float32, tensor.FromInts(labels), 10))
	for i, pg := range m.BackwardParams(g) {
		got := pg.Grad.Values()
		for j := range got {
			if d := math.Abs(got[j] - first[i][j]); d > 1e-5*(1+math.Abs(first[i][j])) {
				t.Fatalf("%s[%d]: explicit %v, autodiff %v", pg.Name, j, got[j], first[i][j])
			}
		}
	}
}
