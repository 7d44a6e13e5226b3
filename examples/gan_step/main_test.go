package main

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/duboko/duboko/generative"
)

// hand is the one GAN step computed by hand: scalar float64 loops over the
// layers, written out forward and backward, independent of the tensor
// package. It returns the weights after the step by the names run uses.
type hand struct {
	w1, w2, v1, v2 [][]float64
	lr             float64
	t              *testing.T
}

func clone(m [][]float64) [][]float64 {
	out := make([][]float64, len(m))
	for i := range m {
		out[i] = append([]float64(nil), m[i]...)
	}
	return out
}

func sigmoid(s float64) float64 { return 1 / (1 + math.Exp(-s)) }

// gen is G(z) = W2·ReLU(W1·z); it returns the pre-activations b, the
// hidden r and the output f.
func (h *hand) gen(z []float64) (b, r, f []float64) {
	b, r, f = make([]float64, 2), make([]float64, 2), make([]float64, 2)
	for j := range 2 {
		for i := range 2 {
			b[j] += h.w1[j][i] * z[i]
		}
		if b[j] == 0 {
			h.t.Fatalf("generator pre-activation exactly 0 at z=%v: the ReLU kink", z)
		}
		r[j] = max(b[j], 0)
	}
	for k := range 2 {
		for j := range 2 {
			f[k] += h.w2[k][j] * r[j]
		}
	}
	return
}

// disc is D(x) = σ(v·LeakyReLU_0.2(V1·x)); it returns the pre-activations
// a, the hidden l and the probability p.
func (h *hand) disc(x []float64) (a, l []float64, p float64) {
	a, l = make([]float64, 2), make([]float64, 2)
	var s float64
	for j := range 2 {
		for i := range 2 {
			a[j] += h.v1[j][i] * x[i]
		}
		if a[j] == 0 {
			h.t.Fatalf("discriminator pre-activation exactly 0 at x=%v: the LeakyReLU kink", x)
		}
		l[j] = a[j]
		if a[j] < 0 {
			l[j] = 0.2 * a[j]
		}
		s += h.v2[0][j] * l[j]
	}
	return a, l, sigmoid(s)
}

// discBack adds to dV1, dv the gradient of a loss whose derivative with
// respect to D's logit s at input x is ds, and returns ∂loss/∂x.
func (h *hand) discBack(x, a, l []float64, ds float64, dV1, dv [][]float64) []float64 {
	dx := make([]float64, 2)
	for j := range 2 {
		dv[0][j] += ds * l[j]
		da := ds * h.v2[0][j]
		if a[j] < 0 {
			da *= 0.2
		}
		for i := range 2 {
			dV1[j][i] += da * x[i]
			dx[i] += da * h.v1[j][i]
		}
	}
	return dx
}

func zeros() [][]float64 { return [][]float64{{0, 0}, {0, 0}} }

func sgd(w, g [][]float64, lr float64) {
	for i := range w {
		for j := range w[i] {
			w[i][j] -= lr * g[i][j]
		}
	}
}

