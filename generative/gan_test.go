package generative

import (
	"errors"
	"math"
	"testing"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// scalarGAN is the smallest GAN: G(z) = w·z, D(x) = σ(u·x), float64,
// no biases, with SGD for both players.
type scalarGAN struct {
	g, d       *nn.Sequential
	optG, optD optim.Optimizer
}

func newScalarGAN(w, u, lr float64) *scalarGAN {
	lin := func(v float64) *nn.Linear {
		l := nn.NewLinear(tensor.NewRand(1), 1, 1, nn.LinearNoBias())
		nn.To(l, tensor.Float64)
		l.Weight.CopyFrom(tensor.FromFloat64([]float64{v}, 1, 1))
		return l
	}
	g := nn.NewSequential(lin(w))
	d := nn.NewSequential(lin(u), nn.NewSigmoid())
	return &scalarGAN{g: g, d: d,
		optG: optim.NewSGD(g.Params(), optim.SGDConfig{LR: lr}),
		optD: optim.NewSGD(d.Params(), optim.SGDConfig{LR: lr})}
}

func (s *scalarGAN) w() float64 { return s.g.Params()[0].Tensor.Item() }
func (s *scalarGAN) u() float64 { return s.d.Params()[0].Tensor.Item() }

func sigmoid(v float64) float64 { return 1 / (1 + math.Exp(-v)) }

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*max(1, math.Abs(b)) }

// TestGeneratorLossGradients: with p = D(G(z)) = σ(u·w·z) the minimax loss
// log(1 − p) has ∂/∂w = −p·u·z and the non-saturating −log p has
// ∂/∂w = −(1 − p)·u·z: the same direction, and where the discriminator
// rejects the sample (p ≈ 0) the minimax gradient vanishes while the
// non-saturating one does not; their ratio is (1 − p)/p. The discriminator
// does not move in a generator step and keeps no gradient.
func TestGeneratorLossGradients(t *testing.T) {
	const w, u, z, lr = -2.0, 2.0, 1.0, 1.0
	p := sigmoid(u * w * z) // σ(−4) ≈ 0.018
	dw := map[GeneratorLoss]float64{}
	for _, kind := range []GeneratorLoss{NonSaturating, Minimax} {
		s := newScalarGAN(w, u, lr)
		loss, dFake, err := GeneratorStep(s.g, s.d, s.optG, tensor.FromFloat64([]float64{z}, 1, 1), kind)
		if err != nil {
			t.Fatal(err)
		}
		wantLoss := -math.Log(p)
		if kind == Minimax {
			wantLoss = math.Log(1 - p)
		}
		if !near(loss, wantLoss) || !near(dFake, p) {
			t.Errorf("%v: loss %v, D(G(z)) %v; want %v, %v", kind, loss, dFake, wantLoss, p)
		}
		if s.u() != u {
			t.Errorf("%v: the discriminator moved: u = %v", kind, s.u())
		}
		if gr := s.d.Params()[0].Tensor.Grad(); gr != nil && gr.Item() != 0 {
			t.Errorf("%v: the discriminator keeps gradient %v", kind, gr.Item())
		}
		dw[kind] = s.w() - w
	}
	if want := lr * (1 - p) * u * z; !near(dw[NonSaturating], want) {
		t.Errorf("non-saturating step %v, want %v", dw[NonSaturating], want)
	}
	if want := lr * p * u * z; !near(dw[Minimax], want) {
		t.Errorf("minimax step %v, want %v", dw[Minimax], want)
	}
	if r := dw[NonSaturating] / dw[Minimax]; !near(r, (1-p)/p) || r < 50 {
		t.Errorf("ratio of the steps %v, want (1−p)/p = %v", r, (1-p)/p)
	}
}

// TestGANStepKDiscriminatorSteps: with k = 2 the discriminator takes two
// SGD steps on L_D(u) = −log σ(u·x) − log(1 − σ(u·f)), f = w·z fixed,
// ∂L_D/∂u = −(1 − σ(u·x))·x + σ(u·f)·f, and then the generator one
// non-saturating step with the twice-updated u; k = 1 takes one.
func TestGANStepKDiscriminatorSteps(t *testing.T) {
	const w0, u0, x, z, lr = 0.5, 1.0, 1.5, 1.0, 0.5
	us := map[int]float64{}
	for _, k := range []int{1, 2} {
		u, f := u0, w0*z
		var lossD, dReal, dFake float64
		for range k {
			lossD = -math.Log(sigmoid(u*x)) - math.Log(1-sigmoid(u*f))
			dReal, dFake = sigmoid(u*x), sigmoid(u*f)
			u -= lr * (-(1-sigmoid(u*x))*x + sigmoid(u*f)*f)
		}
		p := sigmoid(u * w0 * z)
		w := w0 - lr*(-(1-p)*u*z)

		s := newScalarGAN(w0, u0, lr)
		st, err := GANStep(s.g, s.d, s.optG, s.optD, tensor.FromFloat64([]float64{x}, 1, 1), tensor.FromFloat64([]float64{z}, 1, 1),
			WithDiscriminatorSteps(k))
		if err != nil {
			t.Fatal(err)
		}
		if !near(s.u(), u) || !near(s.w(), w) {
			t.Errorf("k=%d: u %v, w %v; want %v, %v", k, s.u(), s.w(), u, w)
		}
		if !near(st.LossD, lossD) || !near(st.DReal, dReal) || !near(st.DFake, dFake) ||
			!near(st.LossG, -math.Log(p)) || !near(st.DFakeG, p) {
			t.Errorf("k=%d: stats %+v; want L_D %v, D(x) %v, D(G(z)) %v, L_G %v, after %v",
				k, st, lossD, dReal, dFake, -math.Log(p), p)
		}
		us[k] = s.u()
	}
	if us[1] == us[2] {
		t.Errorf("k=2 left the discriminator where k=1 did: u = %v", us[1])
	}
}

// TestGANStepSaturatedDiscriminatorIsFinite: a discriminator whose sigmoid
// saturates to exactly 0 or 1 gives finite losses (BCE's clamped logs).
func TestGANStepSaturatedDiscriminatorIsFinite(t *testing.T) {
	for _, kind := range []GeneratorLoss{NonSaturating, Minimax} {
		s := newScalarGAN(-1, 1000, 0.1)
		st, err := GANStep(s.g, s.d, s.optG, s.optD, tensor.FromFloat64([]float64{-1}, 1, 1), tensor.FromFloat64([]float64{1}, 1, 1),
			WithGeneratorLoss(kind))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []float64{st.LossD, st.LossG, s.u(), s.w()} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%v: non-finite figure in %+v, u %v, w %v", kind, st, s.u(), s.w())
			}
		}
	}
}

// TestGANStepRefusesNaN: a NaN in the real batch makes the discriminator's
// loss NaN; GANStep returns a *train.NonFiniteError and no weight moves.
func TestGANStepRefusesNaN(t *testing.T) {
	s := newScalarGAN(0.5, 1, 0.1)
	_, err := GANStep(s.g, s.d, s.optG, s.optD, tensor.FromFloat64([]float64{math.NaN()}, 1, 1), tensor.FromFloat64([]float64{1}, 1, 1))
	var nf *train.NonFiniteError
	if !errors.As(err, &nf) || nf.What != "discriminator loss" {
		t.Fatalf("error %v, want a non-finite discriminator loss", err)
	}
	if s.u() != 1 || s.w() != 0.5 {
		t.Errorf("weights moved: u %v, w %v", s.u(), s.w())
	}
}
