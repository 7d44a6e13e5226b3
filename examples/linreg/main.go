// Command linreg is the first task of lab 1: linear regression y ≈ a·x + b
// fitted by gradient descent with autodiff, on the lab's two points
// (1, 3) and (2, 5) or on points given with -x and -y. Every few steps it
// prints the loss (the mean squared error), a and b, and the gradients
// that loss.Backward() found beside the ones derived by hand,
// ∂L/∂a = (2/N) Σ (a·xᵢ + b − yᵢ)·xᵢ and ∂L/∂b = (2/N) Σ (a·xᵢ + b − yᵢ).
//
//	go run ./examples/linreg
//	go run ./examples/linreg -x 0,1,2,3 -y 1,3,4.5,7 -iters 500
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// config holds the program's settings.
type config struct {
	x, y  []float64
	iters int
	lr    float64
}

func main() {
	var c config
	var xs, ys string
	flag.StringVar(&xs, "x", "1,2", "inputs, separated by commas")
	flag.StringVar(&ys, "y", "3,5", "targets, separated by commas")
	flag.IntVar(&c.iters, "iters", 1000, "gradient-descent steps")
	flag.Float64Var(&c.lr, "lr", 0.1, "learning rate")
	flag.Parse()
	var err error
	if c.x, err = floats("-x", xs); err == nil {
		c.y, err = floats("-y", ys)
	}
	if err == nil && (len(c.x) != len(c.y) || c.iters < 1 || !(c.lr > 0)) {
		err = fmt.Errorf("need as many -x as -y values (%d vs %d), -iters ≥ 1 and -lr > 0", len(c.x), len(c.y))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "linreg:", err)
		os.Exit(2)
	}
	a, b, worst := run(c, os.Stdout)
	fmt.Printf("fit: y = %.5f·x + %.5f; autodiff and hand-derived gradients differ by at most %.3g\n", a, b, worst)
}

// floats parses comma-separated numbers.
func floats(flagName, s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %q is not a number", flagName, s, f)
		}
		out = append(out, v)
	}
	return out, nil
}

// run fits a and b from a = b = 0, printing ten times, and returns them
// with the largest difference seen between the autodiff and the
// hand-derived gradients.
func run(c config, w io.Writer) (a, b, worst float64) {
	X, Y := tensor.FromFloat64(c.x), tensor.FromFloat64(c.y)
	at := tensor.ScalarOf(tensor.Float64, 0).SetRequiresGrad(true)
	bt := tensor.ScalarOf(tensor.Float64, 0).SetRequiresGrad(true)
	opt := optim.NewSGD([]nn.Param{{Name: "a", Tensor: at}, {Name: "b", Tensor: bt}}, optim.SGDConfig{LR: c.lr})
	n := float64(len(c.x))
	for it := 0; it < c.iters; it++ {
		loss := nn.MSE(tensor.Add(tensor.Mul(at, X), bt), Y)
		opt.ZeroGrad()
		loss.Backward()
		// by hand: the residuals rᵢ = a·xᵢ + b − yᵢ
		var ga, gb float64
		for i, x := range c.x {
			r := at.Item()*x + bt.Item() - c.y[i]
			ga += 2 / n * r * x
			gb += 2 / n * r
		}
		worst = max(worst, math.Abs(ga-at.Grad().Item()), math.Abs(gb-bt.Grad().Item()))
		if it%max(c.iters/10, 1) == 0 {
			fmt.Fprintf(w, "step %3d: loss %.6f, a %.5f, b %.5f; ∂L/∂a %.6f (by hand %.6f), ∂L/∂b %.6f (by hand %.6f)\n",
				it, loss.Item(), at.Item(), bt.Item(), at.Grad().Item(), ga, bt.Grad().Item(), gb)
		}
		opt.Step()
	}
	return at.Item(), bt.Item(), worst
}
