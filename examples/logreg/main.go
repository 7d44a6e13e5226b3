// Command logreg is lab 0 of the course: logistic regression on 2-D
// Gaussian data, binary (two classes, a sigmoid) or multiclass (three or
// more, a softmax), trained by full-batch gradient descent in two ways
// that must agree: the lab's way, with the gradients written out by hand
// (∂L/∂s = P − Y, ∂L/∂W = Xᵀ·∂L/∂s / N), and duboko's autodiff, where
// loss.Backward() finds them. It prints the loss while training, then the
// accuracy, the confusion matrix with per-class precision and recall and,
// for two classes, the average precision of the ranked probabilities, and
// draws both models' decision surfaces with the data (a PNG).
//
//	go run ./examples/logreg                    # binary, 2 Gaussians × 100 points
//	go run ./examples/logreg -classes 3 -out logreg3.png
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/duboko/duboko/data/synth"
	"github.com/duboko/duboko/metrics"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/plot"
	"github.com/duboko/duboko/tensor"
)

// config holds the program's settings.
type config struct {
	classes, n, iters int
	lr                float64
	seed              uint64
	out               string // PNG of the decision surfaces; "" draws nothing
}

func main() {
	var c config
	flag.IntVar(&c.classes, "classes", 2, "Gaussians (classes): 2 for binary logistic regression, more for multiclass")
	flag.IntVar(&c.n, "n", 100, "points per class")
	flag.IntVar(&c.iters, "iters", 1000, "gradient-descent iterations (full batch)")
	flag.Float64Var(&c.lr, "lr", 0.1, "learning rate (the lab's param_delta)")
	flag.Uint64Var(&c.seed, "seed", 100, "random seed for data and initial weights")
	flag.StringVar(&c.out, "out", "logreg.png", "PNG file for the decision surfaces (empty: none)")
	flag.Parse()
	if c.classes < 2 || c.n < 1 || c.iters < 1 || !(c.lr > 0) {
		fmt.Fprintln(os.Stderr, "logreg: need -classes ≥ 2, -n ≥ 1, -iters ≥ 1 and -lr > 0")
		os.Exit(2)
	}
	if _, err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "logreg:", err)
		os.Exit(1)
	}
}

// model is a trained logistic regression: scores s = X·W + b with W
// [2, C] and b [C] (C = 1 for the binary model, whose score is the logit
// of class 1).
type model struct {
	way  string
	W, b *tensor.Tensor
	// first and last are the loss before the first and after the last step.
	first, last float64
}

// probs returns the class probabilities of points X [N, 2]: [N] for the
// binary model (of class 1), [N, C] for the multiclass one.
func (m *model) probs(X *tensor.Tensor) *tensor.Tensor {
	var p *tensor.Tensor
	tensor.NoGrad(func() {
		s := tensor.Add(tensor.MatMul(X, m.W.Detach()), m.b.Detach())
		if m.W.Dim(1) == 1 {
			p = tensor.Sigmoid(tensor.Reshape(s, -1))
		} else {
			p = tensor.Softmax(s, 1)
		}
	})
	return p
}

// predict returns the predicted class of every point.
func (m *model) predict(X *tensor.Tensor) []int {
	p := m.probs(X)
	if p.NDim() == 1 {
		return tensor.To(tensor.Greater(p, tensor.ScalarOf(p.DType(), 0.5)), tensor.Int64).Ints()
	}
	return tensor.Argmax(p, 1).Ints()
}

// report is what run measured for one way of training.
type report struct {
	model *model
	conf  *metrics.Confusion
	ap    float64 // average precision (binary only; NaN otherwise)
}

