// Command ptdeep is lab 1's configurable deep network (PTDeep): a fully
// connected network given by its list of layer widths, [2, 10, 10, 2]
// say, with one activation (ReLU, sigmoid or tanh) between its layers
// and a softmax cross-entropy loss, trained by full-batch gradient descent
// with autodiff on a Gaussian mixture (sample_gmm_2d(K, C, N)). For each
// configuration it prints every parameter's name and shape and their
// count (the lab's count_params), the loss while training, the accuracy
// and the confusion matrix, and it draws the decision surfaces of all
// configurations side by side (a PNG).
//
//	go run ./examples/ptdeep                                   # [2,2] [2,10,2] [2,10,10,2], ReLU
//	go run ./examples/ptdeep -configs "2,10,10,2 2,10,10,10,2" -act tanh -K 6 -N 10
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

// config holds the program's settings.
type config struct {
	components, classes, perComponent int     // K, C, N of sample_gmm_2d
	configs                           [][]int // layer widths, one network each
	act                               string  // relu, sigmoid or tanh
	iters                             int
	lr, lambda                        float64
	seed                              uint64
	out                               string // PNG of the decision surfaces; "" draws nothing
}

func main() {
	var c config
	var configs string
	flag.IntVar(&c.components, "K", 4, "Gaussian components of the mixture")
	flag.IntVar(&c.classes, "C", 2, "classes")
	flag.IntVar(&c.perComponent, "N", 40, "points per component")
	flag.StringVar(&configs, "configs", "2,2 2,10,2 2,10,10,2", "networks: layer widths separated by commas, networks by spaces (first 2, last C)")
	flag.StringVar(&c.act, "act", "relu", "activation between layers: relu, sigmoid or tanh")
	flag.IntVar(&c.iters, "iters", 10000, "gradient-descent iterations")
	flag.Float64Var(&c.lr, "lr", 0.1, "learning rate")
	flag.Float64Var(&c.lambda, "lambda", 1e-4, "L2 penalty λ on the weights")
	flag.Uint64Var(&c.seed, "seed", 100, "random seed for data and initial weights")
	flag.StringVar(&c.out, "out", "ptdeep.png", "PNG file for the decision surfaces (empty: none)")
	flag.Parse()
	var err error
	if c.configs, err = parseConfigs(configs, c.classes); err == nil {
		err = c.check()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ptdeep:", err)
		os.Exit(2)
	}
	if _, err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ptdeep:", err)
		os.Exit(1)
	}
}

// parseConfigs reads "2,10,2 2,5,5,2" as [[2 10 2] [2 5 5 2]]; every
// network must map 2 inputs to classes outputs.
func parseConfigs(s string, classes int) ([][]int, error) {
	var out [][]int
	for _, f := range strings.Fields(s) {
		var widths []int
		for _, w := range strings.Split(f, ",") {
			n, err := strconv.Atoi(w)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("-configs %q: %q is not a positive width", s, w)
			}
			widths = append(widths, n)
		}
		if len(widths) < 2 || widths[0] != 2 || widths[len(widths)-1] != classes {
			return nil, fmt.Errorf("-configs %q: %s must start with 2 (the inputs) and end with %d (the classes)", s, f, classes)
		}
		out = append(out, widths)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-configs %q: no network", s)
	}
	return out, nil
}

func (c config) check() error {
	if _, err := activation(c.act); err != nil {
		return err
	}
	if c.components < 1 || c.classes < 2 || c.perComponent < 1 || c.iters < 1 || !(c.lr > 0) || c.lambda < 0 {
		return fmt.Errorf("need -K ≥ 1, -C ≥ 2, -N ≥ 1, -iters ≥ 1, -lr > 0 and -lambda ≥ 0")
	}
	return nil
}

// activation returns a constructor of the named activation layer.
func activation(name string) (func() nn.Module, error) {
	switch name {
	case "relu":
		return nn.NewReLU, nil
	case "sigmoid":
		return nn.NewSigmoid, nil
	case "tanh":
		return nn.NewTanh, nil
	}
	return nil, fmt.Errorf("-act %q: want relu, sigmoid or tanh", name)
}

// deep returns the network: Linear layers of the given widths with the
// activation between them (none after the last).
func deep(widths []int, act func() nn.Module, seed uint64) *nn.Sequential {
	r := tensor.NewRand(seed)
	s := nn.NewSequential()
	for i := 0; i+1 < len(widths); i++ {
		s.Add(fmt.Sprintf("fc%d", i+1), nn.NewLinear(r, widths[i], widths[i+1]))
		if i+2 < len(widths) {
			s.Add(fmt.Sprintf("act%d", i+1), act())
		}
	}
	return s
}

// report is what run measured for one network.
type report struct {
	widths      []int
	model       *nn.Sequential
	params      int
	first, last float64
	conf        *metrics.Confusion
}

