// Command fcann2 is lab 1's two-layer network: one hidden ReLU layer and a
// softmax, s = ReLU(X·W₁ + b₁)·W₂ + b₂, trained by full-batch gradient
// descent on a Gaussian mixture (sample_gmm_2d(K, C, N)) with the loss
// −mean log softmax(s)[y] + λ(‖W₁‖² + ‖W₂‖²). It trains it in two ways
// from the same start: the lab's way, with the backward pass written out
// by hand, and duboko's autodiff. Their weights agree to rounding (the
// program prints the largest difference; a long run whose large steps
// oscillate, as the default 100,000 steps of 0.05 do late on, can amplify
// rounding to about 1e-3). It prints the loss while training, the
// accuracy and the confusion matrix with per-class precision and recall,
// and draws the decision surfaces with the data, one panel per hidden
// size given (-hidden 5,20 compares two networks side by side).
//
//	go run ./examples/fcann2                          # K=6, C=2, N=10, hidden 5
//	go run ./examples/fcann2 -hidden 2,5,20 -iters 20000 -out fcann2.png
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/duboko/duboko/data/synth"
	"github.com/duboko/duboko/metrics"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/plot"
	"github.com/duboko/duboko/tensor"
)

// config holds the program's settings (the lab's names in comments).
type config struct {
	components, classes, perComponent int   // K, C, N of sample_gmm_2d
	hidden                            []int // hidden units, one network each
	iters                             int   // param_niter
	lr, lambda                        float64
	seed                              uint64
	out                               string // PNG of the decision surfaces; "" draws nothing
}

func main() {
	var c config
	var hidden string
	flag.IntVar(&c.components, "K", 6, "Gaussian components of the mixture")
	flag.IntVar(&c.classes, "C", 2, "classes")
	flag.IntVar(&c.perComponent, "N", 10, "points per component")
	flag.StringVar(&hidden, "hidden", "5", "hidden units; a comma-separated list trains one network each")
	flag.IntVar(&c.iters, "iters", 100000, "gradient-descent iterations (the lab's param_niter)")
	flag.Float64Var(&c.lr, "lr", 0.05, "learning rate (param_delta)")
	flag.Float64Var(&c.lambda, "lambda", 1e-3, "L2 penalty λ on the weights (param_lambda)")
	flag.Uint64Var(&c.seed, "seed", 100, "random seed for data and initial weights")
	flag.StringVar(&c.out, "out", "fcann2.png", "PNG file for the decision surfaces (empty: none)")
	flag.Parse()
	for _, f := range strings.Split(hidden, ",") {
		h, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || h < 1 {
			fmt.Fprintf(os.Stderr, "fcann2: -hidden %q: want positive integers separated by commas\n", hidden)
			os.Exit(2)
		}
		c.hidden = append(c.hidden, h)
	}
	if c.components < 1 || c.classes < 2 || c.perComponent < 1 || c.iters < 1 || !(c.lr > 0) || c.lambda < 0 {
		fmt.Fprintln(os.Stderr, "fcann2: need -K ≥ 1, -C ≥ 2, -N ≥ 1, -iters ≥ 1, -lr > 0 and -lambda ≥ 0")
		os.Exit(2)
	}
	if _, err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fcann2:", err)
		os.Exit(1)
	}
}

// net holds the parameters: W1 [2, H], b1 [H], W2 [H, C], b2 [C].
type net struct {
	W1, b1, W2, b2 *tensor.Tensor
}

func (n *net) params() []*tensor.Tensor { return []*tensor.Tensor{n.W1, n.b1, n.W2, n.b2} }

// clone returns a copy of the parameters.
func (n *net) clone() *net {
	return &net{n.W1.Clone(), n.b1.Clone(), n.W2.Clone(), n.b2.Clone()}
}

// scores returns s = ReLU(X·W₁ + b₁)·W₂ + b₂ (recorded when the
// parameters require gradients) and the hidden activations.
func (n *net) scores(X *tensor.Tensor) (s, h *tensor.Tensor) {
	h = tensor.ReLU(tensor.Add(tensor.MatMul(X, n.W1), n.b1))
	return tensor.Add(tensor.MatMul(h, n.W2), n.b2), h
}

