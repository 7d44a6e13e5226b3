package nn_test

import (
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// BenchmarkWrapStep is a training step (Forward, Backward) through a
// wrapped hand-written layer x + relu(x·Wᵀ + b), used once per graph
// (once) or twice, f(f(x)), which re-runs the first call's Forward.
func BenchmarkWrapStep(b *testing.B) {
	const n, d = 64, 256
	for _, uses := range []int{1, 2} {
		b.Run(map[int]string{1: "once", 2: "twice"}[uses], func(b *testing.B) {
			raw := &residualRaw{W: tensor.RandN(tensor.NewRand(1), d, d).SetRequiresGrad(true), b: tensor.RandN(tensor.NewRand(2), d).SetRequiresGrad(true)}
			m := nn.Wrap(raw)
			x := tensor.RandN(tensor.NewRand(3), n, d).SetRequiresGrad(true)
			for b.Loop() {
				raw.W.ZeroGrad()
				raw.b.ZeroGrad()
				x.ZeroGrad()
				y := x
				for range uses {
					y = m.Forward(y)
				}
				tensor.Sum(y).Backward()
			}
		})
	}
}