// run generates the data, trains every configuration, prints the lab's
// numbers to w, draws the surfaces to c.out and returns the reports.
func run(c config, w io.Writer) ([]report, error) {
	rng := tensor.NewRand(c.seed)
	xs, ys := synth.SampleGMM2D(rng, c.components, c.classes, c.perComponent)
	X := tensor.FromFloat64(xs, len(ys), 2)
	labels := tensor.FromInts(ys)
	act, err := activation(c.act)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "mixture of %d Gaussians, %d classes, %d points; %s, %d iterations, learning rate %g, λ %g\n",
		c.components, c.classes, len(ys), c.act, c.iters, c.lr, c.lambda)
	var reports []report
	var panels []plot.Plot
	for i, widths := range c.configs {
		m := deep(widths, act, c.seed+uint64(i)+1)
		nn.To(m, tensor.Float64)
		r := report{widths: widths, model: m, params: nn.NumParams(m)}
		fmt.Fprintf(w, "\n%v: %d parameters\n", widths, r.params)
		var weights []*tensor.Tensor
		for _, p := range m.Params() {
			fmt.Fprintf(w, "  %-12s %v\n", p.Name, p.Tensor.Shape())
			if p.Tensor.NDim() == 2 {
				weights = append(weights, p.Tensor)
			}
		}
		opt := optim.NewSGD(m.Params(), optim.SGDConfig{LR: c.lr})
		for it := 0; it <= c.iters; it++ {
			loss := nn.Regularized(nn.CrossEntropy(m.Forward(X), labels), nn.L2(c.lambda, weights...))
			if it == 0 {
				r.first = loss.Item()
			}
			if it == c.iters {
				r.last = loss.Item()
				break
			}
			if it%max(c.iters/5, 1) == 0 {
				fmt.Fprintf(w, "  iteration %d, loss %.5f\n", it, loss.Item())
			}
			opt.ZeroGrad()
			loss.Backward()
			opt.Step()
		}
		pred := predict(m, X)
		r.conf = metrics.NewConfusion(c.classes)
		if err := r.conf.AddAll(ys, pred); err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "  loss %.5f → %.5f, accuracy %.4f\n", r.first, r.last, r.conf.Accuracy())
		fmt.Fprint(w, r.conf.String())
		reports = append(reports, r)
		panels = append(panels, surface(r, xs, ys, pred, c.classes))
	}
	if c.out != "" {
		g := plot.NewGrid(min(len(panels), 3), panels...)
		g.Title = fmt.Sprintf("deep networks (%s) on a mixture of %d Gaussians", c.act, c.components)
		if err := plot.SavePNG(c.out, g); err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "decision surfaces: %s\n", c.out)
	}
	return reports, nil
}

// predict returns the predicted class of every point.
func predict(m nn.Module, X *tensor.Tensor) []int {
	var p []int
	tensor.NoGrad(func() { p = tensor.Argmax(m.Forward(X), 1).Ints() })
	return p
}

// surface returns r's decision surface with the data. The network runs
// once on the whole grid of pixel centres, not once per pixel.
func surface(r report, xs []float64, ys []int, pred []int, classes int) plot.Plot {
	points := make([][2]float64, len(ys))
	lo, hi := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	for i := range points {
		points[i] = [2]float64{xs[2*i], xs[2*i+1]}
		for a := range 2 {
			lo[a], hi[a] = min(lo[a], xs[2*i+a]), max(hi[a], xs[2*i+a])
		}
	}
	d := &plot.DecisionSurface{
		Title:  fmt.Sprintf("%v, %d params (accuracy %.3f)", r.widths, r.params, r.conf.Accuracy()),
		XLabel: "x₁", YLabel: "x₂",
		Points: points, Labels: ys, Predicted: pred,
	}
	// a 512×512 lookup grid (about the plot's pixels) over the points'
	// box with a margin; Fn reads the grid cell under it
	const g = 512
	for a := range 2 {
		m := 0.1 * (hi[a] - lo[a])
		lo[a], hi[a] = lo[a]-m, hi[a]+m
	}
	d.X, d.Y = plot.Range{Min: lo[0], Max: hi[0]}, plot.Range{Min: lo[1], Max: hi[1]}
	grid := make([]float64, 0, 2*g*g)
	for i := range g {
		for j := range g {
			grid = append(grid, lo[0]+(hi[0]-lo[0])*(float64(j)+0.5)/g, lo[1]+(hi[1]-lo[1])*(float64(i)+0.5)/g)
		}
	}
	var s *tensor.Tensor
	tensor.NoGrad(func() { s = r.model.Forward(tensor.FromFloat64(grid, g*g, 2)) })
	vals := make([]float64, g*g)
	if classes == 2 {
		sv := s.Float64s()
		for i := range vals {
			vals[i] = sv[2*i+1] - sv[2*i] // the logit of class 1
		}
	} else {
		d.Classes = classes
		for i, p := range tensor.Argmax(s, 1).Ints() {
			vals[i] = float64(p)
		}
	}
	d.Fn = func(x, y float64) float64 {
		j := min(max(int((x-lo[0])/(hi[0]-lo[0])*g), 0), g-1)
		i := min(max(int((y-lo[1])/(hi[1]-lo[1])*g), 0), g-1)
		return vals[i*g+j]
	}
	return d
}