// run generates the data, trains both ways, prints the lab's numbers to w,
// draws the surfaces to c.out and returns the two reports (explicit first).
func run(c config, w io.Writer) ([]report, error) {
	rng := tensor.NewRand(c.seed)
	xs, ys := synth.SampleGauss2D(rng, c.classes, c.n)
	X := tensor.FromFloat64(xs, len(ys), 2)
	outs := c.classes
	if outs == 2 {
		outs = 1
	}
	// both ways start from the same weights, W ~ N(0, 1), b = 0
	W0 := tensor.To(tensor.RandN(rng, 2, outs), tensor.Float64)
	fmt.Fprintf(w, "%d classes, %d points; %d iterations of gradient descent, learning rate %g\n", c.classes, len(ys), c.iters, c.lr)
	var reports []report
	for _, train := range []func(X *tensor.Tensor, ys []int, W0 *tensor.Tensor, c config, log io.Writer) *model{trainExplicit, trainAutodiff} {
		m := train(X, ys, W0, c, w)
		pred := m.predict(X)
		conf := metrics.NewConfusion(c.classes)
		if err := conf.AddAll(ys, pred); err != nil {
			return nil, err
		}
		r := report{model: m, conf: conf, ap: math.NaN()}
		fmt.Fprintf(w, "\n%s: loss %.5f → %.5f, accuracy %.4f\n", m.way, m.first, m.last, conf.Accuracy())
		if c.classes == 2 {
			r.ap = metrics.AveragePrecisionScores(m.probs(X).Values(), ys)
			fmt.Fprintf(w, "precision %.4f, recall %.4f (class 1), average precision %.4f\n", conf.Precision(1), conf.Recall(1), r.ap)
		}
		fmt.Fprint(w, conf.String())
		reports = append(reports, r)
	}
	diff := maxDiff(reports[0].model, reports[1].model)
	fmt.Fprintf(w, "\nexplicit and autodiff weights differ by at most %.3g\n", diff)
	if c.out != "" {
		if err := draw(c, xs, ys, X, reports); err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "decision surfaces: %s\n", c.out)
	}
	return reports, nil
}

// trainExplicit is the lab's binlogreg_train / logreg_train: the loss and
// its gradients written out, evaluated with tensor operations outside any
// recorded graph.
func trainExplicit(X *tensor.Tensor, ys []int, W0 *tensor.Tensor, c config, log io.Writer) *model {
	n := float64(len(ys))
	binary := W0.Dim(1) == 1
	// Y: the targets, [N, 1] of 0/1 for the binary model, one-hot [N, C] else
	var Y *tensor.Tensor
	if binary {
		Y = tensor.To(tensor.FromInts(ys, len(ys), 1), tensor.Float64)
	} else {
		Y = tensor.OneHot(tensor.Float64, tensor.FromInts(ys), c.classes)
	}
	m := &model{way: "explicit gradients", W: W0.Clone(), b: tensor.ZerosOf(tensor.Float64, W0.Dim(1))}
	tensor.NoGrad(func() {
		for it := 0; it <= c.iters; it++ {
			s := tensor.Add(tensor.MatMul(X, m.W), m.b) // scores [N, C]
			var P *tensor.Tensor
			var loss float64
			if binary {
				P = tensor.Sigmoid(s)
				// −mean(y log p + (1−y) log(1−p)), stably: mean(softplus(s) − y·s)
				loss = tensor.Mean(tensor.Sub(tensor.Softplus(s), tensor.Mul(Y, s))).Item()
			} else {
				P = tensor.Softmax(s, 1)
				loss = -tensor.Sum(tensor.Mul(Y, tensor.LogSoftmax(s, 1))).Item() / n
			}
			if it == 0 {
				m.first = loss
			}
			if it == c.iters {
				m.last = loss
				break
			}
			logLoss(log, m.way, it, c.iters, loss)
			dS := tensor.Sub(P, Y)                                      // ∂(N·L)/∂s
			gW := tensor.MulScalar(tensor.MatMul(tensor.T(X), dS), 1/n) // Xᵀ·dS / N
			gb := tensor.Mean(dS, 0)                                    // mean over the points
			m.W.CopyFrom(tensor.Sub(m.W, tensor.MulScalar(gW, c.lr)))
			m.b.CopyFrom(tensor.Sub(m.b, tensor.MulScalar(gb, c.lr)))
		}
	})
	return m
}

