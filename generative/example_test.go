package generative_test

import (
	"fmt"

	"github.com/duboko/duboko/generative"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
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
