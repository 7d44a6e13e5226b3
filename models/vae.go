package models

import (
	"math/rand/v2"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// VAE is the course's variational autoencoder (lab 4) for 28×28 images
// flattened to 784 values in [0, 1]: an encoder
// 784 → 200 → 200 (softplus) with two heads, the mean μ and the log
// variance log σ² of a diagonal Gaussian q(z|x) over Latent dimensions,
// and a decoder Latent → 200 → 200 (softplus) → 784 logits of a Bernoulli
// p(x|z) per pixel. The prior p(z) is N(0, I).
//
// Parameter names follow PyTorch: enc.fc1.*, enc.fc2.*, mu.*, logvar.*,
// dec.fc1.*, dec.fc2.*, dec.logits.*.
//
// As a Module, Forward(x) is the deterministic reconstruction: the
// decoder's logits at z = μ(x). Its explicit BackwardInputs and
// BackwardParams follow that path (decoder, mean head, encoder); the log
// variance head is not on it. Training uses [VAE.Loss], which samples z.
type VAE struct {
	Enc    *nn.Sequential
	Mu     *nn.Linear
	LogVar *nn.Linear
	Dec    *nn.Sequential
	Latent int
}

// VAEHidden is the width of the VAE's two hidden layers on each side.
const VAEHidden = 200

// NewVAE builds a VAE with a latent space of the given size (20 in the
// lab; 2 to draw it), with PyTorch's default initialisation.
func NewVAE(rng *rand.Rand, latent int) *VAE {
	enc := &nn.Sequential{}
	enc.Add("fc1", nn.NewLinear(rng, 784, VAEHidden))
	enc.Add("sp1", nn.NewSoftplus())
	enc.Add("fc2", nn.NewLinear(rng, VAEHidden, VAEHidden))
	enc.Add("sp2", nn.NewSoftplus())
	dec := &nn.Sequential{}
	dec.Add("fc1", nn.NewLinear(rng, latent, VAEHidden))
	dec.Add("sp1", nn.NewSoftplus())
	dec.Add("fc2", nn.NewLinear(rng, VAEHidden, VAEHidden))
	dec.Add("sp2", nn.NewSoftplus())
	dec.Add("logits", nn.NewLinear(rng, VAEHidden, 784))
	return &VAE{Enc: enc, Mu: nn.NewLinear(rng, VAEHidden, latent), LogVar: nn.NewLinear(rng, VAEHidden, latent),
		Dec: dec, Latent: latent}
}

// Encode returns the mean and log variance of q(z|x) for x [N, 784] (or
// [N, 1, 28, 28]).
func (v *VAE) Encode(x *tensor.Tensor) (mu, logVar *tensor.Tensor) {
	h := v.Enc.Forward(tensor.Reshape(x, x.Dim(0), 784))
	return v.Mu.Forward(h), v.LogVar.Forward(h)
}

// Decode returns the Bernoulli logits [N, 784] of p(x|z); σ of them is the
// mean image.
func (v *VAE) Decode(z *tensor.Tensor) *tensor.Tensor { return v.Dec.Forward(z) }

// ELBO is the negative evidence lower bound of a batch and its parts, each
// a scalar tensor in nats per image (means over the batch): Loss =
// Recon + KL, to be minimised.
type ELBO struct {
	Loss  *tensor.Tensor // −ELBO
	Recon *tensor.Tensor // −E_q[log p(x|z)], one sample of z
	KL    *tensor.Tensor // KL(q(z|x) ‖ N(0, I)), in closed form
}

// Loss returns the negative ELBO of x [N, 784] with the reparameterisation
// z = μ + exp(½ log σ²) ⊙ eps, for eps [N, Latent] drawn from N(0, I) by the
// caller (passing it in makes the loss a deterministic function, which
// gradient checks need). The reconstruction term is the Bernoulli
// negative log-likelihood computed stably from logits s:
// Σ_pixels softplus(s) − s·x (x may be grey levels in [0, 1], as in the lab).
func (v *VAE) Loss(x, eps *tensor.Tensor) ELBO {
	n := x.Dim(0)
	x = tensor.Reshape(x, n, 784)
	mu, logVar := v.Encode(x)
	z := tensor.Add(mu, tensor.Mul(tensor.Exp(tensor.MulScalar(logVar, 0.5)), eps))
	s := v.Decode(z)
	recon := tensor.MulScalar(tensor.Sum(tensor.Sub(tensor.Softplus(s), tensor.Mul(s, x))), 1/float64(n))
	kl := nn.GaussianKL(mu, logVar)
	return ELBO{Loss: tensor.Add(recon, kl), Recon: recon, KL: kl}
}

// Forward returns the decoder's logits at z = μ(x): the deterministic
// reconstruction of x.
func (v *VAE) Forward(x *tensor.Tensor) *tensor.Tensor {
	h := v.Enc.Forward(tensor.Reshape(x, x.Dim(0), 784))
	return v.Dec.Forward(v.Mu.Forward(h))
}

// BackwardInputs returns ∂L/∂x [N, 784] for the last Forward given
// ∂L/∂logits, through the decoder, the mean head and the encoder.
func (v *VAE) BackwardInputs(grad *tensor.Tensor) *tensor.Tensor {
	gz := v.Dec.BackwardInputs(grad)
	return v.Enc.BackwardInputs(v.Mu.BackwardInputs(gz))
}

// BackwardParams returns the gradients of the last Forward's path: the
// decoder, the mean head and the encoder (the log variance head is not on
// it and gets none).
func (v *VAE) BackwardParams(grad *tensor.Tensor) []nn.ParamGrad {
	var out []nn.ParamGrad
	for _, g := range v.Dec.BackwardParams(grad) {
		out = append(out, nn.ParamGrad{Name: "dec." + g.Name, Param: g.Param, Grad: g.Grad})
	}
	gz := v.Dec.BackwardInputs(grad)
	for _, g := range v.Mu.BackwardParams(gz) {
		out = append(out, nn.ParamGrad{Name: "mu." + g.Name, Param: g.Param, Grad: g.Grad})
	}
	for _, g := range v.Enc.BackwardParams(v.Mu.BackwardInputs(gz)) {
		out = append(out, nn.ParamGrad{Name: "enc." + g.Name, Param: g.Param, Grad: g.Grad})
	}
	return out
}

// Params returns the parameters with PyTorch names (see VAE).
func (v *VAE) Params() []nn.Param {
	var ps []nn.Param
	ps = append(ps, nn.Prefixed("enc", v.Enc.Params())...)
	ps = append(ps, nn.Prefixed("mu", v.Mu.Params())...)
	ps = append(ps, nn.Prefixed("logvar", v.LogVar.Params())...)
	ps = append(ps, nn.Prefixed("dec", v.Dec.Params())...)
	return ps
}

// SetTraining sets the mode of every part (none of them depends on it).
func (v *VAE) SetTraining(training bool) {
	v.Enc.SetTraining(training)
	v.Dec.SetTraining(training)
}
