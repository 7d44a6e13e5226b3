package optim_test

import (
	"fmt"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// ExampleSGD minimises (w−3)² with plain gradient descent.
func ExampleSGD() {
	w := tensor.FromFloat64([]float64{0}, 1).SetRequiresGrad(true)
	opt := optim.NewSGD([]nn.Param{{Name: "w", Tensor: w}}, optim.SGDConfig{LR: 0.1})
	for range 50 {
		opt.ZeroGrad()
		d := tensor.AddScalar(w, -3)
		loss := tensor.Sum(tensor.Mul(d, d))
		loss.Backward()
		opt.Step()
	}
	fmt.Printf("w = %.4f\n", w.Item())
	// Output: w = 3.0000
}

// ExampleSGD_momentum shows one step of SGD with Nesterov momentum and
// weight decay on a hand-set gradient.
func ExampleSGD_momentum() {
	w := tensor.FromFloat64([]float64{1, -1}, 2)
	opt := optim.NewSGD([]nn.Param{{Name: "w", Tensor: w}},
		optim.SGDConfig{LR: 0.1, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-2})
	w.SetGrad(tensor.FromFloat64([]float64{0.5, 0.5}, 2))
	opt.Step()
	fmt.Printf("%.4f\n", w.Values())
	// Output: [0.9031 -1.0931]
}

// ExampleNewAdamW trains with AdamW (decoupled weight decay).
func ExampleNewAdamW() {
	w := tensor.FromFloat32([]float32{1, 2}, 2)
	opt := optim.NewAdamW([]nn.Param{{Name: "w", Tensor: w}}, optim.AdamConfig{LR: 0.1, WeightDecay: 0.01})
	w.SetGrad(tensor.FromFloat32([]float32{1, -1}, 2))
	opt.Step()
	fmt.Printf("%.4f\n", w.Values())
	// Output: [0.8990 2.0980]
}

// ExamplePiecewise is the course's lr_policy: 0.1 for epochs 1-2, 0.01 for
// 3-4, 0.001 for 5-6 and 1e-4 from epoch 7 on.
func ExamplePiecewise() {
	policy := optim.Piecewise{1: 0.1, 3: 0.01, 5: 0.001, 7: 0.0001}
	var lrs []float64
	for epoch := 1; epoch <= 8; epoch++ {
		lrs = append(lrs, policy.LR(epoch))
	}
	fmt.Println(lrs)
	fmt.Println(policy)
	// Output:
	// [0.1 0.1 0.01 0.01 0.001 0.001 0.0001 0.0001]
	// 1:0.1,3:0.01,5:0.001,7:0.0001
}

// ExampleParsePiecewise reads a schedule from a command-line flag.
func ExampleParsePiecewise() {
	s, err := optim.ParsePiecewise("1:0.1,3:0.01,5:0.001,7:0.0001")
	fmt.Println(s.LR(4), err)
	_, err = optim.ParsePiecewise("1:0.1,3")
	fmt.Println(err)
	// Output:
	// 0.01 <nil>
	// optim: schedule item "3": want epoch:lr
}

// ExampleScheduler decays the learning rate after every iteration, as
// course lab 1 does with ExponentialLR(gamma=1-1e-4).
func ExampleScheduler() {
	w := tensor.FromFloat32([]float32{0}, 1)
	opt := optim.NewSGD([]nn.Param{{Name: "w", Tensor: w}}, optim.SGDConfig{LR: 0.1})
	sched := optim.NewScheduler(opt, optim.Exponential(0.1, 1-1e-4))
	for range 1000 {
		// ... forward, backward ...
		opt.Step()
		sched.Step()
	}
	fmt.Printf("after %d iterations: lr %.6f\n", sched.Count()-1, opt.LR())
	// Output: after 1000 iterations: lr 0.090483
}

// ExampleClipGradNorm rescales gradients whose joint norm is too large.
func ExampleClipGradNorm() {
	a := tensor.FromFloat64([]float64{0, 0}, 2)
	a.SetGrad(tensor.FromFloat64([]float64{3, 4}, 2))
	params := []nn.Param{{Name: "a", Tensor: a}}
	norm := optim.ClipGradNorm(params, 1)
	fmt.Printf("norm before %.1f, gradient now %.4f\n", norm, a.Grad().Values())
	// Output: norm before 5.0, gradient now [0.6000 0.8000]
}