// predict returns the predicted class of every point.
func (n *net) predict(X *tensor.Tensor) []int {
	var p []int
	tensor.NoGrad(func() {
		s, _ := n.scores(X)
		p = tensor.Argmax(s, 1).Ints()
	})
	return p
}

// report is what run measured for one network trained one way.
type report struct {
	hidden, way string
	net         *net
	first, last float64 // the loss before the first and after the last step
	conf        *metrics.Confusion
}

// run generates the data, trains each network both ways, prints the lab's
// numbers to w, draws the surfaces to c.out and returns the reports
// (explicit, then autodiff, per hidden size).
func run(c config, w io.Writer) ([]report, error) {
	rng := tensor.NewRand(c.seed)
	xs, ys := synth.SampleGMM2D(rng, c.components, c.classes, c.perComponent)
	X := tensor.FromFloat64(xs, len(ys), 2)
	fmt.Fprintf(w, "mixture of %d Gaussians, %d classes, %d points; %d iterations, learning rate %g, λ %g\n",
		c.components, c.classes, len(ys), c.iters, c.lr, c.lambda)
	var reports []report
	var panels []plot.Plot
	for _, h := range c.hidden {
		// both ways start from the same weights, W ~ N(0, 1), b = 0
		init := &net{
			W1: tensor.To(tensor.RandN(rng, 2, h), tensor.Float64), b1: tensor.ZerosOf(tensor.Float64, h),
			W2: tensor.To(tensor.RandN(rng, h, c.classes), tensor.Float64), b2: tensor.ZerosOf(tensor.Float64, c.classes),
		}
		name := fmt.Sprintf("fcann2 [2, %d, %d]", h, c.classes)
		pair := []report{trainExplicit(X, ys, init.clone(), c, w), trainAutodiff(X, ys, init.clone(), c, w)}
		for i := range pair {
			r := &pair[i]
			r.hidden = name
			r.conf = metrics.NewConfusion(c.classes)
			if err := r.conf.AddAll(ys, r.net.predict(X)); err != nil {
				return nil, err
			}
			fmt.Fprintf(w, "\n%s, %s: loss %.5f → %.5f, accuracy %.4f\n", name, r.way, r.first, r.last, r.conf.Accuracy())
			fmt.Fprint(w, r.conf.String())
		}
		fmt.Fprintf(w, "explicit and autodiff weights differ by at most %.3g\n", maxDiff(pair[0].net, pair[1].net))
		reports = append(reports, pair...)
		panels = append(panels, surface(pair[0], xs, ys, X, c.classes))
	}
	if c.out != "" {
		g := plot.NewGrid(min(len(panels), 3), panels...)
		g.Title = fmt.Sprintf("fcann2 on a mixture of %d Gaussians", c.components)
		if err := plot.SavePNG(c.out, g); err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "decision surfaces: %s\n", c.out)
	}
	return reports, nil
}

// loss returns −mean log softmax(s)[y] + λ(‖W₁‖² + ‖W₂‖²) with Y one-hot.
func loss(s, Y *tensor.Tensor, n *net, lambda float64) *tensor.Tensor {
	ce := tensor.MulScalar(tensor.Sum(tensor.Mul(Y, tensor.LogSoftmax(s, 1))), -1/float64(s.Dim(0)))
	return tensor.Add(ce, nn.L2(lambda, n.W1, n.W2))
}

// trainExplicit is the lab's fcann2_train: forward pass, then the backward
// pass written out layer by layer, outside any recorded graph.
func trainExplicit(X *tensor.Tensor, ys []int, n *net, c config, log io.Writer) report {
	r := report{way: "explicit gradients", net: n}
	Y := tensor.OneHot(tensor.Float64, tensor.FromInts(ys), c.classes)
	scale := 1 / float64(len(ys))
	tensor.NoGrad(func() {
		for it := 0; it <= c.iters; it++ {
			s, h := n.scores(X)
			if it == 0 || it == c.iters || logNow(it, c.iters) {
				l := loss(s, Y, n, c.lambda).Item()
				if it == 0 {
					r.first = l
				}
				if it == c.iters {
					r.last = l
					break
				}
				fmt.Fprintf(log, "%s: iteration %d, loss %.5f\n", r.way, it, l)
			}
			dS := tensor.MulScalar(tensor.Sub(tensor.Softmax(s, 1), Y), scale) // ∂L/∂s = (P − Y)/N
			gW2 := tensor.Add(tensor.MatMul(tensor.T(h), dS), tensor.MulScalar(n.W2, 2*c.lambda))
			gb2 := tensor.Sum(dS, 0)
			dH := tensor.Mul(tensor.MatMul(dS, tensor.T(n.W2)), tensor.Greater(h, tensor.ScalarOf(tensor.Float64, 0))) // through the ReLU
			gW1 := tensor.Add(tensor.MatMul(tensor.T(X), dH), tensor.MulScalar(n.W1, 2*c.lambda))
			gb1 := tensor.Sum(dH, 0)
			for i, g := range []*tensor.Tensor{gW1, gb1, gW2, gb2} {
				p := n.params()[i]
				p.CopyFrom(tensor.Sub(p, tensor.MulScalar(g, c.lr)))
			}
		}
	})
	return r
}

