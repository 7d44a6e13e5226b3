// Command shootout is lab 1's MNIST "shootout": fully connected networks
// of growing depth, [784, 10], [784, 100, 10], [784, 100, 100, 10] and
// [784, 100, 100, 100, 10] with ReLU, trained on the embedded MNIST with
// Adam and an exponentially decaying learning rate (stepped after every
// batch, as the lab's ExponentialLR(1 − 1e-4)), with early stopping on a
// held-out fifth of the training set: after every epoch the model is
// evaluated there and the best weights are restored at the end. With -bn
// each hidden layer is followed by batch normalisation (the lab's bonus).
//
// For every network it prints the epochs and writes, into -out: the
// training curves (loss, accuracy, learning rate), the 20 training images
// with the highest loss and, for [784, 10], its weights as ten 28×28
// images. A table of validation and test accuracies comes out at the end.
//
//	go run ./examples/shootout                     # 4 networks × 8 epochs
//	go run ./examples/shootout -configs "784,100,10" -epochs 20 -bn
package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/plot"
	"github.com/duboko/duboko/tensor"
)

// config holds the program's settings.
type config struct {
	configs       [][]int
	epochs, batch int
	patience      int // stop after this many epochs without a better validation accuracy (0: never)
	lr, gamma     float64
	bn            bool
	seed          uint64
	out           string // folder for the pictures; "" draws nothing
	valFraction   int    // 1/valFraction of the training set is held out
	quietEpochs   bool
}

func main() {
	c := config{valFraction: 5}
	var configs string
	flag.StringVar(&configs, "configs", "784,10 784,100,10 784,100,100,10 784,100,100,100,10", "networks: widths separated by commas, networks by spaces (first 784, last 10)")
	flag.IntVar(&c.epochs, "epochs", 8, "training epochs (at most)")
	flag.IntVar(&c.batch, "batch", 100, "batch size")
	flag.IntVar(&c.patience, "patience", 0, "stop after this many epochs without a better validation accuracy (0: train every epoch)")
	flag.Float64Var(&c.lr, "lr", 1e-4, "Adam's initial learning rate")
	flag.Float64Var(&c.gamma, "gamma", 1-1e-4, "learning-rate decay per batch (ExponentialLR)")
	flag.BoolVar(&c.bn, "bn", false, "batch normalisation after every hidden layer")
	flag.Uint64Var(&c.seed, "seed", 1, "random seed for weights and shuffling")
	flag.StringVar(&c.out, "out", "shootout", "folder for the pictures (empty: none)")
	flag.Parse()
	var err error
	c.configs, err = parseConfigs(configs)
	if err == nil && (c.epochs < 1 || c.batch < 1 || c.patience < 0 || !(c.lr > 0) || !(c.gamma > 0 && c.gamma <= 1)) {
		err = fmt.Errorf("need -epochs ≥ 1, -batch ≥ 1, -patience ≥ 0, -lr > 0 and 0 < -gamma ≤ 1")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "shootout:", err)
		os.Exit(2)
	}
	train, test, err := mnist.Load()
	if err == nil {
		_, err = run(c, train, test, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "shootout:", err)
		os.Exit(1)
	}
}

// parseConfigs reads "784,10 784,100,10" as [[784 10] [784 100 10]].
func parseConfigs(s string) ([][]int, error) {
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
		if len(widths) < 2 || widths[0] != 784 || widths[len(widths)-1] != 10 {
			return nil, fmt.Errorf("-configs %q: %s must start with 784 (the pixels) and end with 10 (the digits)", s, f)
		}
		out = append(out, widths)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-configs %q: no network", s)
	}
	return out, nil
}

// result is what run measured for one network.
type result struct {
	widths          []int
	params          int
	bestEpoch       int // 1-based epoch whose weights were kept
	valAcc, testAcc float64
	history         plot.History
}

// name is the network's name in files and tables, "784-100-10".
func name(widths []int) string {
	s := make([]string, len(widths))
	for i, w := range widths {
		s[i] = strconv.Itoa(w)
	}
	return strings.Join(s, "-")
}

