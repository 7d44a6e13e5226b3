// Package models builds the named architectures that the duboko command
// trains, summarises and draws: the course's MNIST CNN and MLP and lab 2's
// CIFAR-10 CNN (by name, see New), lab 3's sentiment models (NewSST), and
// the generative models of lab 4, the variational autoencoder ([VAE]) and
// the restricted Boltzmann machine ([RBM]).
package models

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/duboko/duboko/nn"
)

// builder makes a model with its input shape (without the batch axis).
type builder struct {
	doc   string
	input []int
	build func(rng *rand.Rand) *nn.Sequential
}

var registry = map[string]builder{
	"mlp": {"784-512-10 fully connected network with ReLU (course lab 1/2)", []int{1, 28, 28}, MLP},
	"cnn": {"the course's MNIST CNN: conv(16,5×5,pad 2) → maxpool 2 → ReLU → conv(32,5×5,pad 2) → maxpool 2 → ReLU → FC 512 → ReLU → FC 10", []int{1, 28, 28}, CNN},
}

// Names returns the known model names, sorted.
func Names() []string {
	var n []string
	for k := range registry {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Known reports whether name is a known model.
func Known(name string) bool { _, ok := registry[name]; return ok }

// Describe returns a one-line description of each model, for help texts.
func Describe() string {
	var b strings.Builder
	for _, n := range Names() {
		fmt.Fprintf(&b, "  %-5s %s\n", n, registry[n].doc)
	}
	return b.String()
}

// New builds the named model with weights drawn from rng, and returns it
// with its input shape per sample ([C, H, W]).
func New(name string, rng *rand.Rand) (*nn.Sequential, []int, error) {
	b, ok := registry[name]
	if !ok {
		return nil, nil, fmt.Errorf("unknown model %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return b.build(rng), append([]int(nil), b.input...), nil
}

// courseInit re-initialises every weight with the course's variance
// scaling (truncated normal, σ = √(2/fan_in)) and every bias with zeros,
// as lab 2 does.
func courseInit(rng *rand.Rand, m nn.Module) {
	for _, p := range m.Params() {
		if strings.HasSuffix(p.Name, ".bias") {
			nn.Zeros()(rng, p.Tensor)
		} else {
			nn.VarianceScaling(2)(rng, p.Tensor)
		}
	}
}

// MLP is the 784-512-10 network with ReLU; parameters fc1.*, fc2.*.
func MLP(rng *rand.Rand) *nn.Sequential {
	s := &nn.Sequential{}
	s.Add("flatten", nn.NewFlatten())
	s.Add("fc1", nn.NewLinear(rng, 784, 512))
	s.Add("relu1", nn.NewReLU())
	s.Add("fc2", nn.NewLinear(rng, 512, 10))
	courseInit(rng, s)
	return s
}

// CNN is the course's MNIST network (lab 2), with PyTorch-style names
// conv1, conv2, fc3, logits:
// conv(1→16, 5×5, pad 2) → maxpool 2 → ReLU → conv(16→32, 5×5, pad 2) →
// maxpool 2 → ReLU → flatten → FC 1568→512 → ReLU → FC 512→10.
func CNN(rng *rand.Rand) *nn.Sequential {
	s := &nn.Sequential{}
	s.Add("conv1", nn.NewConv2d(rng, 1, 16, 5, nn.ConvPadding(2)))
	s.Add("pool1", nn.NewMaxPool2d(2))
	s.Add("relu1", nn.NewReLU())
	s.Add("conv2", nn.NewConv2d(rng, 16, 32, 5, nn.ConvPadding(2)))
	s.Add("pool2", nn.NewMaxPool2d(2))
	s.Add("relu2", nn.NewReLU())
	s.Add("flatten", nn.NewFlatten())
	s.Add("fc3", nn.NewLinear(rng, 32*7*7, 512))
	s.Add("relu3", nn.NewReLU())
	s.Add("logits", nn.NewLinear(rng, 512, 10))
	courseInit(rng, s)
	return s
}
