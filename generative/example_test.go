package generative_test

import (
	"fmt"

	"github.com/duboko/duboko/generative"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// The lab's VAE task: a train.LossTask whose loss is the negative ELBO,
// trained with Adam at the lab's rate; hand it to a train.Trainer.
func ExampleNewVAETask() {
	v := models.NewVAE(tensor.NewRand(1), 20)
	task := generative.NewVAETask(v, generative.NewVAEOptimizer(v, 3.24e-4), 1)
	fmt.Println(nn.NumParams(task.Model()), "parameters, Adam lr", task.Opt.LR())
	// Output: 407224 parameters, Adam lr 0.000324
}

// An RBM task with CD-1 and plain SGD; its Step does the CD update itself.
func ExampleRBMTask() {
	r := models.NewRBM(tensor.NewRand(1), 784, 100)
	task := &generative.RBMTask{RBM: r, Opt: generative.NewRBMOptimizer(r, 0.1), K: 1, Seed: 1}
	for _, p := range task.Model().Params() {
		fmt.Println(p.Name, p.Tensor.Shape())
	}
	// Output:
	// weight [100 784]
	// visible_bias [784]
	// hidden_bias [100]
}

// One GAN step on a 1-D toy: G(z) = w·z, D(x) = σ(u·x), SGD for both,
// two discriminator steps and the minimax generator loss.
func ExampleGANStep() {
	lin := func(v float64) *nn.Linear {
		l := nn.NewLinear(tensor.NewRand(1), 1, 1, nn.LinearNoBias())
		nn.To(l, tensor.Float64)
		l.Weight.CopyFrom(tensor.FromFloat64([]float64{v}, 1, 1))
		return l
	}
	g := nn.NewSequential(lin(0.5))
	d := nn.NewSequential(lin(1), nn.NewSigmoid())
	optG := optim.NewSGD(g.Params(), optim.SGDConfig{LR: 0.5})
	optD := optim.NewSGD(d.Params(), optim.SGDConfig{LR: 0.5})
	x := tensor.FromFloat64([]float64{1.5}, 1, 1) // one real point
	z := tensor.FromFloat64([]float64{1}, 1, 1)   // its noise
	s, err := generative.GANStep(g, d, optG, optD, x, z,
		generative.WithDiscriminatorSteps(2), generative.WithGeneratorLoss(generative.Minimax))
	if err != nil {
		panic(err)
	}
	fmt.Printf("L_D %.4f, L_G %.4f, D(x) %.4f, D(G(z)) %.4f then %.4f\n", s.LossD, s.LossG, s.DReal, s.DFake, s.DFakeG)
	fmt.Printf("w %.4f, u %.4f\n", g.Params()[0].Tensor.Item(), d.Params()[0].Tensor.Item())
	// Output:
	// L_D 1.1749, L_G -0.9636, D(x) 0.8133, D(G(z)) 0.6202 then 0.6185
	// w 0.7988, u 0.9661
}
