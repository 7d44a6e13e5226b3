package nn

import (
	"math"

	"github.com/duboko/duboko/tensor"
)

// Pieces of the generative models (VAE, GAN, RBM) that are not layers of
// their own: the Gaussian KL term of a VAE's ELBO and the softplus
// activation of its encoder. Bernoulli sampling (an RBM's Gibbs steps, a
// VAE's binarised data) is tensor.Bernoulli.

// NewSoftplus returns the layer log(1+eˣ) (torch.nn.Softplus with β = 1),
// computed stably as max(x, 0) + log1p(e^−|x|); its derivative is σ(x).
// Unlike PyTorch it has no threshold above which it returns x: for
// x > 20 the two differ by less than e^−20 ≈ 2·10⁻⁹.
func NewSoftplus() Module {
	return &elementwise{name: "Softplus", f: tensor.Softplus, df: func(x, _ float64) float64 { return stableSigmoid(x) }}
}

func stableSigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// gaussianKLOp declares GaussianKL over n elements: per element one
// square, one exponential and three additions (1 + logvar − mu² − e^logvar),
// n−1 additions for the sum and one multiplication by −1/(2N). Its
// Jacobians are single dense rows; a loss sees everything.
var gaussianKLOp = &tensor.OpDef{Name: "GaussianKL", Symbol: "KL",
	Counts: func(_ *tensor.Op, _ []int, ins [][]int) tensor.Counts {
		n := int64(numel(ins[0]))
		return tensor.Counts{Mul: n + 1, Add: 4*n - 1, Other: n}
	},
	Jacobian: func(_ *tensor.Op, out []int, ins [][]int, i int) tensor.Structure {
		return tensor.NewStructure(tensor.StructDense, numel(out), numel(ins[i]), 0)
	},
	Field: func(*tensor.Op, []int, [][]int) tensor.FieldRule { return tensor.FieldRule{Kind: tensor.FieldAll} },
}

// GaussianKL returns the Kullback–Leibler divergence of the diagonal
// Gaussian N(mu, e^logvar) from the standard normal, summed over each
// sample's latent dimensions and averaged over the batch (axis 0), the
// regulariser of a VAE's ELBO:
//
//	KL = (1/N) Σ_n −½ Σ_j (1 + logvar_nj − mu_nj² − e^logvar_nj)
//
// in nats. mu and logvar have one shape [N, ...]. Its recorded op uses the
// closed-form gradient (GaussianKLGrads) rather than the chain of
// elementary ops.
func GaussianKL(mu, logvar *tensor.Tensor) *tensor.Tensor {
	lossShapes("GaussianKL", mu, logvar)
	if mu.NDim() == 0 || mu.Dim(0) == 0 {
		panic(&tensor.ShapeError{Op: "GaussianKL", Shapes: [][]int{mu.Shape(), logvar.Shape()}, Msg: "want mu and logvar [N, ...] with N > 0"})
	}
	if !mu.DType().IsFloat() || mu.DType() != logvar.DType() {
		panic(&tensor.DTypeError{Op: "GaussianKL", DTypes: []tensor.DType{mu.DType(), logvar.DType()}, Shapes: [][]int{mu.Shape(), logvar.Shape()},
			Msg: "mu and logvar must share one float dtype"})
	}
	m, lv := mu.Values(), logvar.Values()
	var s float64
	for i := range m {
		s += lv[i] - math.Expm1(lv[i]) - m[i]*m[i] // 1+lv−e^lv without cancellation near 0
	}
	kl := tensor.FullOf(mu.DType(), -0.5*s/float64(mu.Dim(0)))
	return tensor.CustomOp(gaussianKLOp, kl, []*tensor.Tensor{mu, logvar}, func(g *tensor.Tensor) []*tensor.Tensor {
		dmu, dlv := GaussianKLGrads(mu.Detach(), logvar.Detach())
		var gm, gl *tensor.Tensor
		tensor.NoGrad(func() {
			if mu.RequiresGrad() {
				gm = tensor.MulScalar(dmu, g.Item())
			}
			if logvar.RequiresGrad() {
				gl = tensor.MulScalar(dlv, g.Item())
			}
		})
		return []*tensor.Tensor{gm, gl}
	})
}

// GaussianKLGrads returns the closed-form gradients of GaussianKL(mu,
// logvar): ∂KL/∂mu = mu/N and ∂KL/∂logvar = (e^logvar − 1)/(2N), the
// formulas a hand-written VAE backward pass uses. It records nothing.
func GaussianKLGrads(mu, logvar *tensor.Tensor) (dmu, dlogvar *tensor.Tensor) {
	lossShapes("GaussianKLGrads", mu, logvar)
	if mu.NDim() == 0 || mu.Dim(0) == 0 {
		panic(&tensor.ShapeError{Op: "GaussianKLGrads", Shapes: [][]int{mu.Shape(), logvar.Shape()}, Msg: "want mu and logvar [N, ...] with N > 0"})
	}
	n := float64(mu.Dim(0))
	m, lv := mu.Values(), logvar.Values()
	dm, dl := make([]float64, len(m)), make([]float64, len(lv))
	for i := range m {
		dm[i] = m[i] / n
		dl[i] = math.Expm1(lv[i]) / (2 * n)
	}
	return tensor.FromValues(mu.DType(), dm, mu.Shape()...), tensor.FromValues(logvar.DType(), dl, logvar.Shape()...)
}