// build returns the network: Linear layers of the given widths, ReLU (and
// with bn a BatchNorm1d before it) between them.
func build(widths []int, bn bool, seed uint64) *nn.Sequential {
	rng := tensor.NewRand(seed)
	m := nn.NewSequential()
	for i := 0; i+1 < len(widths); i++ {
		m.Add(fmt.Sprintf("fc%d", i+1), nn.NewLinear(rng, widths[i], widths[i+1]))
		if i+2 < len(widths) {
			if bn {
				m.Add(fmt.Sprintf("bn%d", i+1), nn.NewBatchNorm1d(widths[i+1]))
			}
			m.Add(fmt.Sprintf("relu%d", i+1), nn.NewReLU())
		}
	}
	return m
}

// run trains every network on train (less its last fifth, held out for
// validation), evaluates it on test, writes the pictures and prints the
// table to w.
func run(c config, train, test *mnist.Set, w io.Writer) ([]result, error) {
	fit, val := mnist.Split(train, train.N/c.valFraction)
	fmt.Fprintf(w, "MNIST: %d training, %d validation, %d test images; Adam lr %g, decay %g per batch, batch %d\n",
		fit.N, val.N, test.N, c.lr, c.gamma, c.batch)
	if c.out != "" {
		if err := os.MkdirAll(c.out, 0o755); err != nil {
			return nil, err
		}
	}
	var results []result
	for i, widths := range c.configs {
		r, err := trainOne(c, widths, c.seed+uint64(i), fit, val, test, w)
		if err != nil {
			return nil, err
		}
		results = append(results, r)
	}
	fmt.Fprintf(w, "\n%-24s %8s %6s %9s %9s\n", "network", "params", "epoch", "val acc", "test acc")
	for _, r := range results {
		fmt.Fprintf(w, "%-24s %8d %6d %8.2f%% %8.2f%%\n", fmt.Sprint(r.widths), r.params, r.bestEpoch, 100*r.valAcc, 100*r.testAcc)
	}
	return results, nil
}

// trainOne trains one network with early stopping and writes its pictures.
func trainOne(c config, widths []int, seed uint64, fit, val, test *mnist.Set, w io.Writer) (result, error) {
	m := build(widths, c.bn, seed)
	r := result{widths: widths, params: nn.NumParams(m)}
	fmt.Fprintf(w, "\n%v: %d parameters\n", widths, r.params)
	opt := optim.NewAdam(m.Params(), optim.AdamConfig{LR: c.lr})
	sched := optim.NewScheduler(opt, optim.Exponential(c.lr, c.gamma))
	loader := data.NewLoader(fit, c.batch, data.WithShuffle(seed))
	state := nn.StateDict(m)
	best := make([]*tensor.Tensor, len(state))
	since := 0
	for epoch := 1; epoch <= c.epochs; epoch++ {
		m.SetTraining(true)
		lr := opt.LR()
		var sum float64
		var n, correct int
		for b := range loader.Epoch() {
			x := tensor.FromFloat32(b.X, b.Size(), 784)
			labels := tensor.FromInts(b.Labels)
			logits := m.Forward(x)
			loss := nn.CrossEntropy(logits, labels)
			opt.ZeroGrad()
			loss.Backward()
			opt.Step()
			sched.Step()
			sum += loss.Item() * float64(b.Size())
			n += b.Size()
			correct += countEqual(tensor.Argmax(logits, 1).Ints(), b.Labels)
		}
		vl, va, _ := evaluate(m, val)
		h := &r.history
		h.TrainLoss, h.TrainAcc = append(h.TrainLoss, sum/float64(n)), append(h.TrainAcc, float64(correct)/float64(n))
		h.ValLoss, h.ValAcc, h.LR = append(h.ValLoss, vl), append(h.ValAcc, va), append(h.LR, lr)
		mark := ""
		if va > r.valAcc || r.bestEpoch == 0 {
			r.valAcc, r.bestEpoch, since, mark = va, epoch, 0, " *"
			for i, p := range state {
				best[i] = p.Tensor.Clone()
			}
		} else {
			since++
		}
		fmt.Fprintf(w, "epoch %2d  lr %.3g  train loss %.4f acc %.2f%%  val loss %.4f acc %.2f%%%s\n",
			epoch, lr, sum/float64(n), 100*float64(correct)/float64(n), vl, 100*va, mark)
		if c.patience > 0 && since >= c.patience {
			fmt.Fprintf(w, "no better validation accuracy for %d epochs: stopping\n", since)
			break
		}
	}
	for i, p := range state { // early stopping: the best epoch's weights
		p.Tensor.CopyFrom(best[i])
	}
	_, r.testAcc, _ = evaluate(m, test)
	fmt.Fprintf(w, "kept epoch %d: validation %.2f%%, test %.2f%%\n", r.bestEpoch, 100*r.valAcc, 100*r.testAcc)
	if c.out != "" {
		if err := pictures(c.out, m, r, fit); err != nil {
			return r, err
		}
	}
	return r, nil
}