// trainAutodiff trains the same model with the loss recorded and
// differentiated by Backward, stepped by plain SGD.
func trainAutodiff(X *tensor.Tensor, ys []int, W0 *tensor.Tensor, c config, log io.Writer) *model {
	m := &model{way: "autodiff", W: W0.Clone().SetRequiresGrad(true), b: tensor.ZerosOf(tensor.Float64, W0.Dim(1)).SetRequiresGrad(true)}
	opt := optim.NewSGD([]nn.Param{{Name: "W", Tensor: m.W}, {Name: "b", Tensor: m.b}}, optim.SGDConfig{LR: c.lr})
	labels := tensor.FromInts(ys)
	var y01 *tensor.Tensor
	if m.W.Dim(1) == 1 {
		y01 = tensor.To(labels, tensor.Float64)
	}
	for it := 0; it <= c.iters; it++ {
		s := tensor.Add(tensor.MatMul(X, m.W), m.b)
		var loss *tensor.Tensor
		if y01 != nil {
			loss = nn.BCEWithLogits(tensor.Reshape(s, -1), y01)
		} else {
			loss = nn.CrossEntropy(s, labels)
		}
		if it == 0 {
			m.first = loss.Item()
		}
		if it == c.iters {
			m.last = loss.Item()
			break
		}
		logLoss(log, m.way, it, c.iters, loss.Item())
		opt.ZeroGrad()
		loss.Backward()
		opt.Step()
	}
	m.W.SetRequiresGrad(false)
	m.b.SetRequiresGrad(false)
	return m
}

// logLoss prints the loss ten times over the run, as the lab does.
func logLoss(w io.Writer, way string, it, iters int, loss float64) {
	if every := max(iters/10, 1); it%every == 0 {
		fmt.Fprintf(w, "%s: iteration %d, loss %.5f\n", way, it, loss)
	}
}

// maxDiff returns the largest difference between two models' weights.
func maxDiff(a, b *model) float64 {
	var d float64
	for _, p := range [][2]*tensor.Tensor{{a.W, b.W}, {a.b, b.b}} {
		av, bv := p[0].Values(), p[1].Values()
		for i := range av {
			d = max(d, math.Abs(av[i]-bv[i]))
		}
	}
	return d
}

// draw saves both models' decision surfaces side by side with the data.
func draw(c config, xs []float64, ys []int, X *tensor.Tensor, reports []report) error {
	points := make([][2]float64, len(ys))
	for i := range points {
		points[i] = [2]float64{xs[2*i], xs[2*i+1]}
	}
	var panels []plot.Plot
	for _, r := range reports {
		m := r.model
		d := &plot.DecisionSurface{
			Title:  fmt.Sprintf("%s (accuracy %.3f)", m.way, r.conf.Accuracy()),
			XLabel: "x₁", YLabel: "x₂",
			Points: points, Labels: ys, Predicted: m.predict(X),
		}
		// the surface is evaluated at every pixel: scores from the weights' values
		W, b := m.W.Values(), m.b.Values()
		k := len(b)
		score := func(x, y float64, j int) float64 { return x*W[j] + y*W[k+j] + b[j] }
		if c.classes == 2 {
			d.Offset = 0.5 // Fn is P(class 1)
			d.Fn = func(x, y float64) float64 { return 1 / (1 + math.Exp(-score(x, y, 0))) }
		} else {
			d.Classes = c.classes
			d.Fn = func(x, y float64) float64 {
				best := 0
				for j := 1; j < k; j++ {
					if score(x, y, j) > score(x, y, best) {
						best = j
					}
				}
				return float64(best)
			}
		}
		panels = append(panels, d)
	}
	g := plot.NewGrid(len(panels), panels...)
	g.Title = fmt.Sprintf("logistic regression, %d classes", c.classes)
	return plot.SavePNG(c.out, g)
}
