package models

import (
	"math/rand/v2"

	"github.com/duboko/duboko/nn"
)

// The CIFAR-10 model is registered here, beside its builder, rather than in
// the registry's literal, so that adding it touched no other file.
func init() {
	registry["cifar"] = builder{
		"lab 2's CIFAR-10 CNN (3×32×32 colour input): conv(16,5×5,pad 2) → ReLU → maxpool 3 stride 2 → conv(32,5×5,pad 2) → ReLU → maxpool 3 stride 2 → FC 256 → ReLU → FC 128 → ReLU → FC 10",
		[]int{3, 32, 32}, CIFAR}
}

// CIFAR is lab 2's CIFAR-10 network,
//
//	conv(16,5) → ReLU → pool(3,2) → conv(32,5) → ReLU → pool(3,2) → fc(256) → ReLU → fc(128) → ReLU → fc(10),
//
// for 3×32×32 images, with PyTorch-style names conv1, conv2, fc3, fc4,
// logits. The convolutions keep the size (padding 2, TensorFlow's "SAME"
// of the lab's reference code) and the 3×3 pools of stride 2 have no
// padding ("VALID"), so the maps go 32×32 → 15×15 → 7×7 and fc3 takes
// 32·7·7 = 1,568 inputs. Weights get the course's variance scaling,
// biases zeros.
func CIFAR(rng *rand.Rand) *nn.Sequential {
	s := &nn.Sequential{}
	s.Add("conv1", nn.NewConv2d(rng, 3, 16, 5, nn.ConvPadding(2)))
	s.Add("relu1", nn.NewReLU())
	s.Add("pool1", nn.NewMaxPool2d(3, nn.PoolStride(2)))
	s.Add("conv2", nn.NewConv2d(rng, 16, 32, 5, nn.ConvPadding(2)))
	s.Add("relu2", nn.NewReLU())
	s.Add("pool2", nn.NewMaxPool2d(3, nn.PoolStride(2)))
	s.Add("flatten", nn.NewFlatten())
	s.Add("fc3", nn.NewLinear(rng, 32*7*7, 256))
	s.Add("relu3", nn.NewReLU())
	s.Add("fc4", nn.NewLinear(rng, 256, 128))
	s.Add("relu4", nn.NewReLU())
	s.Add("logits", nn.NewLinear(rng, 128, 10))
	courseInit(rng, s)
	return s
}
