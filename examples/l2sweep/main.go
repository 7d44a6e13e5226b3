// Command l2sweep is lab 2's regularisation sweep: the course's MNIST CNN
// (models.CNN) trained with the lab's L2Regularizer / RegularizedLoss,
// λ‖w‖² of every conv and FC weight (not the biases) added to the
// cross-entropy, once per λ, by default λ ∈ {0, 1e-3, 1e-2, 1e-1}. Each run
// uses the lab's recipe: embedded MNIST with the last 5,000 training images
// held out for validation, batch 50, plain SGD with the learning rate 0.1,
// 0.01, 0.001, 0.0001 from epochs 1, 3, 5, 7, the same seed for every λ.
// At the end a table gives, per λ, the validation and test accuracy, the
// final cross-entropy and the weights' Σ‖w‖² beside the course's reference
// test accuracy (a student's 8-epoch run).
//
// The same runs from the command line: duboko train --l2 λ.
//
//	go run ./examples/l2sweep                      # 4 runs × 8 epochs: long
//	go run ./examples/l2sweep -epochs 1            # 4 runs × 1 epoch
//	go run ./examples/l2sweep -lambdas 1e-3,1e-1 -max-train 10000
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// reference is the course's test accuracy per λ (a student's run of lab 2,
// 8 epochs; COURSE.md).
var reference = map[float64]string{0: "99.25 %", 1e-3: "99.10 %", 1e-2: "98.52 %", 1e-1: "95.08 %"}

// config holds the program's settings.
type config struct {
	lambdas  []float64
	epochs   int
	batch    int
	val      int // images held out from the end of the training set
	maxTrain int // train on the first maxTrain of the rest (0: all)
	seed     uint64
	verbose  bool // the trainer's epoch lines
}

// result is one λ's run.
type result struct {
	lambda          float64
	valAcc, testAcc float64
	testLoss        float64
	weightSq        float64 // Σ‖w‖² of the regularised weights after training
	elapsed         time.Duration
}

func main() {
	c := config{}
	lambdas := flag.String("lambdas", "0,1e-3,1e-2,1e-1", "values of λ, comma-separated (0: no regularisation)")
	flag.IntVar(&c.epochs, "epochs", 8, "training epochs per λ")
	flag.IntVar(&c.batch, "batch", 50, "batch size")
	flag.IntVar(&c.val, "val", 5000, "training images held out for validation")
	flag.IntVar(&c.maxTrain, "max-train", 0, "train on only the first N of the remaining images (0: all)")
	flag.Uint64Var(&c.seed, "seed", 1, "random seed for weights and shuffling (the same for every λ)")
	flag.Parse()
	c.verbose = true
	var err error
	c.lambdas, err = parseLambdas(*lambdas)
	if err == nil && (c.epochs < 1 || c.batch < 1 || c.val < 1 || c.maxTrain < 0) {
		err = fmt.Errorf("need -epochs ≥ 1, -batch ≥ 1, -val ≥ 1 and -max-train ≥ 0")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "l2sweep:", err)
		os.Exit(2)
	}
	trainSet, test, err := mnist.Load()
	if err == nil {
		_, err = run(c, trainSet, test, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "l2sweep:", err)
		os.Exit(1)
	}
}

// parseLambdas reads "0,1e-3,..." into finite non-negative numbers.
func parseLambdas(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(v >= 0) || v > 1e6 {
			return nil, fmt.Errorf("-lambdas: %q is not a number ≥ 0", f)
		}
		out = append(out, v)
	}
	return out, nil
}

// run trains one CNN per λ on full (minus the validation images), tests it
// on test, prints the progress and the table to w and returns the results.
func run(c config, full, test *mnist.Set, w io.Writer) ([]result, error) {
	if c.val >= full.N {
		return nil, fmt.Errorf("-val %d leaves no training images (the set has %d)", c.val, full.N)
	}
	trainSet, valSet := mnist.Split(full, c.val)
	if c.maxTrain > 0 && c.maxTrain < trainSet.N {
		trainSet, _ = mnist.Split(trainSet, trainSet.N-c.maxTrain)
	}
	fmt.Fprintf(w, "course CNN, %d training / %d validation / %d test images, batch %d, %d epoch(s), SGD with rates 1:0.1, 3:0.01, 5:0.001, 7:0.0001\n",
		trainSet.N, valSet.N, test.N, c.batch, c.epochs)
	var results []result
	for _, lambda := range c.lambdas {
		fmt.Fprintf(w, "\nλ = %g\n", lambda)
		model := models.CNN(tensor.NewRand(c.seed))
		task := &train.Classifier{Net: model, L2: lambda,
			Opt: optim.NewSGD(model.Params(), optim.SGDConfig{LR: 0.1})}
		tr := &train.Trainer{Task: task, Train: trainSet, Val: valSet, Batch: c.batch, Seed: c.seed, Epochs: c.epochs,
			Schedule: optim.Piecewise{1: 0.1, 3: 0.01, 5: 0.001, 7: 0.0001}, Unit: "images", UnitAbbr: "img"}
		if c.verbose {
			tr.Log = w
		}
		r, err := tr.Run(context.Background())
		if err != nil {
			return results, fmt.Errorf("λ = %g: %w", lambda, err)
		}
		ev := train.Evaluate(model, test, 500)
		last := r.History[len(r.History)-1]
		res := result{lambda: lambda, valAcc: last.Val.Get("accuracy"), testAcc: ev.Accuracy, testLoss: ev.Loss,
			elapsed: r.Elapsed}
		for _, reg := range nn.L2Regularizers(model, 1) {
			res.weightSq += reg.Forward() // λ = 1: ‖w‖²
		}
		fmt.Fprintf(w, "λ = %g: test accuracy %.2f %%\n", lambda, 100*res.testAcc)
		results = append(results, res)
	}
	fmt.Fprintln(w)
	printTable(w, results)
	return results, nil
}

// printTable writes the sweep's table in Markdown.
func printTable(w io.Writer, results []result) {
	fmt.Fprintln(w, "| λ | validation accuracy | test accuracy | test loss | Σ‖w‖² | course (8 epochs) | time |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, r := range results {
		ref, ok := reference[r.lambda]
		if !ok {
			ref = "—"
		}
		fmt.Fprintf(w, "| %g | %.2f %% | %.2f %% | %.4f | %.1f | %s | %.0f s |\n",
			r.lambda, 100*r.valAcc, 100*r.testAcc, r.testLoss, r.weightSq, ref, r.elapsed.Seconds())
	}
}