// step runs k discriminator steps on x and the fixed G(z), then one
// generator step with the updated discriminator; it returns L_D of the
// last discriminator step and L_G, both before their updates.
func (h *hand) step(x, z [][]float64, k int, loss generative.GeneratorLoss) (lossD, lossG float64) {
	n := float64(len(x))
	fakes := make([][]float64, len(z))
	for i := range z {
		_, _, fakes[i] = h.gen(z[i])
	}
	// discriminator: L_D = −(1/N) Σ log D(xᵢ) − (1/N) Σ log(1 − D(fᵢ));
	// ∂(−log p)/∂s = −(1 − p), ∂(−log(1 − p))/∂s = p.
	for range k {
		dV1, dv := zeros(), [][]float64{{0, 0}}
		lossD = 0
		for i := range x {
			a, l, p := h.disc(x[i])
			lossD -= math.Log(p) / n
			h.discBack(x[i], a, l, -(1-p)/n, dV1, dv)
		}
		for i := range fakes {
			a, l, p := h.disc(fakes[i])
			lossD -= math.Log(1-p) / n
			h.discBack(fakes[i], a, l, p/n, dV1, dv)
		}
		sgd(h.v1, dV1, h.lr)
		sgd(h.v2, dv, h.lr)
	}
	// generator through the updated discriminator: non-saturating
	// L_G = −(1/N) Σ log p, ∂/∂s = −(1 − p)/N; minimax L_G = (1/N) Σ log(1 − p),
	// ∂/∂s = −p/N.
	dW1, dW2 := zeros(), zeros()
	for i := range z {
		b, r, f := h.gen(z[i])
		a, l, p := h.disc(f)
		var ds float64
		if loss == generative.Minimax {
			lossG += math.Log(1-p) / n
			ds = -p / n
		} else {
			lossG -= math.Log(p) / n
			ds = -(1 - p) / n
		}
		df := h.discBack(f, a, l, ds, zeros(), [][]float64{{0, 0}}) // D's gradient is not used
		for kk := range 2 {
			for j := range 2 {
				dW2[kk][j] += df[kk] * r[j]
			}
		}
		for j := range 2 {
			if b[j] <= 0 {
				continue
			}
			var dr float64
			for kk := range 2 {
				dr += h.w2[kk][j] * df[kk]
			}
			for ii := range 2 {
				dW1[j][ii] += dr * z[i][ii]
			}
		}
	}
	sgd(h.w1, dW1, h.lr)
	sgd(h.w2, dW2, h.lr)
	return lossD, lossG
}

func flat(m [][]float64) []float64 {
	var out []float64
	for _, r := range m {
		out = append(out, r...)
	}
	return out
}

// TestOneStepMatchesHandComputation: the program's step equals the hand
// computation to 1e-12 for both generator losses and for k = 1 and 2.
func TestOneStepMatchesHandComputation(t *testing.T) {
	for _, tc := range []struct {
		loss generative.GeneratorLoss
		k    int
		lr   float64
	}{{generative.NonSaturating, 1, 0.1}, {generative.Minimax, 1, 0.1}, {generative.NonSaturating, 2, 0.5}, {generative.Minimax, 2, 0.5}} {
		t.Run(fmt.Sprintf("%v/k=%d", tc.loss, tc.k), func(t *testing.T) {
			h := &hand{w1: clone(w1), w2: clone(w2), v1: clone(v1), v2: clone(v2), lr: tc.lr, t: t}
			lossD, lossG := h.step(xs, zs, tc.k, tc.loss)
			var out bytes.Buffer
			gan, s := run(config{lr: tc.lr, loss: tc.loss, k: tc.k}, &out)
			if math.Abs(s.LossD-lossD) > 1e-12 || math.Abs(s.LossG-lossG) > 1e-12 {
				t.Errorf("losses D %.17g G %.17g, by hand %.17g %.17g", s.LossD, s.LossG, lossD, lossG)
			}
			got := gan.weights()
			want := map[string][]float64{"G.fc1.weight": flat(h.w1), "G.fc2.weight": flat(h.w2),
				"D.fc1.weight": flat(h.v1), "D.fc2.weight": flat(h.v2)}
			if len(got) != len(want) {
				t.Fatalf("weights %v, want the names of %v", got, want)
			}
			for name, w := range want {
				g := got[name]
				if len(g) != len(w) {
					t.Fatalf("%s: %v, by hand %v", name, g, w)
				}
				for i := range w {
					if math.Abs(g[i]-w[i]) > 1e-12 {
						t.Errorf("%s[%d] = %.17g, by hand %.17g", name, i, g[i], w[i])
					}
				}
			}
			// every weight changed, and the printout shows both states
			orig := map[string][]float64{"G.fc1.weight": flat(w1), "G.fc2.weight": flat(w2),
				"D.fc1.weight": flat(v1), "D.fc2.weight": flat(v2)}
			for name, w := range orig {
				for i := range w {
					if got[name][i] == w[i] {
						t.Errorf("%s[%d] did not change", name, i)
					}
				}
			}
			o := out.String()
			if !strings.Contains(o, "before:") || !strings.Contains(o, "after:") ||
				!strings.Contains(o, fmt.Sprintf("%.12f", h.w1[0][0])) || !strings.Contains(o, "[1.000000000000, -0.500000000000]") {
				t.Errorf("printout:\n%s", o)
			}
		})
	}
}