// trainAutodiff trains the same network with the loss recorded and
// differentiated by Backward, stepped by plain SGD.
func trainAutodiff(X *tensor.Tensor, ys []int, n *net, c config, log io.Writer) report {
	r := report{way: "autodiff", net: n}
	Y := tensor.OneHot(tensor.Float64, tensor.FromInts(ys), c.classes)
	var ps []nn.Param
	for i, p := range n.params() {
		p.SetRequiresGrad(true)
		ps = append(ps, nn.Param{Name: []string{"W1", "b1", "W2", "b2"}[i], Tensor: p})
	}
	opt := optim.NewSGD(ps, optim.SGDConfig{LR: c.lr})
	for it := 0; it <= c.iters; it++ {
		s, _ := n.scores(X)
		l := loss(s, Y, n, c.lambda)
		if it == 0 {
			r.first = l.Item()
		}
		if it == c.iters {
			r.last = l.Item()
			break
		}
		if logNow(it, c.iters) {
			fmt.Fprintf(log, "%s: iteration %d, loss %.5f\n", r.way, it, l.Item())
		}
		opt.ZeroGrad()
		l.Backward()
		opt.Step()
	}
	for _, p := range n.params() {
		p.SetRequiresGrad(false)
	}
	return r
}

// logNow reports whether iteration it is one of the ten logged.
func logNow(it, iters int) bool { return it%max(iters/10, 1) == 0 }

// maxDiff returns the largest difference between two networks' weights.
func maxDiff(a, b *net) float64 {
	var d float64
	bp := b.params()
	for i, p := range a.params() {
		av, bv := p.Values(), bp[i].Values()
		for j := range av {
			d = max(d, math.Abs(av[j]-bv[j]))
		}
	}
	return d
}

// surface returns r's decision surface with the data.
func surface(r report, xs []float64, ys []int, X *tensor.Tensor, classes int) plot.Plot {
	points := make([][2]float64, len(ys))
	for i := range points {
		points[i] = [2]float64{xs[2*i], xs[2*i+1]}
	}
	d := &plot.DecisionSurface{
		Title:  fmt.Sprintf("%s (accuracy %.3f)", r.hidden, r.conf.Accuracy()),
		XLabel: "x₁", YLabel: "x₂",
		Points: points, Labels: ys, Predicted: r.net.predict(X),
	}
	// evaluated at every pixel: the network in plain Go on the weights' values
	W1, b1, W2, b2 := r.net.W1.Values(), r.net.b1.Values(), r.net.W2.Values(), r.net.b2.Values()
	h, k := len(b1), len(b2)
	hid := make([]float64, h)
	scores := func(x, y float64) []float64 {
		s := append([]float64(nil), b2...)
		for j := range h {
			hid[j] = max(0, x*W1[j]+y*W1[h+j]+b1[j])
			for o := range k {
				s[o] += hid[j] * W2[j*k+o]
			}
		}
		return s
	}
	if classes == 2 {
		d.Fn = func(x, y float64) float64 { s := scores(x, y); return s[1] - s[0] } // the logit of class 1
	} else {
		d.Classes = classes
		d.Fn = func(x, y float64) float64 {
			s := scores(x, y)
			best := 0
			for o := range s {
				if s[o] > s[best] {
					best = o
				}
			}
			return float64(best)
		}
	}
	return d
}