// evaluate returns the mean loss and the accuracy of m on s in evaluation
// mode, and every sample's loss.
func evaluate(m nn.Module, s *mnist.Set) (loss, acc float64, perSample []float64) {
	m.SetTraining(false)
	defer m.SetTraining(true)
	loader := data.NewLoader(s, 1000)
	var correct int
	tensor.NoGrad(func() {
		for b := range loader.Epoch() {
			logits := m.Forward(tensor.FromFloat32(b.X, b.Size(), 784))
			labels := tensor.FromInts(b.Labels)
			// −log softmax at each sample's label
			per := tensor.Neg(tensor.Gather(tensor.LogSoftmax(logits, 1), 1, labels))
			perSample = append(perSample, per.Values()...)
			correct += countEqual(tensor.Argmax(logits, 1).Ints(), b.Labels)
		}
	})
	for _, v := range perSample {
		loss += v
	}
	return loss / float64(s.N), float64(correct) / float64(s.N), perSample
}

func countEqual(a, b []int) int {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return n
}

// pictures writes the training curves, the highest-loss training images
// and, for a network without hidden layers, its weights as digits.
func pictures(dir string, m *nn.Sequential, r result, fit *mnist.Set) error {
	base := filepath.Join(dir, name(r.widths))
	if err := plot.TrainingCurves(base+"_curves.png", r.history); err != nil {
		return err
	}
	// the 20 training images with the highest loss, with the predictions
	_, _, per := evaluate(m, fit)
	order := make([]int, len(per))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(per[b], per[a]) })
	worst := plot.NewImageGrid(fmt.Sprintf("%v: highest-loss training images", r.widths), 10, 2)
	for _, i := range order[:min(20, len(order))] {
		img := fit.Image(i)
		var probs []float32
		tensor.NoGrad(func() {
			m.SetTraining(false)
			probs = tensor.To(tensor.Softmax(m.Forward(tensor.FromFloat32(img, 1, 784)), 1), tensor.Float32).Float32s()
			m.SetTraining(true)
		})
		worst.Add(img, 28, 28, fmt.Sprintf("loss %.2f\n", per[i])+plot.PredictionCaption(fit.Labels[i], probs, 2))
	}
	if err := plot.SavePNG(base+"_worst.png", worst); err != nil {
		return err
	}
	if len(r.widths) != 2 {
		return nil
	}
	// [784, 10]: each class's weights are a 28×28 template
	weights := plot.NewImageGrid(fmt.Sprintf("%v: weights of each digit", r.widths), 10, 3)
	weights.Colormap, weights.Norm = plot.Diverging, plot.PerImageSymmetric
	wv := tensor.To(m.Layers[0].Params()[0].Tensor, tensor.Float32).Float32s()
	for d := range 10 {
		weights.Add(wv[d*784:(d+1)*784], 28, 28, strconv.Itoa(d))
	}
	return plot.SavePNG(base+"_weights.png", weights)
}
