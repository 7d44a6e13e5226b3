// Command gan_step runs exactly one training step of the exam's tiny
// fully connected GAN and prints every weight before and after it, so that
// a hand computation can be checked against it. All biases are zero (the
// layers have none), the optimiser is plain SGD, the batch holds 3 points.
//
//	generator      G(z) = W2 · ReLU(W1 · z)                z ∈ R², G(z) ∈ R²
//	discriminator  D(x) = σ(v · LeakyReLU_0.2(V1 · x))     x ∈ R², D(x) ∈ (0, 1)
//
// Hand-set weights (rows are output units) and inputs:
//
//	W1 = [[1, -0.5], [0.5, 1]]     W2 = [[1, 0.5], [-0.5, 1]]
//	V1 = [[1, -1], [0.5, 0.5]]     v  = [[1, -0.5]]
//	real x: (1, 2), (2, 1), (-1, 1.5)
//	noise z: (1, 0.5), (0.5, 1.5), (-1, 1)
//
// chosen so that both ReLU and LeakyReLU units are active on some points
// and inactive on others (no pre-activation is exactly 0).
//
// The step, as generative.GANStep does it:
//
//  1. Discriminator, with G(z) held fixed:
//     L_D = −(1/3) Σ log D(xᵢ) − (1/3) Σ log(1 − D(G(zᵢ))); V1 and v take
//     one SGD step: θ ← θ − lr · ∂L_D/∂θ.
//  2. Generator, through the updated discriminator: the non-saturating
//     loss L_G = −(1/3) Σ log D(G(zᵢ)) (default), or with -loss minimax
//     L_G = (1/3) Σ log(1 − D(G(zᵢ))); W1 and W2 take one SGD step.
//
// All arithmetic is float64.
//
//	go run ./examples/gan_step
//	go run ./examples/gan_step -loss minimax -lr 0.5
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/duboko/duboko/generative"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// The hand-set weights, [out][in], and the batch.
var (
	w1 = [][]float64{{1, -0.5}, {0.5, 1}}
	w2 = [][]float64{{1, 0.5}, {-0.5, 1}}
	v1 = [][]float64{{1, -1}, {0.5, 0.5}}
	v2 = [][]float64{{1, -0.5}}
	xs = [][]float64{{1, 2}, {2, 1}, {-1, 1.5}}
	zs = [][]float64{{1, 0.5}, {0.5, 1.5}, {-1, 1}}
)

// config holds the program's settings.
type config struct {
	lr   float64
	loss generative.GeneratorLoss
	k    int
}

func main() {
	c := config{}
	var loss string
	flag.Float64Var(&c.lr, "lr", 0.1, "SGD learning rate of both players")
	flag.StringVar(&loss, "loss", "nonsat", "generator loss: nonsat (maximise log D(G(z))) or minimax (minimise log(1 − D(G(z))))")
	flag.IntVar(&c.k, "k", 1, "discriminator steps before the generator step")
	flag.Parse()
	switch loss {
	case "nonsat", "non-saturating":
		c.loss = generative.NonSaturating
	case "minimax":
		c.loss = generative.Minimax
	default:
		fmt.Fprintf(os.Stderr, "gan_step: -loss %q: want nonsat or minimax\n", loss)
		os.Exit(2)
	}
	if !(c.lr > 0) || c.k < 1 {
		fmt.Fprintln(os.Stderr, "gan_step: need -lr > 0 and -k ≥ 1")
		os.Exit(2)
	}
	run(c, os.Stdout)
}

// tiny is the GAN: generator g, discriminator d, real batch x, noise z.
type tiny struct {
	g, d *nn.Sequential
	x, z *tensor.Tensor
}

// linear returns a bias-free float64 Linear layer holding w ([out][in]).
func linear(w [][]float64) *nn.Linear {
	l := nn.NewLinear(tensor.NewRand(1), len(w[0]), len(w), nn.LinearNoBias())
	nn.To(l, tensor.Float64)
	l.Weight.CopyFrom(matrix(w))
	return l
}

// matrix returns rows as a float64 tensor.
func matrix(rows [][]float64) *tensor.Tensor {
	var flat []float64
	for _, r := range rows {
		flat = append(flat, r...)
	}
	return tensor.FromFloat64(flat, len(rows), len(rows[0]))
}

// newTiny builds the GAN with the hand-set weights.
func newTiny() *tiny {
	g := &nn.Sequential{}
	g.Add("fc1", linear(w1)).Add("relu", nn.NewReLU()).Add("fc2", linear(w2))
	d := &nn.Sequential{}
	d.Add("fc1", linear(v1)).Add("lrelu", nn.NewLeakyReLU(0.2)).Add("fc2", linear(v2)).Add("sigmoid", nn.NewSigmoid())
	return &tiny{g: g, d: d, x: matrix(xs), z: matrix(zs)}
}

// weights returns the current weights by name: G.fc1.weight, ..., D.fc2.weight.
func (t *tiny) weights() map[string][]float64 {
	out := map[string][]float64{}
	for _, p := range nn.Prefixed("G", t.g.Params()) {
		out[p.Name] = append([]float64(nil), p.Tensor.Float64s()...)
	}
	for _, p := range nn.Prefixed("D", t.d.Params()) {
		out[p.Name] = append([]float64(nil), p.Tensor.Float64s()...)
	}
	return out
}

// printWeights writes every weight matrix of the GAN.
func (t *tiny) printWeights(w io.Writer) {
	for _, m := range []struct {
		name string
		ps   []nn.Param
	}{{"G", t.g.Params()}, {"D", t.d.Params()}} {
		for _, p := range nn.Prefixed(m.name, m.ps) {
			s := p.Tensor.Shape()
			fmt.Fprintf(w, "  %-13s", p.Name)
			v := p.Tensor.Float64s()
			for i := range s[0] {
				fmt.Fprint(w, " [")
				for j := range s[1] {
					if j > 0 {
						fmt.Fprint(w, ", ")
					}
					fmt.Fprintf(w, "%.12f", v[i*s[1]+j])
				}
				fmt.Fprint(w, "]")
			}
			fmt.Fprintln(w)
		}
	}
}

// run takes the one GAN step, printing the weights before and after and
// the step's figures, and returns the GAN after the step with the stats.
func run(c config, w io.Writer) (*tiny, generative.GANStats) {
	t := newTiny()
	fmt.Fprintf(w, "tiny GAN, batch 3, SGD lr %g, %v generator loss, %d discriminator step(s)\n", c.lr, c.loss, c.k)
	fmt.Fprintln(w, "before:")
	t.printWeights(w)
	optG := optim.NewSGD(t.g.Params(), optim.SGDConfig{LR: c.lr})
	optD := optim.NewSGD(t.d.Params(), optim.SGDConfig{LR: c.lr})
	s, err := generative.GANStep(t.g, t.d, optG, optD, t.x, t.z,
		generative.WithDiscriminatorSteps(c.k), generative.WithGeneratorLoss(c.loss))
	if err != nil { // not with the hand-set weights: all figures are moderate
		panic(err)
	}
	fmt.Fprintf(w, "discriminator step: L_D %.12f, mean D(x) %.12f, mean D(G(z)) %.12f\n", s.LossD, s.DReal, s.DFake)
	fmt.Fprintf(w, "generator step:     L_G %.12f, mean D(G(z)) %.12f (updated D)\n", s.LossG, s.DFakeG)
	fmt.Fprintln(w, "after:")
	t.printWeights(w)
	return t, s
}
