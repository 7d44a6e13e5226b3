package generative

import (
	"testing"

	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/tensor"
)

// BenchmarkVAEStep100 is one training step of the lab's VAE (latent 20)
// at batch 100: forward, negative ELBO, backward and Adam.
func BenchmarkVAEStep100(b *testing.B) {
	v := models.NewVAE(tensor.NewRand(1), 20)
	task := NewVAETask(v, NewVAEOptimizer(v, 3.24e-4), 1)
	bt := batch(100, 784, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := task.Step(bt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRBMStep100x100 is one CD-1 step of a 784-100 RBM at batch 100.
func BenchmarkRBMStep100x100(b *testing.B) {
	r := models.NewRBM(tensor.NewRand(1), 784, 100)
	task := &RBMTask{RBM: r, Opt: NewRBMOptimizer(r, 0.1), K: 1, Seed: 1}
	bt := batch(100, 784, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := task.Step(bt); err != nil {
			b.Fatal(err)
		}
	}
}
